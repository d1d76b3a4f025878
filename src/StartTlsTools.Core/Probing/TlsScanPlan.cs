using System;
using System.Collections.Generic;
using System.Linq;

namespace StartTlsTools.Probing
{
    /// <summary>
    /// What a capability scan offers and how it reads the answers, decided without a network: the versions and their
    /// order, the suite lists and their windows, the group and curve offers. <see cref="TlsScanExecution"/> runs it.
    /// </summary>
    internal static class TlsScanPlan
    {
        /// <summary>Every version a scan reports on, oldest first.</summary>
        public static readonly IReadOnlyList<TlsProtocolVersion> ScannedVersions = new[]
        {
            TlsProtocolVersion.Ssl2, TlsProtocolVersion.Ssl3, TlsProtocolVersion.Tls10,
            TlsProtocolVersion.Tls11, TlsProtocolVersion.Tls12, TlsProtocolVersion.Tls13,
        };

        /// <summary>
        /// Goes first and alone: its first probe shows whether the address answers and the preamble works at all, so a
        /// server without STARTTLS costs one connection, not eight. TLS 1.2 is what nearly every server speaks.
        /// </summary>
        public const TlsProtocolVersion GateVersion = TlsProtocolVersion.Tls12;

        /// <summary>The suite enumerations that start once the gate is open, in parallel (SSL 2.0 has its own probe).</summary>
        public static readonly IReadOnlyList<TlsProtocolVersion> VersionsAfterGate = new[]
        {
            TlsProtocolVersion.Tls13, TlsProtocolVersion.Tls11, TlsProtocolVersion.Tls10, TlsProtocolVersion.Ssl3,
        };

        /// <summary>Key shares for servers that reject an empty key_share: x25519 and P-256, which nearly all support.</summary>
        public static readonly IReadOnlyList<int> Tls13KeyShares = new[] { 0x001D, 0x0017 };

        /// <summary>SNI: the name as the user gave it, none for an address literal (RFC 6066 3).</summary>
        public static string? ServerName(string normalizedHost) =>
            HostNameRules.IsAddressLiteral(normalizedHost) ? null : normalizedHost.TrimEnd('.');

        public static List<CipherSuite> Candidates(TlsProtocolVersion version) => CipherSuiteRegistry.ForVersion(version).ToList();

        /// <summary>The next offer from a shrinking list: its first suites, as many as one ClientHello carries.</summary>
        public static List<CipherSuite> Window(IEnumerable<CipherSuite> remaining) => remaining.Take(ClientHelloBuilder.MaxSuitesPerHello).ToList();

        /// <summary>The server-order probe: the same window reversed.</summary>
        public static List<CipherSuite> Reversed(IEnumerable<CipherSuite> window) => Enumerable.Reverse(window).ToList();

        /// <summary>
        /// A server that follows the client's order: its remaining candidates split round-robin into parts enumerated in
        /// parallel. Each part ends with one refusal, so no more parts than windows of 128 need (at least 2 for some
        /// parallelism) and no more than may run at once: the scan is bound by the server's CPU, not one chain's length.
        /// </summary>
        public static List<List<CipherSuite>> SplitForClientOrder(IReadOnlyList<CipherSuite> remaining, int maxParallel)
        {
            int windows = (remaining.Count + ClientHelloBuilder.MaxSuitesPerHello - 1) / ClientHelloBuilder.MaxSuitesPerHello;
            int parts = Math.Max(1, Math.Min(maxParallel, Math.Max(2, windows)));
            return Enumerable.Range(0, parts)
                .Select(p => remaining.Where((_, i) => i % parts == p).ToList())
                .Where(part => part.Count > 0)
                .ToList();
        }

        /// <summary>A suite offer: the window, every group of the version and (TLS 1.3) the usual key shares.</summary>
        public static ClientHelloSpec SuiteOffer(TlsProtocolVersion version, IEnumerable<CipherSuite> window, string? serverName) => new ClientHelloSpec
        {
            Version = version,
            CipherSuites = window.Select(s => s.Code).ToList(),
            Groups = (version == TlsProtocolVersion.Tls13 ? NamedGroupRegistry.Tls13Candidates : NamedGroupRegistry.Tls12Curves).Select(g => g.Code).ToList(),
            KeyShareGroups = version == TlsProtocolVersion.Tls13 ? Tls13KeyShares : new int[0],
            ServerName = serverName,
        };

