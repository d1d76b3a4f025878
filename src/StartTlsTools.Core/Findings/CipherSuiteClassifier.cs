using System;

namespace StartTlsTools
{
    /// <summary>How a negotiated cipher suite rates. Unknown means "no opinion", never "fine".</summary>
    public enum CipherSuiteRating
    {
        Unknown,
        Secure,
        Weak,
        Insecure,
    }

    /// <summary>
    /// Rates a cipher suite by its IANA name. The one seam the findings use for ciphers, so that a full
    /// registry (with per-suite ratings) can replace the name-based default without touching the analyzer.
    /// </summary>
    public interface ICipherSuiteClassifier
    {
        /// <summary>The rating and, for anything but Secure/Unknown, why (one short phrase).</summary>
        (CipherSuiteRating Rating, string Why) Classify(string ianaName);
    }

    /// <summary>
    /// The default classifier: reads the parts of an IANA suite name. Basis, RFC 9325 (BCP 195) section 4.1:
    /// NULL, EXPORT, anonymous, RC4 (RFC 7465), single DES, RC2 and MD5 MACs are MUST NOT, so Insecure; 3DES
    /// (64-bit blocks, SWEET32, CVE-2016-2183) and IDEA are below 128-bit security, so Insecure too. Static RSA
    /// key exchange (no forward secrecy, RFC 9325 4.1 SHOULD NOT) and CBC with a SHA-1 MAC (MAC-then-encrypt,
    /// Lucky Thirteen CVE-2013-0169) are Weak. AEAD suites with ephemeral key exchange, and every TLS 1.3 suite
    /// with a cipher, are Secure. A name this does not understand is Unknown.
    /// </summary>
    public sealed class CipherSuiteNameClassifier : ICipherSuiteClassifier
    {
        public static readonly CipherSuiteNameClassifier Instance = new CipherSuiteNameClassifier();

        public (CipherSuiteRating Rating, string Why) Classify(string ianaName)
        {
            string name = (ianaName ?? "").Trim().ToUpperInvariant();
            if (!(name.StartsWith("TLS_", StringComparison.Ordinal) || name.StartsWith("SSL_", StringComparison.Ordinal)))
                return (CipherSuiteRating.Unknown, "");

            int with = name.IndexOf("_WITH_", StringComparison.Ordinal);
            if (with < 0)
            {
                // TLS 1.3 names: TLS_<AEAD>_<HASH>. RFC 9150's integrity-only suites (TLS_SHA256_SHA256) have no cipher.
                if (name == "TLS_SHA256_SHA256" || name == "TLS_SHA384_SHA384") return (CipherSuiteRating.Insecure, "no encryption (integrity-only suite)");
                if (name.StartsWith("TLS_AES_", StringComparison.Ordinal) || name.StartsWith("TLS_CHACHA20_", StringComparison.Ordinal) || name.StartsWith("TLS_SM4_", StringComparison.Ordinal))
                    return (CipherSuiteRating.Secure, "");
                return (CipherSuiteRating.Unknown, "");
            }

            string keyExchange = name.Substring(4, with - 4);
            string bulkAndMac = name.Substring(with + 6);
            string[] kx = keyExchange.Split('_');
            string[] parts = bulkAndMac.Split('_');

            if (Array.IndexOf(parts, "NULL") >= 0 || keyExchange == "NULL") return (CipherSuiteRating.Insecure, "no encryption (NULL cipher)");
            if (keyExchange.Contains("EXPORT") || bulkAndMac.Contains("EXPORT") || bulkAndMac.Contains("_40_") || bulkAndMac.Contains("DES40"))
                return (CipherSuiteRating.Insecure, "export-grade cryptography");
            if (Array.IndexOf(kx, "ANON") >= 0) return (CipherSuiteRating.Insecure, "anonymous key exchange (no server authentication)");
            if (Array.IndexOf(parts, "RC4") >= 0) return (CipherSuiteRating.Insecure, "RC4 (RFC 7465 prohibits it)");
            if (Array.IndexOf(parts, "RC2") >= 0) return (CipherSuiteRating.Insecure, "RC2");
            if (bulkAndMac.Contains("3DES") || bulkAndMac.Contains("DES_EDE")) return (CipherSuiteRating.Insecure, "3DES (64-bit blocks, SWEET32)");
            if (Array.IndexOf(parts, "DES") >= 0) return (CipherSuiteRating.Insecure, "single DES (56-bit key)");
            if (Array.IndexOf(parts, "IDEA") >= 0) return (CipherSuiteRating.Insecure, "IDEA (64-bit blocks; removed from TLS 1.2)");
            if (parts[parts.Length - 1] == "MD5") return (CipherSuiteRating.Insecure, "MD5 MAC");

            bool aead = bulkAndMac.Contains("_GCM") || bulkAndMac.Contains("_CCM") || bulkAndMac.Contains("CHACHA20_POLY1305");
            bool ephemeral = kx[0] == "DHE" || kx[0] == "ECDHE";
            bool staticRsa = keyExchange == "RSA" || keyExchange == "RSA_PSK" || keyExchange == "DH_RSA" || keyExchange == "DH_DSS" || keyExchange == "ECDH_RSA" || keyExchange == "ECDH_ECDSA";
            if (bulkAndMac.Contains("_CBC") && parts[parts.Length - 1] == "SHA") return (CipherSuiteRating.Weak, "CBC mode with a SHA-1 MAC" + (ephemeral ? "" : ", no forward secrecy"));
            if (staticRsa) return (CipherSuiteRating.Weak, "no forward secrecy (static key exchange)");
            if (!aead) return (CipherSuiteRating.Weak, "CBC mode (MAC-then-encrypt)");
            return ephemeral || keyExchange == "PSK" || keyExchange.StartsWith("ECDHE_PSK", StringComparison.Ordinal) || keyExchange.StartsWith("DHE_PSK", StringComparison.Ordinal)
                ? (CipherSuiteRating.Secure, "")
                : (CipherSuiteRating.Unknown, "");
        }
    }
}
