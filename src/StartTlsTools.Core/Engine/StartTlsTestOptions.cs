using System;
using System.Collections.Generic;
using System.Security.Cryptography.X509Certificates;

namespace StartTlsTools
{
    /// <summary>What to test and how. Validate with <see cref="Validate"/> before any connection is made.</summary>
    public sealed class StartTlsTestOptions
    {
        public const int MinTimeoutSeconds = 1;
        public const int MaxTimeoutSeconds = 600;

        public string HostName { get; set; } = "";
        public StartTlsProtocol Protocol { get; set; } = StartTlsProtocol.Smtp;
        /// <summary>Null means the protocol's default port for the chosen mode.</summary>
        public int? Port { get; set; }
        public bool ImplicitTls { get; set; }
        /// <summary>Applies to each network step on its own: connect, each reply, the handshake.</summary>
        public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
        /// <summary>The name sent in EHLO/LHLO; null means this machine's fully qualified name.</summary>
        public string? EhloName { get; set; }
        /// <summary>The XMPP domain sent in the stream header's to=; null means the host name. Used by Xmpp and XmppServer only.</summary>
        public string? XmppDomain { get; set; }
        /// <summary>Roots to trust in addition to the OS store (internal PKIs, a lab CA).</summary>
        public X509Certificate2Collection TrustedRoots { get; } = new X509Certificate2Collection();
        public bool IncludeTranscript { get; set; }
        /// <summary>A certificate expiring within this many days is a finding; 0 turns that check off.</summary>
        public int ExpiryWarningDays { get; set; } = FindingOptions.DefaultExpiryWarningDays;

        public int EffectivePort => Port ?? ProtocolRegistry.Get(Protocol).DefaultPort(ImplicitTls) ?? 0;

        /// <summary>Every problem with these options, as messages a user can act on. Empty means valid.</summary>
        public IReadOnlyList<string> Validate()
        {
            var problems = new List<string>();
            string? hostProblem = HostNameRules.Check(HostName);
            if (hostProblem != null) problems.Add(hostProblem);
            if (!ProtocolRegistry.IsKnown(Protocol))
                problems.Add($"Unknown protocol '{Protocol}'. Valid protocols: {string.Join(", ", ProtocolRegistry.Names)}.");
            else
            {
                var dialect = ProtocolRegistry.Get(Protocol);
                if (Port is int p && (p < 1 || p > 65535))
                    problems.Add($"Port {p} is out of range: use 1 to 65535.");
                if (Port == null && dialect.DefaultPort(ImplicitTls) == null)
                    problems.Add($"{Protocol} has no standard implicit-TLS port: give -Port.");
            }
            if (Timeout < TimeSpan.FromSeconds(MinTimeoutSeconds) || Timeout > TimeSpan.FromSeconds(MaxTimeoutSeconds))
                problems.Add($"Timeout must be between {MinTimeoutSeconds} and {MaxTimeoutSeconds} seconds.");
            if (EhloName != null && HostNameRules.Check(EhloName) != null && !HostNameRules.IsAddressLiteral(EhloName))
                problems.Add($"EHLO name '{EhloName}' is not a valid host name or address literal.");
            if (ExpiryWarningDays < 0 || ExpiryWarningDays > FindingOptions.MaxExpiryWarningDays)
                problems.Add($"ExpiryWarningDays must be between 0 and {FindingOptions.MaxExpiryWarningDays}.");
            if (XmppDomain != null && HostNameRules.Check(XmppDomain) != null)
                problems.Add($"XMPP domain '{XmppDomain}' is not a valid domain name.");
            return problems;
        }
    }
}
