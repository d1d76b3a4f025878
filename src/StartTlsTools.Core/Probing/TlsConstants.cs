using System;

namespace StartTlsTools.Probing
{
    /// <summary>Wire constants shared by the ClientHello builder and the parsers (RFC 5246, RFC 8446).</summary>
    public static class TlsConstants
    {
        public const int ContentChangeCipherSpec = 20;
        public const int ContentAlert = 21;
        public const int ContentHandshake = 22;
        public const int ContentApplicationData = 23;

        public const int HandshakeClientHello = 1;
        public const int HandshakeServerHello = 2;
        public const int HandshakeCertificate = 11;
        public const int HandshakeServerKeyExchange = 12;
        public const int HandshakeServerHelloDone = 14;

        /// <summary>A TLSCiphertext may be 2^14 + 2048 bytes (RFC 5246 6.2.3); nothing larger is read.</summary>
        public const int MaxRecordLength = 16384 + 2048;
        /// <summary>Bound on one handshake message and on all handshake bytes of one probe (certificate chains fit easily).</summary>
        public const int MaxHandshakeMessageLength = 128 * 1024;
        public const int MaxHandshakeBytes = 256 * 1024;

        public const int ExtServerName = 0x0000;
        public const int ExtSupportedGroups = 0x000A;
        public const int ExtEcPointFormats = 0x000B;
        public const int ExtSignatureAlgorithms = 0x000D;
        public const int ExtPadding = 0x0015;
        public const int ExtExtendedMasterSecret = 0x0017;
        public const int ExtSupportedVersions = 0x002B;
        public const int ExtPskKeyExchangeModes = 0x002D;
        public const int ExtKeyShare = 0x0033;
        public const int ExtRenegotiationInfo = 0xFF01;

        public const int EmptyRenegotiationInfoScsv = 0x00FF;

        /// <summary>The ServerHello.random that marks a HelloRetryRequest (RFC 8446 4.1.3): SHA-256 of "HelloRetryRequest".</summary>
        public static readonly byte[] HelloRetryRequestRandom =
        {
            0xCF, 0x21, 0xAD, 0x74, 0xE5, 0x9A, 0x61, 0x11, 0xBE, 0x1D, 0x8C, 0x02, 0x1E, 0x65, 0xB8, 0x91,
            0xC2, 0xA2, 0x11, 0x16, 0x7A, 0xBB, 0x8C, 0x5E, 0x07, 0x9E, 0x09, 0xE2, 0xC8, 0xA8, 0x33, 0x9C,
        };

        /// <summary>The two-byte wire version of a protocol version (SSL 3.0 = 0x0300 ... TLS 1.3 = 0x0304).</summary>
        public static int WireVersion(TlsProtocolVersion version)
        {
            switch (version)
            {
                case TlsProtocolVersion.Ssl3: return 0x0300;
                case TlsProtocolVersion.Tls10: return 0x0301;
                case TlsProtocolVersion.Tls11: return 0x0302;
                case TlsProtocolVersion.Tls12: return 0x0303;
                case TlsProtocolVersion.Tls13: return 0x0304;
                default: throw new ArgumentOutOfRangeException(nameof(version), version, "No TLS record version for this protocol.");
            }
        }

        public static TlsProtocolVersion FromWire(int wire)
        {
            switch (wire)
            {
                case 0x0002: return TlsProtocolVersion.Ssl2;
                case 0x0300: return TlsProtocolVersion.Ssl3;
                case 0x0301: return TlsProtocolVersion.Tls10;
                case 0x0302: return TlsProtocolVersion.Tls11;
                case 0x0303: return TlsProtocolVersion.Tls12;
                case 0x0304: return TlsProtocolVersion.Tls13;
                default: return TlsProtocolVersion.None;
            }
        }

        /// <summary>"SSLv2", "SSLv3", "TLSv1.0" ... "TLSv1.3": the names the results use.</summary>
        public static string Name(TlsProtocolVersion version)
        {
            switch (version)
            {
                case TlsProtocolVersion.Ssl2: return "SSLv2";
                case TlsProtocolVersion.Ssl3: return "SSLv3";
                case TlsProtocolVersion.Tls10: return "TLSv1.0";
                case TlsProtocolVersion.Tls11: return "TLSv1.1";
                case TlsProtocolVersion.Tls12: return "TLSv1.2";
                case TlsProtocolVersion.Tls13: return "TLSv1.3";
                default: return "None";
            }
        }
    }
}
