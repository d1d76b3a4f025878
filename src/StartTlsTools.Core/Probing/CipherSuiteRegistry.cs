using System.Collections.Generic;
using System.Linq;

namespace StartTlsTools.Probing
{
    /// <summary>Every IANA-assigned TLS cipher suite and the SSLv2 cipher kits, looked up by code.</summary>
    public static class CipherSuiteRegistry
    {
        private static readonly Dictionary<int, CipherSuite> TlsByCode = CipherSuiteTable.All.Where(s => !s.IsSsl2Kit).ToDictionary(s => s.Code);
        private static readonly Dictionary<int, CipherSuite> Ssl2ByCode = CipherSuiteTable.All.Where(s => s.IsSsl2Kit).ToDictionary(s => s.Code);

        public static IReadOnlyList<CipherSuite> All => CipherSuiteTable.All;

        public static IEnumerable<CipherSuite> Ssl2Kits => Ssl2ByCode.Values.OrderBy(s => s.Code);

        /// <summary>A TLS suite by its two-byte code, or an "unknown" placeholder so that nothing a server picks is lost.</summary>
        public static CipherSuite Get(int code) =>
            TlsByCode.TryGetValue(code, out var suite) ? suite : Unknown(code, TlsProtocolVersion.Ssl3);

        public static CipherSuite GetSsl2(int code) =>
            Ssl2ByCode.TryGetValue(code, out var suite) ? suite : Unknown(code, TlsProtocolVersion.Ssl2);

        public static bool IsKnown(int code) => TlsByCode.ContainsKey(code);

        /// <summary>
        /// The suites worth offering at a version: TLS 1.3 offers only its own; older versions offer every suite
        /// defined at or below them (a server must not pick a suite from a later version, RFC 5246 7.4.1.2).
        /// Suites OpenSSL knows come first: most servers are built on it, so the first window of 128 holds what they accept.
        /// </summary>
        public static IReadOnlyList<CipherSuite> ForVersion(TlsProtocolVersion version)
        {
            IEnumerable<CipherSuite> suites = version == TlsProtocolVersion.Tls13
                ? TlsByCode.Values.Where(s => s.IsTls13)
                : TlsByCode.Values.Where(s => !s.IsTls13 && s.LowestVersion <= version && s.Code != 0x0000);
            return suites.OrderBy(s => s.OpenSslName.Length == 0 ? 1 : 0).ThenByDescending(s => s.Rating).ThenBy(s => s.Code).ToList();
        }

        private static CipherSuite Unknown(int code, TlsProtocolVersion version) =>
            new CipherSuite(code, "UNKNOWN_" + code.ToString("X4"), "", "?", "?", "?", 0, CipherMode.None, "?", false, version);
    }
}
