using System;
using System.Collections.Generic;
using System.Linq;
using System.Security;

namespace StartTlsTools
{
    /// <summary>
    /// What Invoke-SmtpAuthPlain needs. The password is a SecureString on purpose: the engine copies it into
    /// arrays only to build the AUTH line and zeroes them once the line is on the wire; it never becomes a string.
    /// </summary>
    public sealed class SmtpAuthPlainOptions : TargetOptions
    {
        public SmtpAuthPlainOptions() { Protocol = StartTlsProtocol.Submission; }

        public string UserName { get; set; } = "";
        public SecureString? Password { get; set; }
        /// <summary>RFC 4616 authzid: act as this identity; null or empty means the user's own.</summary>
        public string? AuthorizationIdentity { get; set; }
        /// <summary>Send the credentials without TLS when the server offers no STARTTLS. Off by default.</summary>
        public bool AllowPlaintext { get; set; }
        /// <summary>Send the credentials even over TLS whose certificate failed validation.</summary>
        public bool SkipCertificateCheck { get; set; }
        /// <summary>"AUTH PLAIN &lt;response&gt;" in one line (RFC 4954 initial response); false sends "AUTH PLAIN" and answers the 334.</summary>
        public bool InitialResponse { get; set; } = true;
        public bool IncludeTranscript { get; set; }

        /// <summary>The protocols that carry SMTP AUTH: Submission (587, 465 implicit) by default, Smtp (25) for an MX that offers AUTH.</summary>
        public static readonly IReadOnlyList<StartTlsProtocol> SmtpProtocols = new[] { StartTlsProtocol.Submission, StartTlsProtocol.Smtp };

        /// <summary>The Test-StartTls options for the TLS part of the attempt.</summary>
        public StartTlsTestOptions ToTestOptions()
        {
            var test = CopyTargetTo(new StartTlsTestOptions { IncludeTranscript = IncludeTranscript });
            test.Port = EffectivePort;
            return test;
        }

        public IReadOnlyList<string> Validate()
        {
            var problems = ValidateTarget();
            if (!SmtpProtocols.Contains(Protocol))
                problems.Add($"SMTP AUTH PLAIN is tested over {string.Join(" or ", SmtpProtocols)}, not {Protocol}.");
            if (string.IsNullOrEmpty(UserName)) problems.Add("A user name is required.");
            else if (UserName.IndexOf('\0') >= 0) problems.Add("The user name must not contain NUL.");
            if (AuthorizationIdentity != null && AuthorizationIdentity.IndexOf('\0') >= 0) problems.Add("The authorization identity must not contain NUL.");
            if (Password == null) problems.Add("A password is required.");
            return problems;
        }
    }
}
