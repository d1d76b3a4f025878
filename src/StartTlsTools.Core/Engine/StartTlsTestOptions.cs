using System.Collections.Generic;

namespace StartTlsTools
{
    /// <summary>What Test-StartTls tests and how. Validate with <see cref="Validate"/> before any connection is made.</summary>
    public sealed class StartTlsTestOptions : TargetOptions
    {
        public bool IncludeTranscript { get; set; }
        /// <summary>
        /// Learn whether TLS is required on a second plaintext connection when the protocol's own dialogue does not show
        /// it (SMTP MAIL FROM:&lt;&gt;, POP3 USER, LDAP anonymous bind, FTP USER, NNTP AUTHINFO USER). Never a login,
        /// password, recipient or message. Off by default: it is one more connection.
        /// </summary>
        public bool CheckEnforcement { get; set; }
        /// <summary>A certificate expiring within this many days is a finding; 0 turns that check off.</summary>
        public int ExpiryWarningDays { get; set; } = FindingOptions.DefaultExpiryWarningDays;

        /// <summary>Every problem with these options, as messages a user can act on. Empty means valid.</summary>
        public IReadOnlyList<string> Validate()
        {
            var problems = ValidateTarget();
            if (ExpiryWarningDays < 0 || ExpiryWarningDays > FindingOptions.MaxExpiryWarningDays)
                problems.Add($"ExpiryWarningDays must be between 0 and {FindingOptions.MaxExpiryWarningDays}.");
            return problems;
        }
    }
}