        public static List<int> Tls13GroupCandidates() => NamedGroupRegistry.Tls13Candidates.Select(g => g.Code).ToList();

        /// <summary>
        /// A TLS 1.3 group offer: the groups not yet found, with no key share, so that the server names its choice in a
        /// HelloRetryRequest; <paramref name="withShares"/> for servers that reject an empty key_share.
        /// </summary>
        public static ClientHelloSpec Tls13GroupOffer(IReadOnlyList<int> remainingGroups, bool withShares, string? serverName) => new ClientHelloSpec
        {
            Version = TlsProtocolVersion.Tls13,
            CipherSuites = CipherSuiteRegistry.ForVersion(TlsProtocolVersion.Tls13).Select(s => s.Code).ToList(),
            Groups = remainingGroups,
            KeyShareGroups = withShares ? Tls13KeyShares.Where(remainingGroups.Contains).ToList() : new List<int>(),
            ServerName = serverName,
        };

        public static List<int> CurveCandidates() => NamedGroupRegistry.Tls12Curves.Select(g => g.Code).ToList();

        /// <summary>A curve offer below TLS 1.3: one accepted ECDHE suite and the curves not yet found; the ServerKeyExchange names the pick.</summary>
        public static ClientHelloSpec CurveOffer(TlsProtocolVersion version, int ecdheSuite, IReadOnlyList<int> remainingCurves, string? serverName) => new ClientHelloSpec
        {
            Version = version,
            CipherSuites = new[] { ecdheSuite },
            Groups = remainingCurves,
            KeyShareGroups = new int[0],
            ServerName = serverName,
        };

        public static bool IsEcdhe(CipherSuite suite) => suite.KeyExchange.StartsWith("ECDHE", StringComparison.Ordinal);

        /// <summary>What the server's answer to a suite offer says.</summary>
        public static SuiteAnswer ReadSuiteAnswer(TlsProtocolVersion version, IReadOnlyList<CipherSuite> window, ServerFlight flight)
        {
            var hello = flight.ServerHello;
            if (hello == null)
                // protocol_version (or an SSLv2 answer) means the version is off: no need to offer the rest.
                return new SuiteAnswer(flight.Alert?.Description == 70 || flight.Ssl2ServerHello != null ? SuiteAnswerKind.VersionOff : SuiteAnswerKind.Refused);
            if (!hello.IsHelloRetryRequest && hello.Version != version) return new SuiteAnswer(SuiteAnswerKind.VersionOff);
            var chosen = window.FirstOrDefault(s => s.Code == hello.CipherSuite);
            if (chosen == null)
                return new SuiteAnswer(SuiteAnswerKind.Stop,
                    problem: $"{TlsConstants.Name(version)}: the server chose suite 0x{hello.CipherSuite:X4}, which was not offered; enumeration of this version stopped.");
            return new SuiteAnswer(SuiteAnswerKind.Chosen, chosen, flight.KeyExchange?.Describe());
        }
    }

    internal enum SuiteAnswerKind
    {
        /// <summary>The server picked one of the offered suites.</summary>
        Chosen,
        /// <summary>None of the offered suites is acceptable (at this version).</summary>
        Refused,
        /// <summary>The server does not speak this version at all.</summary>
        VersionOff,
        /// <summary>Nothing more can be learned for this version (no usable answer, or a nonsensical one).</summary>
        Stop,
    }

    internal sealed class SuiteAnswer
    {
        public SuiteAnswer(SuiteAnswerKind kind, CipherSuite? suite = null, string? detail = null, string? problem = null)
        {
            Kind = kind;
            Suite = suite;
            Detail = detail;
            Problem = problem;
        }

        public SuiteAnswerKind Kind { get; }
        public CipherSuite? Suite { get; }
        /// <summary>The key exchange the server used (ServerKeyExchange), when it said.</summary>
        public string? Detail { get; }
        /// <summary>Why the answer made the scan stop this version: an untested note.</summary>
        public string? Problem { get; }
    }
}
