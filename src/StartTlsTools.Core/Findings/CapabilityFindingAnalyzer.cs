using System.Collections.Generic;
using System.Linq;
using StartTlsTools.Probing;

namespace StartTlsTools
{
    /// <summary>
    /// Findings from Get-TlsCapability's enumeration: what the server accepts from any client, not only what it
    /// negotiated with this one. Same ids style and severities as <see cref="FindingAnalyzer"/>.
    /// </summary>
    public static class CapabilityFindingAnalyzer
    {
        public const string LegacyVersionAccepted = "TlsLegacyVersionAccepted";
        public const string Tls13NotSupported = "Tls13NotSupported";
        public const string InsecureCipherSuitesAccepted = "CipherSuitesInsecureAccepted";
        public const string WeakCipherSuitesAccepted = "CipherSuitesWeakAccepted";
        public const string ClientCipherOrder = "ServerCipherOrderNotEnforced";

        public static readonly IReadOnlyList<string> AllIds = new[]
        {
            LegacyVersionAccepted, Tls13NotSupported, InsecureCipherSuitesAccepted, WeakCipherSuitesAccepted, ClientCipherOrder,
        };

        /// <summary>Most severe first. Nothing when the enumeration found no TLS at all.</summary>
        public static FindingList Analyze(TlsCapabilitySummary summary, IReadOnlyList<TlsCipherSuiteResult> suites)
        {
            var findings = new List<Finding>();
            if (suites.Count == 0) return new FindingList(findings);

            var versions = suites.Select(s => s.TlsVersion).Distinct().ToList();
            var legacy = versions.Where(v => v == "SSLv2" || v == "SSLv3" || v == "TLSv1.0" || v == "TLSv1.1").ToList();
            if (legacy.Count > 0)
            {
                bool ssl = legacy.Any(v => v.StartsWith("SSL", System.StringComparison.Ordinal));
                findings.Add(new Finding(LegacyVersionAccepted, ssl ? FindingSeverity.Critical : FindingSeverity.High,
                    "The server accepts protocol versions below TLS 1.2",
                    $"Accepted: {string.Join(", ", legacy)}. A client or attacker can still negotiate them.",
                    ssl ? "RFC 7568 (SSL 3.0); RFC 6176 (SSL 2.0); RFC 8996" : "RFC 8996"));
            }
            if (!versions.Contains("TLSv1.3"))
                findings.Add(new Finding(Tls13NotSupported, FindingSeverity.Low, "The server does not support TLS 1.3",
                    "No TLS 1.3 cipher suite was accepted.", "RFC 8446; RFC 9325 section 3.1.1"));

            AddSuites(findings, suites, CipherRating.Insecure, InsecureCipherSuitesAccepted, FindingSeverity.High, "The server accepts insecure cipher suites", "Insufficient");
            AddSuites(findings, suites, CipherRating.Weak, WeakCipherSuitesAccepted, FindingSeverity.Low, "The server accepts weak cipher suites", "Phase out");

            // Order matters only when weaker suites are on offer: a client-order server lets the client pick them.
            bool clientOrder = (summary.ServerOrder ?? "").Contains("=Client");
            if (clientOrder && suites.Any(s => s.Rating <= CipherRating.Weak))
                findings.Add(new Finding(ClientCipherOrder, FindingSeverity.Info, "The server follows the client's cipher order",
                    $"Per version: {summary.ServerOrder}. With weak suites accepted, the client decides whether they are used.",
                    "RFC 9325 section 4.2"));

            return new FindingList(findings.Select((f, i) => (f, i)).OrderByDescending(x => x.f.Severity).ThenBy(x => x.i).Select(x => x.f));
        }

        private static void AddSuites(List<Finding> findings, IReadOnlyList<TlsCipherSuiteResult> suites, CipherRating rating,
            string id, FindingSeverity severity, string title, string category)
        {
            var matching = suites.Where(s => s.Rating == rating).ToList();
            if (matching.Count == 0) return;
            var names = matching.Select(s => s.TlsVersion + " " + s.CipherSuite).Take(10).ToList();
            string more = matching.Count > names.Count ? $" and {matching.Count - names.Count} more" : "";
            findings.Add(new Finding(id, severity, title,
                $"{matching.Count} accepted (version, suite) pair(s) rated \"{category}\" by the NCSC-NL TLS guidelines: {string.Join("; ", names)}{more}.",
                "NCSC-NL TLS guidelines (2021); RFC 9325 section 4"));
        }
    }
}
