using System;
using System.Collections.Generic;
using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace StartTlsTools.MailDomain
{
    /// <summary>What Test-MailDomain (and starttls domain) tests and how; validate before any lookup.</summary>
    public sealed class MailDomainTestOptions
    {
        public string Domain { get; set; } = "";
        /// <summary>Each DNS query, connect, reply, handshake and policy-fetch step.</summary>
        public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
        public string? EhloName { get; set; }
        /// <summary>The resolver for every lookup; null means the system's configured DNS servers.</summary>
        public IPEndPoint? DnsServer { get; set; }
        /// <summary>Roots trusted besides the OS store, for the MX certificates (PKIX, MTA-STS) and the policy hosts.</summary>
        public X509Certificate2Collection TrustedRoots { get; } = new X509Certificate2Collection();
        public int ExpiryWarningDays { get; set; } = FindingOptions.DefaultExpiryWarningDays;

        public IReadOnlyList<string> Validate()
        {
            var problems = new List<string>();
            string domain = Domain.Trim().TrimEnd('.');
            string? hostProblem = HostNameRules.Check(domain);
            if (hostProblem != null) problems.Add(hostProblem);
            else if (HostNameRules.TryParseAddress(domain, out _)) problems.Add($"'{Domain}' is an address, not a mail domain.");
            if (Timeout < TimeSpan.FromSeconds(StartTlsTestOptions.MinTimeoutSeconds) || Timeout > TimeSpan.FromSeconds(StartTlsTestOptions.MaxTimeoutSeconds))
                problems.Add($"Timeout must be between {StartTlsTestOptions.MinTimeoutSeconds} and {StartTlsTestOptions.MaxTimeoutSeconds} seconds.");
            if (EhloName != null && HostNameRules.Check(EhloName) != null && !HostNameRules.IsAddressLiteral(EhloName))
                problems.Add($"EHLO name '{EhloName}' is not a valid host name or address literal.");
            if (ExpiryWarningDays < 0 || ExpiryWarningDays > FindingOptions.MaxExpiryWarningDays)
                problems.Add($"ExpiryWarningDays must be between 0 and {FindingOptions.MaxExpiryWarningDays}.");
            return problems;
        }
    }
}
