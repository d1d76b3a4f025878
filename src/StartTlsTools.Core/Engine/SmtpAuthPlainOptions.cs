using System;
using System.Collections.Generic;
using System.Security;
using System.Security.Cryptography.X509Certificates;

namespace StartTlsTools
{
    /// <summary>
    /// What Invoke-SmtpAuthPlain needs. The password is a SecureString on purpose: the engine copies it into
    /// arrays only to build the AUTH line and zeroes them once the line is on the wire; it never becomes a string.
    /// </summary>
    public sealed class SmtpAuthPlainOptions
    {
        public string HostName { get; set; } = "";
        /// <summary>Null: 587, or 465 with ImplicitTls.</summary>
        public int? Port { get; set; }
        public bool ImplicitTls { get; set; }
        public string UserName { get; set; } = "";
        public SecureString? Password { get; set; }
        /// <summary>RFC 4616 authzid: act as this identity; null or empty means the user's own.</summary>
        public string? AuthorizationIdentity { get; set; }
        public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
        public string? EhloName { get; set; }
        public X509Certificate2Collection TrustedRoots { get; } = new X509Certificate2Collection();
        /// <summary>Send the credentials without TLS when the server offers no STARTTLS. Off by default.</summary>
        public bool AllowPlaintext { get; set; }
        /// <summary>Send the credentials even over TLS whose certificate failed validation.</summary>
        public bool SkipCertificateCheck { get; set; }
        /// <summary>"AUTH PLAIN &lt;response&gt;" in one line (RFC 4954 initial response); false sends "AUTH PLAIN" and answers the 334.</summary>
        public bool InitialResponse { get; set; } = true;
        public bool IncludeTranscript { get; set; }

        public int EffectivePort => Port ?? (ImplicitTls ? 465 : 587);

        /// <summary>The Test-StartTls options for the TLS part of the attempt.</summary>
        public StartTlsTestOptions ToTestOptions()
        {
            var test = new StartTlsTestOptions
            {
                HostName = HostName,
                Protocol = StartTlsProtocol.Submission,
                Port = EffectivePort,
                ImplicitTls = ImplicitTls,
                Timeout = Timeout,
                EhloName = EhloName,
                IncludeTranscript = IncludeTranscript,
            };
            test.TrustedRoots.AddRange(TrustedRoots);
            return test;
        }

        public IReadOnlyList<string> Validate()
        {
            var problems = new List<string>(ToTestOptions().Validate());
            if (string.IsNullOrEmpty(UserName)) problems.Add("A user name is required.");
            else if (UserName.IndexOf('\0') >= 0) problems.Add("The user name must not contain NUL.");
            if (AuthorizationIdentity != null && AuthorizationIdentity.IndexOf('\0') >= 0) problems.Add("The authorization identity must not contain NUL.");
            if (Password == null) problems.Add("A password is required.");
            return problems;
        }
    }
}
