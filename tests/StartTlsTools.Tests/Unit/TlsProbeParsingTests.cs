using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Tasks;
using StartTlsTools.Probing;
using StartTlsTools.Transport;

namespace StartTlsTools.Tests.Unit
{
    /// <summary>The probe's parsers on real server bytes (CapturedTls) and on the edge cases a hostile server can send.</summary>
    public class TlsProbeParsingTests
    {
        internal static byte[] Hex(string hex) => Convert.FromHexString(hex);

        /// <summary>The body of a handshake message (without type and length).</summary>
        private static byte[] Body(string message) => Hex(message).Skip(4).ToArray();

        internal static byte[] Record(int type, byte[] body, int version = 0x0303) =>
            new byte[] { (byte)type, (byte)(version >> 8), (byte)version, (byte)(body.Length >> 8), (byte)body.Length }.Concat(body).ToArray();

        internal static byte[] HandshakeMessage(int type, byte[] body) =>
            new byte[] { (byte)type, (byte)(body.Length >> 16), (byte)(body.Length >> 8), (byte)body.Length }.Concat(body).ToArray();

        /// <summary>Reads exactly n bytes from a fixed buffer; EOF is a ConnectionClosedException, as from the session.</summary>
        internal static Func<int, string, Task<byte[]>> Reader(byte[] data)
        {
            var stream = new MemoryStream(data);
            return (count, step) =>
            {
                var buffer = new byte[count];
                int read = stream.Read(buffer, 0, count);
                if (read < count) throw new ConnectionClosedException(step);
                return Task.FromResult(buffer);
            };
        }

