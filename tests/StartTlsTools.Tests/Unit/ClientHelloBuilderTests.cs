using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using StartTlsTools.Probing;

namespace StartTlsTools.Tests.Unit
{
    /// <summary>The ClientHellos, parsed back field by field as a server would.</summary>
    public class ClientHelloBuilderTests
    {
        private sealed class ParsedHello
        {
            public int RecordVersion;
            public int LegacyVersion;
            public int SessionIdLength;
            public List<int> Suites = new List<int>();
            public Dictionary<int, byte[]> Extensions = new Dictionary<int, byte[]>();
            public int HandshakeLength;
        }

        private static int U16(byte[] b, int i) => (b[i] << 8) | b[i + 1];

        private static ParsedHello Parse(byte[] record)
        {
            Assert.Equal(22, record[0]);
            Assert.Equal(record.Length - 5, U16(record, 3));
            Assert.Equal(1, record[5]);
            int length = (record[6] << 16) | (record[7] << 8) | record[8];
            Assert.Equal(record.Length - 9, length);
            var p = new ParsedHello { RecordVersion = U16(record, 1), LegacyVersion = U16(record, 9), HandshakeLength = length + 4 };
            int i = 11 + 32;
            p.SessionIdLength = record[i++];
            i += p.SessionIdLength;
            int suitesLength = U16(record, i); i += 2;
            for (int k = 0; k < suitesLength; k += 2) p.Suites.Add(U16(record, i + k));
            i += suitesLength;
            Assert.Equal(1, record[i]); Assert.Equal(0, record[i + 1]);
            i += 2;
            if (i == record.Length) return p;
            int extEnd = i + 2 + U16(record, i); i += 2;
            Assert.Equal(record.Length, extEnd);
            while (i < extEnd)
            {
                int type = U16(record, i), len = U16(record, i + 2);
                p.Extensions.Add(type, record.Skip(i + 4).Take(len).ToArray());
                i += 4 + len;
            }
            Assert.Equal(extEnd, i);
            return p;
        }

        [Fact]
        public void Tls12_hello_offers_exactly_the_suites_with_sni_groups_and_signature_algorithms()
        {
            var record = ClientHelloBuilder.Build(new ClientHelloSpec
            {
                Version = TlsProtocolVersion.Tls12,
                CipherSuites = new[] { 0xC02F, 0x009C },
                Groups = new[] { 0x001D, 0x0017 },
                ServerName = "mail.example.test",
            });
            var p = Parse(record);
            Assert.Equal(0x0301, p.RecordVersion);
            Assert.Equal(0x0303, p.LegacyVersion);
            Assert.Equal(new[] { 0xC02F, 0x009C }, p.Suites);
            Assert.Contains("mail.example.test", Encoding.ASCII.GetString(p.Extensions[0x0000]));
            Assert.Equal(new byte[] { 0, 4, 0, 0x1D, 0, 0x17 }, p.Extensions[0x000A]);
            Assert.Equal(new byte[] { 1, 0 }, p.Extensions[0x000B]);
            Assert.True(p.Extensions.ContainsKey(0x000D));
            Assert.Equal(new byte[] { 0 }, p.Extensions[0xFF01]);
            Assert.False(p.Extensions.ContainsKey(0x002B));
        }

        [Fact]
        public void Tls10_hello_has_no_signature_algorithms_and_no_sni_when_not_given()
        {
            var p = Parse(ClientHelloBuilder.Build(new ClientHelloSpec { Version = TlsProtocolVersion.Tls10, CipherSuites = new[] { 0x002F } }));
            Assert.Equal(0x0301, p.LegacyVersion);
            Assert.False(p.Extensions.ContainsKey(0x000D));
            Assert.False(p.Extensions.ContainsKey(0x0000));
        }

