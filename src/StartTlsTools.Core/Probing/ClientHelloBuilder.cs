using System;
using System.Collections.Generic;
using System.Security.Cryptography;
using System.Text;

namespace StartTlsTools.Probing
{
    /// <summary>What one probe offers.</summary>
    public sealed class ClientHelloSpec
    {
        public TlsProtocolVersion Version { get; set; } = TlsProtocolVersion.Tls12;
        public IReadOnlyList<int> CipherSuites { get; set; } = new int[0];
        /// <summary>supported_groups; empty sends none (a TLS 1.2 offer without ECDHE).</summary>
        public IReadOnlyList<int> Groups { get; set; } = new int[0];
        /// <summary>TLS 1.3: groups to send a key share for (x25519, secp256r1 supported); empty asks for a HelloRetryRequest.</summary>
        public IReadOnlyList<int> KeyShareGroups { get; set; } = new int[0];
        /// <summary>SNI; null for IP literals, which SNI must not carry (RFC 6066 3).</summary>
        public string? ServerName { get; set; }
    }

    /// <summary>
    /// Writes ClientHellos for probing: SSL 3.0 to TLS 1.2 (one version each), TLS 1.3 (supported_versions and
    /// key_share) and the SSLv2-compatible CLIENT-HELLO. The handshake is never finished, so key shares need only be
    /// well-formed: x25519 gets random bytes (any 32 bytes are a valid u-coordinate) and secp256r1 the curve's
    /// base point, a valid uncompressed point.
    /// </summary>
    public static class ClientHelloBuilder
    {
        /// <summary>Some servers (and middleboxes) choke on longer lists; every probe offers at most this many suites.</summary>
        public const int MaxSuitesPerHello = 128;

        private static readonly byte[] P256BasePoint = Hex(
            "04" +
            "6B17D1F2E12C4247F8BCE6E563A440F277037D812DEB33A0F4A13945D898C296" +
            "4FE342E2FE1A7F9B8EE7EB4A7C0F9E162BCE33576B315ECECBB6406837BF51F5");

        /// <summary>A broad list so that any certificate type the server holds is usable (RFC 8446 4.2.3 and RFC 5246 7.4.1.4.1).</summary>
        private static readonly int[] SignatureAlgorithms =
        {
            0x0403, 0x0503, 0x0603, 0x0807, 0x0808, 0x0804, 0x0805, 0x0806, 0x0809, 0x080A, 0x080B,
            0x0401, 0x0501, 0x0601, 0x0303, 0x0301, 0x0302, 0x0402, 0x0502, 0x0602, 0x0203, 0x0201, 0x0202,
        };

        public static byte[] Build(ClientHelloSpec spec, Func<int, byte[]>? random = null)
        {
            random = random ?? RandomBytes;
            if (spec.Version == TlsProtocolVersion.Ssl2) throw new ArgumentException("Use BuildSsl2 for SSLv2.", nameof(spec));
            if (spec.CipherSuites.Count == 0 || spec.CipherSuites.Count > MaxSuitesPerHello)
                throw new ArgumentException($"A probe offers 1 to {MaxSuitesPerHello} cipher suites.", nameof(spec));

            bool tls13 = spec.Version == TlsProtocolVersion.Tls13;
            bool ssl3 = spec.Version == TlsProtocolVersion.Ssl3;
            var body = new TlsWriter();
            body.U16(tls13 ? 0x0303 : TlsConstants.WireVersion(spec.Version));
            body.Raw(random(32));
            // TLS 1.3 middlebox compatibility mode sends a 32-byte legacy session id (RFC 8446 D.4).
            if (tls13) { body.U8(32); body.Raw(random(32)); } else body.U8(0);

            var suites = new List<int>(spec.CipherSuites);
            // SSL 3.0 carries no extensions, so it signals secure renegotiation with the SCSV (RFC 5746 3.3).
            if (ssl3) suites.Add(TlsConstants.EmptyRenegotiationInfoScsv);
            body.U16(suites.Count * 2);
            foreach (int s in suites) body.U16(s);
            body.U8(1);
            body.U8(0); // null compression only

            if (!ssl3)
            {
                var ext = new TlsWriter();
                if (!string.IsNullOrEmpty(spec.ServerName)) ServerNameExtension(ext, spec.ServerName!);
                if (spec.Groups.Count > 0)
                {
                    Extension(ext, TlsConstants.ExtSupportedGroups, e => { e.U16(spec.Groups.Count * 2); foreach (int g in spec.Groups) e.U16(g); });
                    Extension(ext, TlsConstants.ExtEcPointFormats, e => { e.U8(1); e.U8(0); });
                }
                if (spec.Version >= TlsProtocolVersion.Tls12)
                    Extension(ext, TlsConstants.ExtSignatureAlgorithms, e => { e.U16(SignatureAlgorithms.Length * 2); foreach (int a in SignatureAlgorithms) e.U16(a); });
                Extension(ext, TlsConstants.ExtExtendedMasterSecret, _ => { });
                Extension(ext, TlsConstants.ExtRenegotiationInfo, e => e.U8(0));
                if (tls13)
                {
                    Extension(ext, TlsConstants.ExtSupportedVersions, e => { e.U8(2); e.U16(0x0304); });
                    Extension(ext, TlsConstants.ExtPskKeyExchangeModes, e => { e.U8(1); e.U8(1); });
                    Extension(ext, TlsConstants.ExtKeyShare, e =>
                    {
                        var shares = new TlsWriter();
                        foreach (int group in spec.KeyShareGroups)
                        {
                            byte[] key = KeyShare(group, random);
                            shares.U16(group);
                            shares.U16(key.Length);
                            shares.Raw(key);
                        }
                        e.U16(shares.Length);
                        e.Raw(shares.ToArray());
                    });
                }
                // Hellos of 256 to 511 bytes hang some load balancers (RFC 7685 1): pad them to 512.
                int helloLength = 4 + body.Length + 2 + ext.Length;
                if (helloLength >= 256 && helloLength < 512)
                {
                    int pad = Math.Max(1, 512 - helloLength - 4);
                    Extension(ext, TlsConstants.ExtPadding, e => e.Raw(new byte[pad]));
                }
                body.U16(ext.Length);
                body.Raw(ext.ToArray());
            }

            var handshake = new TlsWriter();
            handshake.U8(TlsConstants.HandshakeClientHello);
            handshake.U24(body.Length);
            handshake.Raw(body.ToArray());
            if (handshake.Length > 16384) throw new ArgumentException("The ClientHello does not fit in one record.", nameof(spec));

            var record = new TlsWriter();
            record.U8(TlsConstants.ContentHandshake);
            // Record-layer version 3.1 for TLS hellos, as widely deployed clients do (RFC 8446 5.1); 3.0 for SSL 3.0.
            record.U16(ssl3 ? 0x0300 : 0x0301);
            record.U16(handshake.Length);
            record.Raw(handshake.ToArray());
            return record.ToArray();
        }

