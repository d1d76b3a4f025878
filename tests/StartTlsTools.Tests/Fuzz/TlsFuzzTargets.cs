using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using StartTlsTools.Probing;
using StartTlsTools.Tests.Unit;
using StartTlsTools.Transport;

namespace StartTlsTools.Tests.Fuzz
{
    /// <summary>Fuzz targets for the capability probe: the TLS record/flight reader and the handshake message parsers.</summary>
    internal static class TlsFuzzTargets
    {
        private static readonly byte[] Tls12Flight = BuildTls12Flight();

        public static readonly IReadOnlyList<byte[]> RecordSeeds = new[]
        {
            Tls12Flight,
            TlsProbeParsingTests.Record(22, TlsProbeParsingTests.Hex(CapturedTls.Tls13ServerHello)),
            TlsProbeParsingTests.Record(21, new byte[] { 2, 40 }),
            TlsProbeParsingTests.Record(22, TlsProbeParsingTests.Hex(CapturedTls.Tls10ServerHello), 0x0301),
            new byte[] { 0x80, 0x0E, 4, 0, 1, 0, 2, 0, 0, 0, 3, 0, 0, 1, 0, 0x80 },
        };

        public static readonly IReadOnlyList<byte[]> MessageSeeds = new[]
        {
            TlsProbeParsingTests.Hex(CapturedTls.Tls12ServerHello).Skip(4).ToArray(),
            TlsProbeParsingTests.Hex(CapturedTls.Tls13ServerHello).Skip(4).ToArray(),
            TlsProbeParsingTests.Hex(CapturedTls.Tls12EcdheKeyExchange).Skip(4).ToArray(),
            TlsProbeParsingTests.Hex(CapturedTls.Tls12DheKeyExchange).Skip(4).ToArray(),
        };

        public static readonly IReadOnlyList<byte[]> Dictionary = new[]
        {
            new byte[] { 0x16, 0x03, 0x03 }, new byte[] { 0x15, 0x03, 0x03, 0x00, 0x02 }, new byte[] { 0x00, 0x2B, 0x00, 0x02, 0x03, 0x04 },
            new byte[] { 0x00, 0x33 }, new byte[] { 0xFF, 0xFF }, new byte[] { 0x48, 0x01 }, new byte[] { 0x0E, 0, 0, 0 }, TlsConstants.HelloRetryRequestRandom,
        };

        /// <summary>A random sequence of records: handshake fragments of valid messages, alerts, junk, with random lengths.</summary>
        public static byte[] Records(Random random)
        {
            var output = new List<byte>();
            int count = 1 + random.Next(6);
            for (int i = 0; i < count; i++)
            {
                byte[] body = random.Next(3) == 0 ? FuzzInputs.RandomBytes(random).Take(300).ToArray() : MessageSeeds[random.Next(MessageSeeds.Count)];
                int type = random.Next(5) == 0 ? 20 + random.Next(4) : 22;
                int length = random.Next(8) == 0 ? random.Next(65536) : body.Length;
                output.AddRange(new byte[] { (byte)type, 3, (byte)random.Next(5), (byte)(length >> 8), (byte)length });
                output.AddRange(body.Take(length));
            }
            return output.ToArray();
        }

        public static async Task ReadFlight(FuzzCase c)
        {
            var stream = new FuzzStream(c.Input, c.Random);
            using var session = new ProtocolSession(stream, stream.Dispose, TimeSpan.FromSeconds(5), CancellationToken.None, new TranscriptRecorder(Stopwatch.StartNew()));
            var flight = await new ServerFlightReader(session.ReadRawBytesAsync).ReadAsync(c.Random.Next(2) == 0);
            c.Parsed++;
            if (flight.ServerHello == null && flight.Alert == null && flight.Ssl2ServerHello == null)
                throw new FuzzInvariantException("The reader returned a flight with no ServerHello, alert or SSLv2 answer.");
            if (flight.ServerHelloDone && flight.ServerHello == null)
                throw new FuzzInvariantException("ServerHelloDone without a ServerHello.");
        }

        public static Task ParseMessages(FuzzCase c)
        {
            var hello = ServerHelloMessage.Parse(c.Input);
            c.Parsed++;
            if (hello.CipherSuite < 0 || hello.CipherSuite > 0xFFFF) throw new FuzzInvariantException("cipher suite out of range");
            var ske = ServerKeyExchangeInfo.Parse(c.Input, CipherSuiteRegistry.Get(c.Random.Next(2) == 0 ? 0xC02F : 0x009F));
            if (ske.DhPrimeBits is int bits && (bits < 0 || bits > 65535 * 8)) throw new FuzzInvariantException("DH prime size out of range");
            ServerCertificateMessage.ParseLeaf(c.Input);
            Ssl2ServerHello.Parse(c.Input);
            return Task.CompletedTask;
        }

        private static byte[] BuildTls12Flight()
        {
            byte[] handshake = TlsProbeParsingTests.Hex(CapturedTls.Tls12ServerHello)
                .Concat(TlsProbeParsingTests.Hex(CapturedTls.Tls12EcdheKeyExchange))
                .Concat(new byte[] { 0x0E, 0, 0, 0 }).ToArray();
            return TlsProbeParsingTests.Record(22, handshake.Take(50).ToArray())
                .Concat(TlsProbeParsingTests.Record(22, handshake.Skip(50).ToArray())).ToArray();
        }
    }
}
