using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using StartTlsTools.Protocols;
using StartTlsTools.Transport;
using static StartTlsTools.Tests.Fuzz.FuzzInputs;

namespace StartTlsTools.Tests.Fuzz
{
    /// <summary>
    /// The binary dialects' parsers: LDAP's BER reader and message framing, the MySQL greeting and packet
    /// framing, and the three whole negotiations. Seeds and generators are computed on use (expression-bodied),
    /// so they do not depend on the order in which the partial class's static fields initialise.
    /// </summary>
    public static partial class FuzzTargets
    {
        // ---- LDAP -----------------------------------------------------------------------------------------------

        private const byte LdapEntryTag = 0x64, LdapDoneTag = 0x65, LdapReferenceTag = 0x73, LdapExtendedResponseTag = 0x78;

        private static readonly string[] LdapAttributeTypes =
            { "supportedExtension", "supportedLDAPVersion", "supportedSASLMechanisms", "vendorName", "vendorVersion", "SUPPORTEDEXTENSION", "objectClass", "" };

        private static readonly string[] LdapValues =
            { LdapDialect.StartTlsOid, "1.3.6.1.4.1.4203.1.11.1", "3", "PLAIN", "SCRAM-SHA-256", "OpenLDAP", "", "\u00e9\ufffd", LdapDialect.NoticeOfDisconnectionOid };

        private static readonly int[] LdapCodes = { 0, 0, 0, 1, 2, 10, 50, 51, 52, 53, 80, 127, 4096 };

        private static byte[] LdapMessage(int id, byte[] protocolOp) =>
            BerWriter.Element(0x30, BerWriter.Integer(0x02, id), protocolOp);

        private static byte[] LdapResult(int id, byte tag, int code, string diagnostic, params byte[][] extra) =>
            LdapMessage(id, BerWriter.Element(tag, new[] { BerWriter.Integer(0x0A, code), BerWriter.String(0x04, ""), BerWriter.String(0x04, diagnostic) }.Concat(extra).ToArray()));

        private static byte[] LdapEntry(int id, IEnumerable<(string Type, string[] Values)> attributes) =>
            LdapMessage(id, BerWriter.Element(LdapEntryTag, BerWriter.String(0x04, ""), BerWriter.Element(0x30,
                attributes.Select(a => BerWriter.Element(0x30, BerWriter.String(0x04, a.Type),
                    BerWriter.Element(0x31, a.Values.Select(v => BerWriter.String(0x04, v)).ToArray()))).ToArray())));

        private static byte[] SlapdRootDse(int id) => LdapEntry(id, new[]
        {
            ("supportedExtension", new[] { LdapDialect.StartTlsOid, "1.3.6.1.4.1.4203.1.11.1", "1.3.6.1.4.1.4203.1.11.3", "1.3.6.1.1.8" }),
            ("supportedLDAPVersion", new[] { "3" }),
            ("supportedSASLMechanisms", new[] { "SCRAM-SHA-256", "DIGEST-MD5" }),
        });

        private static IReadOnlyList<byte[]> LdapSeeds => new[]
        {
            SlapdRootDse(1).Concat(LdapResult(1, LdapDoneTag, 0, "")).Concat(LdapResult(2, LdapExtendedResponseTag, 0, ""))
                .Concat(SlapdRootDse(3)).Concat(LdapResult(3, LdapDoneTag, 0, "")).ToArray(),
            SlapdRootDse(1).Concat(LdapResult(1, LdapDoneTag, 0, "")).Concat(LdapResult(2, LdapExtendedResponseTag, 52, "TLS not configured")).ToArray(),
            LdapResult(1, LdapDoneTag, 50, "denied").Concat(LdapResult(2, LdapExtendedResponseTag, 2, "unsupported extended operation")).ToArray(),
            LdapResult(0, LdapExtendedResponseTag, 51, "bye", BerWriter.String(0x8A, LdapDialect.NoticeOfDisconnectionOid)),
        };

        private static IReadOnlyList<byte[]> LdapDictionary => DerDictionary.Concat(new[]
        {
            new byte[] { 0x30, 0x84, 0x7F, 0xFF, 0xFF, 0xFF }, new byte[] { 0x02, 0x01, 0x00 }, new byte[] { 0x02, 0x04, 0x80, 0, 0, 0 },
            new byte[] { 0x0A, 0x01, 0x34 }, new byte[] { 0x64 }, new byte[] { 0x65 }, new byte[] { 0x78 }, new byte[] { 0x04, 0x00 },
            Bytes(LdapDialect.StartTlsOid),
        }).ToArray();

