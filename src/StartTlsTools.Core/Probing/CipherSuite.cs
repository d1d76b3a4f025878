using System;

namespace StartTlsTools.Probing
{
    public enum CipherMode
    {
        None,
        Stream,
        Cbc,
        Aead,
    }

    /// <summary>
    /// A security rating for a cipher suite. The basis is the NCSC-NL "IT Security Guidelines for Transport
    /// Layer Security (TLS)" (2021): Good → Recommended, Sufficient → Secure, Phase out → Weak,
    /// Insufficient → Insecure. See <see cref="CipherSuiteRating"/> for the exact rules.
    /// </summary>
    public enum CipherRating
    {
        Insecure,
        Weak,
        Secure,
        Recommended,
    }

    /// <summary>One IANA-assigned cipher suite (or SSLv2 cipher kit, with a three-byte code).</summary>
    public sealed class CipherSuite
    {
        public CipherSuite(int code, string ianaName, string openSslName, string keyExchange, string authentication,
            string encryption, int bits, CipherMode mode, string mac, bool export, TlsProtocolVersion lowestVersion)
        {
            Code = code;
            IanaName = ianaName;
            OpenSslName = openSslName;
            KeyExchange = keyExchange;
            Authentication = authentication;
            Encryption = encryption;
            Bits = bits;
            Mode = mode;
            Mac = mac;
            Export = export;
            LowestVersion = lowestVersion;
            Rating = CipherSuiteRating.Rate(this);
        }

        public int Code { get; }
        public string IanaName { get; }
        /// <summary>Empty where OpenSSL has no name for the suite.</summary>
        public string OpenSslName { get; }
        /// <summary>RSA, DH, DHE, ECDH, ECDHE, PSK, DHE-PSK, ECDHE-PSK, RSA-PSK, SRP, KRB5, NULL; "ECDHE/DHE" for TLS 1.3.</summary>
        public string KeyExchange { get; }
        /// <summary>RSA, DSS, ECDSA, PSK, SRP, KRB5, anon, NULL; "Certificate" for TLS 1.3.</summary>
        public string Authentication { get; }
        public string Encryption { get; }
        public int Bits { get; }
        public CipherMode Mode { get; }
        public string Mac { get; }
        public bool Export { get; }
        /// <summary>The oldest protocol version that defines the suite (SSLv2 kits: Ssl2 only).</summary>
        public TlsProtocolVersion LowestVersion { get; }
        public CipherRating Rating { get; }

        public bool IsSsl2Kit => LowestVersion == TlsProtocolVersion.Ssl2;
        public bool IsTls13 => LowestVersion == TlsProtocolVersion.Tls13;

        /// <summary>Ephemeral key exchange: a stolen server key does not decrypt recorded sessions.</summary>
        public bool ForwardSecrecy =>
            KeyExchange.StartsWith("DHE", StringComparison.Ordinal) || KeyExchange.StartsWith("ECDHE", StringComparison.Ordinal);

        /// <summary>"0xC02F" for TLS suites, "0x010080" for SSLv2 kits.</summary>
        public string CodeText => IsSsl2Kit ? "0x" + Code.ToString("X6") : "0x" + Code.ToString("X4");

        public override string ToString() => IanaName;
    }
}
