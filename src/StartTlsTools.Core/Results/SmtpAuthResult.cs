using System;

namespace StartTlsTools
{
    /// <summary>
    /// One SMTP AUTH PLAIN attempt. Flat and typed like <see cref="StartTlsResult"/>; it never holds the
    /// password or its Base64 form (the transcript shows "AUTH PLAIN &lt;redacted&gt;").
    /// </summary>
    public sealed class SmtpAuthResult
    {
        public string HostName { get; set; } = "";
        public int Port { get; set; }
        public bool ImplicitTls { get; set; }
        public string? IPAddress { get; set; }
        public string UserName { get; set; } = "";
        public string? AuthorizationIdentity { get; set; }

        public SmtpAuthStatus Status { get; set; }
        public string Reason { get; set; } = "";
        /// <summary>True only for 235.</summary>
        public bool Succeeded { get; set; }
        /// <summary>Whether the credentials left this machine at all (false for every refusal before AUTH).</summary>
        public bool CredentialsSent { get; set; }
        /// <summary>True when the 334 empty-challenge form was used (the server asked for the response separately).</summary>
        public bool ChallengeFormUsed { get; set; }
        /// <summary>The final reply to AUTH: 235, 535, 534, 538, 454, ...</summary>
        public int? ReplyCode { get; set; }
        /// <summary>RFC 3463 enhanced status code of that reply, e.g. "5.7.8".</summary>
        public string? EnhancedStatusCode { get; set; }
        public string? ReplyText { get; set; }

        /// <summary>SASL mechanisms the EHLO reply offered before TLS (STARTTLS mode); null when it had no AUTH keyword.</summary>
        public TextList? MechanismsBeforeTls { get; set; }
        public TextList? MechanismsAfterTls { get; set; }

        /// <summary>The TLS part's outcome, as Test-StartTls would report it.</summary>
        public StartTlsStatus TlsStatus { get; set; }
        public bool? StartTlsOffered { get; set; }
        public bool TlsEstablished { get; set; }
        public TlsProtocolVersion TlsVersion { get; set; }
        public string? CipherSuite { get; set; }
        public bool? CertificateValid { get; set; }
        public string? CertificateError { get; set; }
        public string? CertificateSubject { get; set; }
        public string? CertificateThumbprint { get; set; }
        /// <summary>-SkipCertificateCheck was given: an invalid certificate did not stop the attempt.</summary>
        public bool CertificateCheckSkipped { get; set; }
        /// <summary>-AllowPlaintext was given.</summary>
        public bool PlaintextAllowed { get; set; }
        public string? Banner { get; set; }

        public DateTimeOffset StartedAt { get; set; }
        public double? ConnectMs { get; set; }
        public double? TimeToSecureChannelMs { get; set; }
        /// <summary>From sending AUTH to its final reply.</summary>
        public double? AuthMs { get; set; }
        public double TotalMs { get; set; }

        /// <summary>The dialogue with the secret redacted. Null unless asked for.</summary>
        public string? Transcript { get; set; }
    }
}