        /// <summary>One to six LDAP messages, mostly well formed with plausible ids, now and then with a length that lies.</summary>
        private static byte[] LdapMessages(Random r)
        {
            var bytes = new List<byte>();
            int count = 1 + r.Next(6);
            for (int i = 0; i < count && bytes.Count < MaxInputBytesForGenerators; i++)
            {
                int id = r.Next(10) == 0 ? r.Next(-1, 200) & 0x7FFFFFFF : r.Next(5);
                byte[] message = r.Next(6) switch
                {
                    0 => LdapEntry(id, Enumerable.Range(0, r.Next(6)).Select(_ => (Pick(r, LdapAttributeTypes),
                        Enumerable.Range(0, r.Next(r.Next(30) == 0 ? LdapDialect.MaxSearchItems + 2 : 6)).Select(__ => Pick(r, LdapValues)).ToArray()))),
                    1 => LdapResult(id, LdapDoneTag, Pick(r, LdapCodes), Text(r)),
                    2 => LdapResult(id, LdapExtendedResponseTag, Pick(r, LdapCodes), "", r.Next(2) == 0 ? BerWriter.String(0x8A, Pick(r, LdapValues)) : Array.Empty<byte>()),
                    3 => LdapMessage(id, BerWriter.String(LdapReferenceTag, "ldap://other.example/")),
                    4 => LdapMessage(id, DerTree(r, 0).ToArray()),
                    _ => DerTree(r, 0).ToArray(),
                };
                if (r.Next(8) == 0 && message.Length > 2) message[1 + r.Next(message.Length - 1)] ^= (byte)(1 << r.Next(8));
                bytes.AddRange(message);
            }
            return bytes.ToArray();
        }

        private const int MaxInputBytesForGenerators = FuzzRunner.MaxInputBytes / 2;

        /// <summary>Walks every element with the reader's typed calls, descending into constructed ones (depth bounded here).</summary>
        private static Task LdapBerWalker(FuzzCase c)
        {
            int elements = WalkBer(new BerReader(c.Input), 0, c);
            // Every element takes at least a tag and a length byte: more elements than that means a reader went backwards.
            Check(elements <= c.Input.Length / 2, $"{elements} elements from {c.Input.Length} bytes");
            if (c.Input.Length > 0)
            {
                int position = c.Random.Next(c.Input.Length);
                int start = position;
                int length = BerReader.ReadLength(c.Input, ref position, c.Input.Length);
                Check(position > start && length >= 0 && length <= c.Input.Length - position, $"ReadLength gave {length} at {position} of {c.Input.Length}");
            }
            return Task.CompletedTask;
        }

        private static int WalkBer(BerReader reader, int depth, FuzzCase c)
        {
            int elements = 0;
            while (reader.HasData)
            {
                byte tag = reader.PeekTag();
                elements++;
                c.Parsed++;
                if (tag == 0x02 || tag == 0x0A) reader.ReadInteger(tag, "an integer");
                else if (tag == 0x04 || tag == 0x80 || tag == 0x8A) Check(reader.ReadString(tag, "a string") != null, "a null string");
                else
                {
                    var (_, contents) = reader.ReadElement();
                    if ((tag & 0x20) != 0 && depth < 64) elements += WalkBer(contents, depth + 1, c);
                }
            }
            return elements;
        }

        /// <summary>LDAPMessages one after another off the session, as the dialect reads them.</summary>
        private static async Task LdapMessageReader(FuzzCase c)
        {
            using var session = Session(c);
            while (true)
            {
                LdapDialect.LdapMessage message = await LdapDialect.ReadMessageAsync(session, Step);
                Check(message.Id >= 0, $"message id {message.Id}");
                if (message.Tag == LdapDoneTag || message.Tag == LdapExtendedResponseTag)
                {
                    var result = LdapDialect.LdapResult.Read(message.Contents, "a result");
                    Check(result.Code >= 0 && result.Describe().StartsWith(result.Code.ToString(System.Globalization.CultureInfo.InvariantCulture) + " (", StringComparison.Ordinal), "a result description without its code");
                }
                c.Parsed++;
            }
        }

