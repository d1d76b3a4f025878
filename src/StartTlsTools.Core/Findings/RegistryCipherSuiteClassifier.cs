using System;
using System.Collections.Generic;
using System.Linq;
using StartTlsTools.Probing;

namespace StartTlsTools
{
    /// <summary>
    /// The default classifier: rates a negotiated suite exactly as Get-TlsCapability rates an accepted one, from
    /// the IANA registry (NCSC-NL TLS guidelines 2021, see <see cref="Probing.CipherSuiteRating"/>), so that the two
    /// cmdlets never disagree about the same suite. Names the registry does not know fall back to the name-based
    /// classifier (RFC 9325).
    /// </summary>
    public sealed class RegistryCipherSuiteClassifier : ICipherSuiteClassifier
    {
        public static readonly RegistryCipherSuiteClassifier Instance = new RegistryCipherSuiteClassifier();

        private static readonly Lazy<Dictionary<string, CipherSuite>> ByName = new Lazy<Dictionary<string, CipherSuite>>(() =>
            CipherSuiteRegistry.All
                .GroupBy(s => s.IanaName, StringComparer.OrdinalIgnoreCase)
                .ToDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase));

        /// <summary>The registry's entry for an IANA name, or null (the HTML report rates negotiated suites with it).</summary>
        internal static CipherSuite? Find(string? ianaName) =>
            !string.IsNullOrWhiteSpace(ianaName) && ByName.Value.TryGetValue(ianaName!.Trim(), out CipherSuite? suite) ? suite : null;

        public (CipherSuiteRating Rating, string Why) Classify(string ianaName)
        {
            if (string.IsNullOrWhiteSpace(ianaName) || !ByName.Value.TryGetValue(ianaName.Trim(), out CipherSuite? suite))
                return CipherSuiteNameClassifier.Instance.Classify(ianaName ?? "");
            switch (suite.Rating)
            {
                case CipherRating.Insecure: return (CipherSuiteRating.Insecure, Why(suite, "Insufficient"));
                case CipherRating.Weak: return (CipherSuiteRating.Weak, Why(suite, "Phase out"));
                default: return (CipherSuiteRating.Secure, "");
            }
        }

        private static string Why(CipherSuite suite, string category) =>
            $"NCSC-NL rates it \"{category}\" (key exchange {suite.KeyExchange}, authentication {suite.Authentication}, " +
            $"cipher {suite.Encryption} {suite.Bits} bits, MAC {suite.Mac}{(suite.Export ? ", export grade" : "")})";
    }
}