        [Fact]
        public void Ssl3_hello_carries_no_extensions_and_signals_renegotiation_with_the_scsv()
        {
            var record = ClientHelloBuilder.Build(new ClientHelloSpec { Version = TlsProtocolVersion.Ssl3, CipherSuites = new[] { 0x000A }, ServerName = "x.test" });
            var p = Parse(record);
            Assert.Equal(0x0300, p.RecordVersion);
            Assert.Equal(0x0300, p.LegacyVersion);
            Assert.Equal(new[] { 0x000A, 0x00FF }, p.Suites);
            Assert.Empty(p.Extensions);
        }

        [Fact]
        public void Tls13_hello_has_supported_versions_and_well_formed_key_shares()
        {
            var p = Parse(ClientHelloBuilder.Build(new ClientHelloSpec
            {
                Version = TlsProtocolVersion.Tls13,
                CipherSuites = new[] { 0x1301, 0x1302 },
                Groups = new[] { 0x001D, 0x0017, 0x0018 },
                KeyShareGroups = new[] { 0x001D, 0x0017 },
            }));
            Assert.Equal(0x0303, p.LegacyVersion);
            Assert.Equal(32, p.SessionIdLength);
            Assert.Equal(new byte[] { 2, 3, 4 }, p.Extensions[0x002B]);
            byte[] shares = p.Extensions[0x0033];
            Assert.Equal(shares.Length - 2, U16(shares, 0));
            Assert.Equal(0x001D, U16(shares, 2));
            Assert.Equal(32, U16(shares, 4));
            int p256 = 6 + 32;
            Assert.Equal(0x0017, U16(shares, p256));
            Assert.Equal(65, U16(shares, p256 + 2));
            byte[] point = shares.Skip(p256 + 4).Take(65).ToArray();
            Assert.Equal(4, point[0]);
            // The point must be on P-256: importing it as a public key validates it.
            using var ecdh = ECDiffieHellman.Create();
            ecdh.ImportParameters(new ECParameters
            {
                Curve = ECCurve.NamedCurves.nistP256,
                Q = new ECPoint { X = point.Skip(1).Take(32).ToArray(), Y = point.Skip(33).ToArray() },
            });
        }

        [Fact]
        public void Tls13_hello_without_key_shares_sends_an_empty_list_to_ask_for_a_retry()
        {
            var p = Parse(ClientHelloBuilder.Build(new ClientHelloSpec { Version = TlsProtocolVersion.Tls13, CipherSuites = new[] { 0x1301 }, Groups = new[] { 0x0018 } }));
            Assert.Equal(new byte[] { 0, 0 }, p.Extensions[0x0033]);
        }

        [Fact]
        public void Hellos_between_256_and_511_bytes_are_padded_to_512()
        {
            var suites = Enumerable.Range(0xC001, 110).ToArray();
            var p = Parse(ClientHelloBuilder.Build(new ClientHelloSpec { Version = TlsProtocolVersion.Tls12, CipherSuites = suites, Groups = new[] { 0x001D } }));
            Assert.True(p.Extensions.ContainsKey(0x0015));
            Assert.Equal(512, p.HandshakeLength);
        }

        [Fact]
        public void More_than_128_suites_is_refused()
        {
            Assert.Throws<ArgumentException>(() => ClientHelloBuilder.Build(new ClientHelloSpec { CipherSuites = Enumerable.Range(1, 129).ToArray() }));
        }

        [Fact]
        public void Ssl2_hello_has_the_two_byte_header_and_three_byte_kits()
        {
            byte[] hello = ClientHelloBuilder.BuildSsl2(new[] { 0x010080, 0x0700C0 });
            Assert.Equal(0x80, hello[0] & 0x80);
            Assert.Equal(hello.Length - 2, ((hello[0] & 0x7F) << 8) | hello[1]);
            Assert.Equal(1, hello[2]);
            Assert.Equal(0x0002, U16(hello, 3));
            Assert.Equal(6, U16(hello, 5));
            Assert.Equal(16, U16(hello, 9));
            Assert.Equal(new byte[] { 1, 0, 0x80, 7, 0, 0xC0 }, hello.Skip(11).Take(6).ToArray());
        }
    }
}