        private static byte[][][] LdapConversation => new[]
        {
            new[] { SlapdRootDse(1).Concat(LdapResult(1, LdapDoneTag, 0, "")).ToArray(), LdapResult(1, LdapDoneTag, 50, "denied"),
                    LdapEntry(1, new[] { ("supportedExtension", new[] { "1.3.6.1.1.8" }) }).Concat(LdapResult(1, LdapDoneTag, 0, "")).ToArray(),
                    LdapMessage(1, BerWriter.String(LdapReferenceTag, "ldap://x/")).Concat(LdapResult(1, LdapDoneTag, 0, "")).ToArray() },
            new[] { LdapResult(2, LdapExtendedResponseTag, 0, ""), LdapResult(2, LdapExtendedResponseTag, 52, "no"), LdapResult(2, LdapExtendedResponseTag, 2, "what"),
                    LdapResult(0, LdapExtendedResponseTag, 52, "bye", BerWriter.String(0x8A, LdapDialect.NoticeOfDisconnectionOid)), LdapResult(9, LdapExtendedResponseTag, 0, "") },
            new[] { SlapdRootDse(3).Concat(LdapResult(3, LdapDoneTag, 0, "")).ToArray(), LdapResult(3, LdapDoneTag, 0, "") },
        };

        // ---- MySQL / MariaDB ------------------------------------------------------------------------------------

        /// <summary>MariaDB 10.11's greeting as the lab server sends it (header included).</summary>
        private static byte[] MariaDbGreeting => Convert.FromHexString(
            "640000000a352e352e352d31302e31312e31392d4d6172696144422d302b64656231327531000600000" +
            "05f3a427b68763b5e00feff080200ff8115000000000000001d0000004a37725a4d502e314d6f673700" +
            "6d7973716c5f6e61746976655f70617373776f726400");

        private static byte[] MySqlPacket(byte sequence, byte[] payload) =>
            new[] { (byte)payload.Length, (byte)(payload.Length >> 8), (byte)(payload.Length >> 16), sequence }.Concat(payload).ToArray();

        private static byte[] MySqlError(int code, string message) =>
            MySqlPacket(0, new byte[] { 0xFF, (byte)code, (byte)(code >> 8) }.Concat(Bytes(message)).ToArray());

        private static IReadOnlyList<byte[]> MySqlSeeds => new[]
        {
            MariaDbGreeting,
            MySqlError(1130, "Host '192.0.2.7' is not allowed to connect to this MariaDB server"),
            MySqlError(1040, "#08004Too many connections"),
            MySqlPacket(0, Bytes("\n8.0.36\0").Concat(new byte[] { 1, 0, 0, 0 }).Concat(Bytes("abcdefgh\0")).Concat(new byte[] { 0x00, 0x82 }).ToArray()),
        };

        private static IReadOnlyList<byte[]> MySqlDictionary => new[]
        {
            new byte[] { 0xFF, 0xFF, 0xFF, 0x00 }, new byte[] { 0x00, 0x00, 0x00, 0x00 }, new byte[] { 0x0A }, new byte[] { 0x09 }, new byte[] { 0xFF },
            new byte[] { 0x00 }, new byte[] { 0x00, 0x08 }, new byte[] { 0xFF, 0xF7 }, Bytes("#28000"), Bytes("5.5.5-"),
        };

        /// <summary>A greeting or an error, with a version of any length, sometimes cut short or with a length that lies.</summary>
        private static byte[] MySqlGreetings(Random r)
        {
            var payload = new List<byte>();
            if (r.Next(5) == 0)
            {
                payload.Add(0xFF);
                payload.AddRange(BitConverter.GetBytes((ushort)Pick(r, new[] { 1040, 1129, 1130, 1045, r.Next(65536) })));
                if (r.Next(2) == 0) payload.AddRange(Bytes("#HY000"));
                payload.AddRange(Bytes(Text(r)));
            }
            else
            {
                payload.Add(r.Next(10) == 0 ? (byte)r.Next(256) : (byte)10);
                payload.AddRange(Bytes(r.Next(4) == 0 ? Text(r) : Pick(r, new[] { "8.0.36", "5.5.5-10.11.19-MariaDB-0+deb12u1", "", "5.7.44-log" })));
                if (r.Next(10) != 0) payload.Add(0);
                var rest = new byte[r.Next(60)];
                r.NextBytes(rest);
                payload.AddRange(rest);
            }
            int length = r.Next(10) == 0 ? r.Next(1 << 24) : payload.Count;
            return new[] { (byte)length, (byte)(length >> 8), (byte)(length >> 16), (byte)r.Next(3) }.Concat(payload).ToArray();
        }

