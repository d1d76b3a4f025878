namespace StartTlsTools.Probing
{
    /// <summary>
    /// Rates a cipher suite by the categories of the NCSC-NL TLS guidelines (2021), applied per component;
    /// the suite gets the worst of its components:
    /// <list type="bullet">
    /// <item>Key exchange: ECDHE Good; DHE Sufficient; static RSA, DH, ECDH and PSK Phase out; anonymous,
    /// export, NULL, SRP and Kerberos Insufficient.</item>
    /// <item>Cipher: AES-GCM and ChaCha20-Poly1305 Good; AES-CBC and AES-CCM Sufficient; AES-CCM8 and 3DES Phase out;
    /// NULL, RC4, DES, RC2 and anything under 112 bits Insufficient. Camellia, ARIA, SEED and IDEA are not
    /// listed by the guidelines; this module rates them Phase out, a conservative choice of its own.</item>
    /// <item>MAC: AEAD, SHA-256 and SHA-384 Good; SHA-1 Sufficient; MD5 Insufficient.</item>
    /// <item>SSLv2 cipher kits are Insufficient whatever they contain (the protocol itself is broken).</item>
    /// </list>
    /// Good is reported as Recommended, Sufficient as Secure, Phase out as Weak, Insufficient as Insecure.
    /// </summary>
    public static class CipherSuiteRating
    {
        public static CipherRating Rate(CipherSuite suite)
        {
            if (suite.IsSsl2Kit || suite.Export) return CipherRating.Insecure;
            CipherRating rating = KeyExchange(suite);
            rating = Min(rating, Cipher(suite));
            rating = Min(rating, Mac(suite.Mac));
            return rating;
        }

        private static CipherRating KeyExchange(CipherSuite suite)
        {
            if (suite.Authentication == "anon" || suite.Authentication == "NULL") return CipherRating.Insecure;
            switch (suite.KeyExchange)
            {
                case "ECDHE/DHE": // TLS 1.3 only has ephemeral key exchange
                case "ECDHE":
                case "ECDHE-PSK":
                    return CipherRating.Recommended;
                case "DHE":
                case "DHE-PSK":
                    return CipherRating.Secure;
                case "RSA":
                case "DH":
                case "ECDH":
                case "PSK":
                case "RSA-PSK":
                    return CipherRating.Weak;
                default:
                    return CipherRating.Insecure;
            }
        }

        private static CipherRating Cipher(CipherSuite suite)
        {
            if (suite.Bits < 112) return CipherRating.Insecure;
            switch (suite.Encryption)
            {
                case "AES-GCM":
                case "ChaCha20-Poly1305":
                    return CipherRating.Recommended;
                case "AES-CBC":
                case "AES-CCM":
                    return CipherRating.Secure;
                case "AES-CCM8":
                case "3DES-CBC":
                case "Camellia-CBC":
                case "Camellia-GCM":
                case "ARIA-CBC":
                case "ARIA-GCM":
                case "SEED-CBC":
                case "IDEA-CBC":
                    return CipherRating.Weak;
                default:
                    return CipherRating.Insecure;
            }
        }

        private static CipherRating Mac(string mac)
        {
            switch (mac)
            {
                case "AEAD":
                case "SHA256":
                case "SHA384":
                    return CipherRating.Recommended;
                case "SHA1":
                    return CipherRating.Secure;
                default:
                    return CipherRating.Insecure;
            }
        }

        private static CipherRating Min(CipherRating a, CipherRating b) => a < b ? a : b;
    }
}