        /// <summary>An SSL 2.0 CLIENT-HELLO (two-byte header, version 0x0002) offering the given three-byte cipher kits.</summary>
        public static byte[] BuildSsl2(IReadOnlyList<int> kits, Func<int, byte[]>? random = null)
        {
            random = random ?? RandomBytes;
            var msg = new TlsWriter();
            msg.U8(1); // CLIENT-HELLO
            msg.U16(0x0002);
            msg.U16(kits.Count * 3);
            msg.U16(0); // session id
            msg.U16(16); // challenge
            foreach (int kit in kits) msg.U24(kit);
            msg.Raw(random(16));
            var record = new TlsWriter();
            record.U16(0x8000 | msg.Length);
            record.Raw(msg.ToArray());
            return record.ToArray();
        }

        /// <summary>A close_notify alert, sent before hanging up so the server logs a clean goodbye.</summary>
        public static byte[] CloseNotify(TlsProtocolVersion version) =>
            new byte[] { TlsConstants.ContentAlert, 0x03, (byte)(version == TlsProtocolVersion.Ssl3 ? 0 : version == TlsProtocolVersion.Tls10 ? 1 : version == TlsProtocolVersion.Tls11 ? 2 : 3), 0, 2, 1, 0 };

        private static byte[] KeyShare(int group, Func<int, byte[]> random)
        {
            switch (group)
            {
                case 0x001D: return random(32);
                case 0x0017: return (byte[])P256BasePoint.Clone();
                default: throw new ArgumentException($"No key share format for group 0x{group:X4}.", nameof(group));
            }
        }

        private static void ServerNameExtension(TlsWriter ext, string name)
        {
            byte[] host = Encoding.ASCII.GetBytes(name.TrimEnd('.'));
            Extension(ext, TlsConstants.ExtServerName, e =>
            {
                e.U16(host.Length + 3);
                e.U8(0); // host_name
                e.U16(host.Length);
                e.Raw(host);
            });
        }

        private static void Extension(TlsWriter ext, int type, Action<TlsWriter> write)
        {
            var data = new TlsWriter();
            write(data);
            ext.U16(type);
            ext.U16(data.Length);
            ext.Raw(data.ToArray());
        }

        private static byte[] RandomBytes(int count)
        {
            var bytes = new byte[count];
            using (var rng = RandomNumberGenerator.Create()) rng.GetBytes(bytes);
            return bytes;
        }

        private static byte[] Hex(string hex)
        {
            var bytes = new byte[hex.Length / 2];
            for (int i = 0; i < bytes.Length; i++) bytes[i] = Convert.ToByte(hex.Substring(i * 2, 2), 16);
            return bytes;
        }
    }
}