        /// <summary>Greeting.Parse over a raw payload, or over packets framed off the session.</summary>
        private static async Task MySqlGreetingParser(FuzzCase c)
        {
            if (c.Random.Next(2) == 0)
            {
                CheckGreeting(MySqlDialect.Greeting.Parse(c.Input));
                c.Parsed++;
                return;
            }
            using var session = Session(c);
            while (true)
            {
                var (_, payload) = await MySqlDialect.ReadPacketAsync(session, Step);
                Check(payload.Length > 0 && payload.Length <= MySqlDialect.MaxPacketBytes, $"a packet of {payload.Length} bytes");
                CheckGreeting(MySqlDialect.Greeting.Parse(payload));
                c.Parsed++;
            }
        }

        private static void CheckGreeting(MySqlDialect.Greeting greeting)
        {
            Check(greeting.ServerVersion != null && greeting.ServerVersion.Length <= 83, "a version longer than Shorten allows");
            Check(greeting.ErrorMessage == null || greeting.ErrorMessage.StartsWith("error ", StringComparison.Ordinal), "an error without its code");
            Check(greeting.ErrorMessage == null || greeting.Capabilities == 0, "an error packet with capabilities");
            Check(MySqlDialect.FlagsSet(greeting.Capabilities).Count == CountBits(greeting.Capabilities), "a flag list that disagrees with the flags");
        }

        private static int CountBits(uint value)
        {
            int count = 0;
            for (; value != 0; value &= value - 1) count++;
            return count;
        }

        private static byte[][][] MySqlConversation => new[]
        {
            new[] { MariaDbGreeting, MySqlError(1130, "Host not allowed"), MySqlSeeds[3] },
        };

        // ---- PostgreSQL -----------------------------------------------------------------------------------------

        private static IReadOnlyList<byte[]> PostgreSqlSeeds => new[] { Bytes("S"), Bytes("N"), Bytes("E\0\0\0\x08SFATAL\0"), Bytes("SR\0\0\0\x08") };

        private static byte[][][] PostgreSqlConversation => new[] { new[] { Bytes("S"), Bytes("N"), Bytes("E"), Bytes("H"), Array.Empty<byte>() } };

        /// <summary>A binary server's side of a conversation: each turn mostly a plausible answer, sometimes generated noise or random bytes.</summary>
        private static byte[] BinaryConversation(Random r, byte[][][] turns, Func<Random, byte[]> noise)
        {
            var bytes = new List<byte>();
            foreach (byte[][] answers in turns)
            {
                int pick = r.Next(20);
                bytes.AddRange(pick < 16 ? Pick(r, answers) : pick < 19 ? noise(r) : RandomBytes(r));
                if (bytes.Count > MaxInputBytesForGenerators) break;
            }
            return bytes.ToArray();
        }

        private static IEnumerable<FuzzTarget> BinaryProtocolTargets() => new[]
        {
            new FuzzTarget("ldap-ber", LdapSeeds, LdapDictionary, LdapMessages, LdapBerWalker),
            new FuzzTarget("ldap-message", LdapSeeds, LdapDictionary, LdapMessages, LdapMessageReader),
            new FuzzTarget("ldap-dialect", LdapSeeds, LdapDictionary, r => BinaryConversation(r, LdapConversation, LdapMessages),
                c => Negotiate(new LdapDialect(), c)),
            new FuzzTarget("mysql-greeting", MySqlSeeds, MySqlDictionary, MySqlGreetings, MySqlGreetingParser),
            new FuzzTarget("mysql-dialect", MySqlSeeds, MySqlDictionary, r => BinaryConversation(r, MySqlConversation, MySqlGreetings),
                c => Negotiate(new MySqlDialect(), c)),
            new FuzzTarget("postgresql-dialect", PostgreSqlSeeds, MySqlDictionary, r => BinaryConversation(r, PostgreSqlConversation, RandomBytes),
                c => Negotiate(new PostgreSqlDialect(), c)),
        };
    }
}