        internal static byte[] SelfSignedDer()
        {
            using var key = RSA.Create(2048);
            var request = new CertificateRequest("CN=probe.test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
            return cert.RawData;
        }

        internal static byte[] CertificateMessage(byte[] der)
        {
            byte[] entry = new byte[] { (byte)(der.Length >> 16), (byte)(der.Length >> 8), (byte)der.Length }.Concat(der).ToArray();
            byte[] list = new byte[] { (byte)(entry.Length >> 16), (byte)(entry.Length >> 8), (byte)entry.Length }.Concat(entry).ToArray();
            return HandshakeMessage(TlsConstants.HandshakeCertificate, list);
        }

        [Fact]
        public void Tls12_server_hello_from_openssl_parses()
        {
            var hello = ServerHelloMessage.Parse(Body(CapturedTls.Tls12ServerHello));
            Assert.Equal(TlsProtocolVersion.Tls12, hello.Version);
            Assert.Equal(0xC02F, hello.CipherSuite);
            Assert.Null(hello.SelectedVersion);
            Assert.True(hello.SecureRenegotiation);
            Assert.False(hello.IsHelloRetryRequest);
        }

        [Fact]
        public void Tls10_server_hello_from_openssl_parses()
        {
            var hello = ServerHelloMessage.Parse(Body(CapturedTls.Tls10ServerHello));
            Assert.Equal(TlsProtocolVersion.Tls10, hello.Version);
            Assert.Equal(0x002F, hello.CipherSuite);
        }

        [Fact]
        public void Tls13_server_hello_uses_supported_versions_and_names_the_key_share_group()
        {
            var hello = ServerHelloMessage.Parse(Body(CapturedTls.Tls13ServerHello));
            Assert.Equal(0x0303, hello.LegacyVersion);
            Assert.Equal(0x0304, hello.SelectedVersion);
            Assert.Equal(TlsProtocolVersion.Tls13, hello.Version);
            Assert.Equal(0x1302, hello.CipherSuite);
            Assert.Equal(0x001D, hello.KeyShareGroup);
            Assert.False(hello.IsHelloRetryRequest);
        }

        [Fact]
        public void Hello_retry_request_is_recognised_by_its_random_and_names_the_group()
        {
            // RFC 8446 4.1.3/4.2.8: the real TLS 1.3 ServerHello with the HRR random and a key_share of just the group.
            byte[] body = Body(CapturedTls.Tls13ServerHello);
            Buffer.BlockCopy(TlsConstants.HelloRetryRequestRandom, 0, body, 2, 32);
            int extStart = 2 + 32 + 1 + body[34] + 3;
            var ext = new List<byte> { 0x00, 0x2B, 0x00, 0x02, 0x03, 0x04, 0x00, 0x33, 0x00, 0x02, 0x00, 0x18 };
            byte[] hrr = body.Take(extStart).Concat(new byte[] { 0, (byte)ext.Count }).Concat(ext).ToArray();

            var hello = ServerHelloMessage.Parse(hrr);
            Assert.True(hello.IsHelloRetryRequest);
            Assert.Equal(0x0018, hello.KeyShareGroup);
            Assert.Equal(TlsProtocolVersion.Tls13, hello.Version);
        }

        [Fact]
        public void Server_key_exchange_gives_the_curve_and_the_dh_prime_size()
        {
            var ecdhe = ServerKeyExchangeInfo.Parse(Body(CapturedTls.Tls12EcdheKeyExchange), CipherSuiteRegistry.Get(0xC02F));
            Assert.Equal(0x001D, ecdhe.NamedGroup);
            Assert.Equal("ECDH x25519", ecdhe.Describe());

            var dhe = ServerKeyExchangeInfo.Parse(Body(CapturedTls.Tls12DheKeyExchange), CipherSuiteRegistry.Get(0x009F));
            Assert.Equal(2048, dhe.DhPrimeBits);
            Assert.Equal("DH 2048 bits", dhe.Describe());
        }

        [Fact]
        public async Task Flight_reader_reassembles_messages_split_across_records()
        {
            byte[] der = SelfSignedDer();
            byte[] handshake = Hex(CapturedTls.Tls12ServerHello)
                .Concat(CertificateMessage(der))
                .Concat(Hex(CapturedTls.Tls12EcdheKeyExchange))
                .Concat(HandshakeMessage(TlsConstants.HandshakeServerHelloDone, new byte[0])).ToArray();
            // Cut at awkward places: inside a header, inside the certificate, one byte alone.
            int[] cuts = { 3, 70, 71, 500, handshake.Length - 2 };
            var wire = new List<byte>();
            int from = 0;
            foreach (int cut in cuts.Concat(new[] { handshake.Length }))
            {
                wire.AddRange(Record(TlsConstants.ContentHandshake, handshake.Skip(from).Take(cut - from).ToArray()));
                from = cut;
            }

            var flight = await new ServerFlightReader(Reader(wire.ToArray())).ReadAsync(untilServerHelloDone: true);
            Assert.Equal(0xC02F, flight.ServerHello!.CipherSuite);
            Assert.Equal(der, flight.CertificateDer);
            Assert.Equal(0x001D, flight.KeyExchange!.NamedGroup);
            Assert.True(flight.ServerHelloDone);
            Assert.Null(flight.Alert);
        }

        [Fact]
        public async Task Flight_reader_stops_after_a_tls13_server_hello()
        {
            // Encrypted records follow a TLS 1.3 ServerHello; the reader must not touch them.
            byte[] wire = Record(22, Hex(CapturedTls.Tls13ServerHello)).Concat(Record(23, new byte[] { 1, 2, 3 })).ToArray();
            var flight = await new ServerFlightReader(Reader(wire)).ReadAsync(untilServerHelloDone: true);
            Assert.Equal(TlsProtocolVersion.Tls13, flight.ServerHello!.Version);
            Assert.False(flight.ServerHelloDone);
        }

        [Fact]
        public async Task Alert_is_reported_with_its_name()
        {
            var flight = await new ServerFlightReader(Reader(Record(21, new byte[] { 2, 40 }))).ReadAsync(true);
            Assert.Null(flight.ServerHello);
            Assert.True(flight.Alert!.IsFatal);
            Assert.Equal("handshake_failure", flight.Alert.Name);
            Assert.Equal(70, (await new ServerFlightReader(Reader(Record(21, new byte[] { 2, 70 }))).ReadAsync(true)).Alert!.Description);
        }

        [Theory]
        [InlineData("16030348010000")]            // record longer than 2^14 + 2048
        [InlineData("16030300000000")]            // empty record
        [InlineData("480303000100")]              // not TLS: "HTTP"-like bytes
        [InlineData("1503030003020a00")]          // alert of three bytes
        [InlineData("160303000a0200000603030000000000")] // ServerHello shorter than its fields
        [InlineData("160303000404ffffff")]        // handshake message announcing 16 MB
        [InlineData("16030300040b000000")]        // first message is not a ServerHello
        public async Task Malformed_input_is_a_protocol_exception(string hex)
        {
            await Assert.ThrowsAnyAsync<StartTlsProtocolException>(() => new ServerFlightReader(Reader(Hex(hex))).ReadAsync(true));
        }

        [Fact]
        public async Task Truncated_record_is_a_closed_connection()
        {
            byte[] wire = Record(22, Hex(CapturedTls.Tls12ServerHello));
            await Assert.ThrowsAsync<ConnectionClosedException>(() => new ServerFlightReader(Reader(wire.Take(wire.Length - 3).ToArray())).ReadAsync(true));
        }

        [Fact]
        public async Task Handshake_bytes_are_bounded_over_many_records()
        {
            // A ServerHello, then endless unknown handshake messages in full-size records: stops at the total bound.
            var wire = new List<byte>(Record(22, Hex(CapturedTls.Tls12ServerHello)));
            byte[] filler = HandshakeMessage(99, new byte[16000]);
            for (int i = 0; i < 20; i++) wire.AddRange(Record(22, filler));
            var ex = await Assert.ThrowsAnyAsync<StartTlsProtocolException>(() => new ServerFlightReader(Reader(wire.ToArray())).ReadAsync(true));
            Assert.Contains("exceed", ex.Message);
        }

        [Fact]
        public async Task Ssl2_server_hello_lists_the_server_cipher_kits()
        {
            byte[] der = SelfSignedDer();
            var msg = new List<byte> { 4, 0, 1, 0x00, 0x02, (byte)(der.Length >> 8), (byte)der.Length, 0x00, 0x06, 0x00, 0x10 };
            msg.AddRange(der);
            msg.AddRange(new byte[] { 0x01, 0x00, 0x80, 0x07, 0x00, 0xC0 });
            msg.AddRange(new byte[16]);
            byte[] wire = new byte[] { (byte)(0x80 | (msg.Count >> 8)), (byte)msg.Count }.Concat(msg).ToArray();

            var flight = await new ServerFlightReader(Reader(wire)).ReadAsync(true);
            Assert.Equal(new[] { 0x010080, 0x0700C0 }, flight.Ssl2ServerHello!.CipherKits);
            Assert.Equal(der, flight.Ssl2ServerHello.CertificateDer);
            Assert.Equal("SSL_CK_RC4_128_WITH_MD5", CipherSuiteRegistry.GetSsl2(0x010080).IanaName);
        }

        [Fact]
        public void Certificate_message_gives_the_leaf_and_rejects_trailing_bytes()
        {
            byte[] der = SelfSignedDer();
            byte[] message = CertificateMessage(der).Skip(4).ToArray();
            Assert.Equal(der, ServerCertificateMessage.ParseLeaf(message));
            Assert.Null(ServerCertificateMessage.ParseLeaf(new byte[] { 0, 0, 0 }));
            Assert.Throws<StartTlsProtocolException>(() => ServerCertificateMessage.ParseLeaf(message.Concat(new byte[] { 0 }).ToArray()));
        }
    }
}
