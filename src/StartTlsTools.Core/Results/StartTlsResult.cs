using System;
using System.Security.Cryptography.X509Certificates;

namespace StartTlsTools
{
    /// <summary>
    /// One test of one host and port. Flat and typed on purpose: every property is a scalar or a
    /// <see cref="TextList"/>, so that Export-Csv writes readable cells ("; "-joined lists) and ConvertTo-Json arrays.
    /// Every server-supplied string has its control characters made visible (<see cref="ServerText"/>).
    /// </summary>
    public sealed class StartTlsResult
    {
        public const string ListSeparator = TextList.Separator;

        public string HostName { get; set; } = "";
        public int Port { get; set; }
        public StartTlsProtocol Protocol { get; set; }
        public bool ImplicitTls { get; set; }
        /// <summary>The address the TCP connection went to.</summary>
        public string? IPAddress { get; set; }

        public StartTlsStatus Status { get; set; }
        /// <summary>Why the status is what it is, in one sentence.</summary>
        public string Reason { get; set; } = "";
        /// <summary>With Status Unavailable: a rate limit, a block list, a policy refusal or the service closing.</summary>
        public UnavailableKind? UnavailableKind { get; set; }
        /// <summary>The block list the server named when it turned us away ("zen.spamhaus.org").</summary>
        public string? BlockList { get; set; }

        /// <summary>
        /// Whether the server requires TLS before anything sensitive (login, mail, directory operations): true =
        /// enforced, false = opportunistic (plaintext works, so stripping STARTTLS yields plaintext), null = unknown.
        /// </summary>
        public bool? TlsRequired { get; set; }
        /// <summary>Why TlsRequired is what it is: what was sent and what the server answered, or why it is unknown.</summary>
        public string? TlsRequiredEvidence { get; set; }
        /// <summary>Signs that something on the path interfered with STARTTLS (a masked keyword, an "unrecognized" answer, plaintext after the go-ahead).</summary>
        public StartTlsInterference Interference { get; set; }
        public string? InterferenceEvidence { get; set; }

        /// <summary>Whether the server advertised STARTTLS; null in implicit-TLS mode or when never reached.</summary>
        public bool? StartTlsOffered { get; set; }
        /// <summary>The server's reply to the STARTTLS command, verbatim.</summary>
        public string? StartTlsReply { get; set; }
        public bool TlsEstablished { get; set; }
        public TlsProtocolVersion TlsVersion { get; set; }
        /// <summary>The negotiated cipher suite by its IANA name.</summary>
        public string? CipherSuite { get; set; }
        /// <summary>Plaintext bytes the server had sent after its STARTTLS reply; they were discarded, never read as TLS.</summary>
        public int PlaintextBytesDiscardedAtUpgrade { get; set; }

        /// <summary>True when the chain validates, the certificate is in its validity period and the name matches.</summary>
        public bool? CertificateValid { get; set; }
        public bool? HostnameMatches { get; set; }
        public bool? CertificateChainValid { get; set; }
        /// <summary>What was wrong with the certificate, in one sentence; null when it is valid.</summary>
        public string? CertificateError { get; set; }
        /// <summary>Per chain element, leaf first: "[0] CN=...: NoError"; for people. Findings read CertificateChainProblems.</summary>
        public TextList? CertificateChainStatus { get; set; }
        /// <summary>
        /// Every problem found on the chain, as flags (NoError when none). An untrusted root that is one of the roots the
        /// user gave is not a problem; the leaf's own dates are reported by CertificateNotBefore/NotAfter and findings.
        /// </summary>
        public X509ChainStatusFlags CertificateChainProblems { get; set; }
        public string? CertificateSubject { get; set; }
        public string? CertificateIssuer { get; set; }
        /// <summary>"DNS:mail.example.com", "IP Address:192.0.2.1", ...</summary>
        public TextList? CertificateSubjectAlternativeNames { get; set; }
        public string? CertificateThumbprint { get; set; }
        public DateTime? CertificateNotBefore { get; set; }
        public DateTime? CertificateNotAfter { get; set; }
        public int? CertificateDaysToExpiry { get; set; }
        public string? CertificateKeyAlgorithm { get; set; }
        public int? CertificateKeySize { get; set; }
        public string? CertificateSignatureAlgorithm { get; set; }

        /// <summary>The server's greeting, all lines joined.</summary>
        public string? Banner { get; set; }
        /// <summary>What the banner gives away before TLS (read heuristically): the server's host name, software and version.</summary>
        public string? BannerHostName { get; set; }
        public string? BannerSoftware { get; set; }
        public string? BannerSoftwareVersion { get; set; }
        /// <summary>The client's own address as the server repeated it in plaintext (Exim's "Hello x [203.0.113.7]").</summary>
        public string? EchoedClientAddress { get; set; }
        /// <summary>The capabilities as the server listed them before TLS; null when none were read.</summary>
        public TextList? CapabilitiesBeforeTls { get; set; }
        public TextList? CapabilitiesAfterTls { get; set; }

        public DateTimeOffset StartedAt { get; set; }
        public double? ConnectMs { get; set; }
        public double? GreetingMs { get; set; }
        /// <summary>From the start of the TCP connect to the end of the TLS handshake.</summary>
        public double? TimeToSecureChannelMs { get; set; }
        public double TotalMs { get; set; }

        /// <summary>Bytes the client sent in plaintext before TLS (0 with implicit TLS).</summary>
        public long PlaintextBytesSent { get; set; }
        /// <summary>Bytes the server sent in plaintext before TLS, including any discarded at the upgrade.</summary>
        public long PlaintextBytesReceived { get; set; }
        /// <summary>Client commands sent before the first encrypted byte: each is one round trip in these lock-step protocols.</summary>
        public int PlaintextRoundTrips { get; set; }

        /// <summary>The dialogue, one line per exchange: "+12.3ms S plain 220 ...". Null unless asked for.</summary>
        public string? Transcript { get; set; }

        /// <summary>The success test that -Quiet and exit codes use.</summary>
        public bool IsHealthy => Status == StartTlsStatus.Success && CertificateValid == true;

        /// <summary>What is wrong with the server, most severe first; computed at the end of every test, failures included.</summary>
        public FindingList Findings { get; set; } = FindingList.Empty;
        /// <summary>The findings' ids joined with "; ", for Export-Csv; empty when there are none.</summary>
        public string FindingIds => string.Join(ListSeparator, System.Linq.Enumerable.Select(Findings, f => f.Id));

        /// <summary>DANE (Test-StartTls -Dane): NotChecked unless asked for.</summary>
        public MailDomain.DaneStatus DaneStatus { get; set; }
        /// <summary>The TLSA record that matched, "3 1 1 hex".</summary>
        public string? DaneMatchedRecord { get; set; }
        /// <summary>Where in the presented chain it matched: 0 the server's certificate, 1 its issuer, ...</summary>
        public int? DaneMatchedDepth { get; set; }
        public string? DaneReason { get; set; }
        public TextList TlsaRecords { get; set; } = TextList.Empty;
        public Resolution.DnssecStatus? TlsaDnssec { get; set; }

        /// <summary>The certificates the server sent in the handshake, leaf first: what DANE matches against. Never output.</summary>
        internal System.Collections.Generic.IReadOnlyList<System.Security.Cryptography.X509Certificates.X509Certificate2> PresentedCertificates { get; set; } =
            new System.Security.Cryptography.X509Certificates.X509Certificate2[0];
    }
}
