using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Formats.Asn1;
using System.Linq;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using StartTlsTools.Protocols;
using StartTlsTools.Tls;
using StartTlsTools.Transport;
using static StartTlsTools.Tests.Fuzz.FuzzInputs;

namespace StartTlsTools.Tests.Fuzz
{
    /// <summary>One parser under fuzz: how to make its inputs and how to feed it one.</summary>
    public sealed class FuzzTarget
    {
        private readonly Func<Random, byte[]> _generate;

        public FuzzTarget(string name, IReadOnlyList<byte[]> seeds, IReadOnlyList<byte[]> dictionary,
            Func<Random, byte[]> generate, Func<FuzzCase, Task> execute)
        {
            Name = name;
            Seeds = seeds;
            Dictionary = dictionary;
            _generate = generate;
            Execute = execute;
        }

        public string Name { get; }
        /// <summary>Valid inputs that mutations start from.</summary>
        public IReadOnlyList<byte[]> Seeds { get; }
        /// <summary>Tokens that mean something to the parser, for insertion.</summary>
        public IReadOnlyList<byte[]> Dictionary { get; }
        /// <summary>Feeds the case's input to the parser, counting what it parsed. May throw only StartTlsProtocolException.</summary>
        public Func<FuzzCase, Task> Execute { get; }

        /// <summary>3 in 10 random, 4 in 10 mutated seeds, 3 in 10 structured; never over <see cref="FuzzRunner.MaxInputBytes"/>.</summary>
        public (FuzzInputKind Kind, byte[] Input) MakeInput(Random random)
        {
            int pick = random.Next(10);
            if (pick < 3) return (FuzzInputKind.Random, RandomBytes(random));
            if (pick < 7) return (FuzzInputKind.Mutated, Mutate(random, Seeds, Dictionary));
            byte[] generated = _generate(random);
            if (generated.Length > FuzzRunner.MaxInputBytes) Array.Resize(ref generated, FuzzRunner.MaxInputBytes);
            return (FuzzInputKind.Generated, generated);
        }
    }

    /// <summary>One case as a target sees it: the input, the case's random source (read chunking, modes), and a tally.</summary>
    public sealed class FuzzCase
    {
        public FuzzCase(byte[] input, Random random)
        {
            Input = input;
            Random = random;
        }

        public byte[] Input { get; }
        public Random Random { get; }
        /// <summary>Items (replies, lines, responses, elements, phases) the parser accepted before the case ended, however it ended.</summary>
        public int Parsed { get; set; }
    }

    /// <summary>A parser returned something its own contract rules out: a bug even without an exception.</summary>
    public sealed class FuzzInvariantException : Exception
    {
        public FuzzInvariantException(string message) : base(message) { }
    }

    /// <summary>Every fuzz target, by name.</summary>
    public static partial class FuzzTargets
    {
        private const string Step = "fuzzing";

        // The table of targets (Targets) is at the end of this class: static fields initialise in textual order, after the seeds it uses.


        public static IReadOnlyList<string> Names => Targets.Keys.ToList();

        public static FuzzTarget Get(string name) =>
            Targets.TryGetValue(name, out var target)
                ? target
                : throw new ArgumentException($"Unknown fuzz target '{name}'. Known: {string.Join(", ", Targets.Keys)}.", nameof(name));

        private static void Check(bool condition, string what)
        {
            if (!condition) throw new FuzzInvariantException(what);
        }

        /// <summary>A session over the fuzz bytes as the engine builds one, now and then with a tiny line limit to reach the limit paths with small inputs.</summary>
        private static ProtocolSession Session(FuzzCase c)
        {
            var stream = new FuzzStream(c.Input, c.Random);
            int maxLine = c.Random.Next(5) == 0 ? 1 + c.Random.Next(512) : ProtocolSession.DefaultMaxLineLength;
            return new ProtocolSession(stream, stream.Dispose, TimeSpan.FromSeconds(5), CancellationToken.None,
                new TranscriptRecorder(Stopwatch.StartNew()), maxLine);
        }

        /// <summary>Text as the session decodes it (invalid UTF-8 becomes U+FFFD), split as the session splits it.</summary>
        private static IEnumerable<string> Lines(byte[] input) =>
            new UTF8Encoding(false, false).GetString(input).Split('\n').Select(l => l.EndsWith("\r", StringComparison.Ordinal) ? l.Substring(0, l.Length - 1) : l);

        // ---- SMTP ---------------------------------------------------------------------------------------------

        private static readonly int[] SmtpCodes = { 220, 221, 250, 251, 354, 421, 450, 451, 452, 454, 500, 501, 502, 503, 504, 530, 535, 550, 554 };

        private static readonly string[] SmtpTexts =
        {
            "mx.example.com ESMTP Postfix", "mx.example.com Hello client.test", "STARTTLS", "starttls", "STARTTLS now", "PIPELINING",
            "SIZE 35882577", "8BITMIME", "AUTH PLAIN LOGIN", "ENHANCEDSTATUSCODES", "SMTPUTF8", "CHUNKING", "2.0.0 Ready to start TLS",
            "4.7.0 TLS not available due to temporary reason", "5.5.1 ", "2.0", "9.9.9 x", "2.1234.0 y", "5.7.1", "2.0.0", "",
        };

        private static IReadOnlyList<byte[]> SmtpSeeds { get; } = new[]
        {
            "220 mx.example.com ESMTP Postfix\r\n250-mx.example.com\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250-STARTTLS\r\n250 8BITMIME\r\n" +
                "220 2.0.0 Ready to start TLS\r\n250-mx.example.com\r\n250 AUTH PLAIN LOGIN\r\n221 2.0.0 Bye\r\n",
            "220-mx.example.com ESMTP\r\n220-please wait\r\n220 mx.example.com ESMTP\r\n250-mx.example.com\r\n250 STARTTLS\r\n" +
                "454 4.7.0 TLS not available due to temporary reason\r\n221 Bye\r\n",
            "220 mx.example.com ESMTP\r\n250-mx.example.com\r\n250 SIZE 1000\r\n221 2.0.0 Bye\r\n",
            "554 5.7.1 No SMTP service here\r\n",
            "220 mx\n250 mx\n",
        }.Select(Bytes).ToArray();

        private static IReadOnlyList<byte[]> SmtpDictionary { get; } =
            new[] { "220 ", "220-", "250 ", "250-", "454 ", "501 ", "STARTTLS", "2.0.0 ", "\r\n", "999-", "000 " }.Select(Bytes)
                .Append(InvalidUtf8).ToArray();

        /// <summary>One to six replies that mostly look right: real codes, '-' then ' ', keywords and enhanced codes, with deliberate slips.</summary>
        private static string SmtpReplies(Random r)
        {
            var sb = new StringBuilder();
            int replies = 1 + r.Next(6);
            for (int k = 0; k < replies; k++)
            {
                int code = r.Next(10) < 8 ? Pick(r, SmtpCodes) : r.Next(0, 1000);
                // Now and then a reply just under or over SmtpReply.MaxLines.
                int lines = r.Next(30) == 0 ? SmtpReply.MaxLines - 2 + r.Next(5) : 1 + r.Next(8);
                for (int i = 0; i < lines; i++)
                {
                    bool last = i == lines - 1;
                    string codeText = r.Next(30) == 0
                        ? Pick(r, new[] { "", "2", "25", "2500", "abc", " 250", "\uff12\uff15\uff10", "-250" })
                        : (r.Next(40) == 0 ? code + 1 : code).ToString("000", System.Globalization.CultureInfo.InvariantCulture);
                    string separator = r.Next(15) == 0 ? Pick(r, new[] { "", "\t", "x", "--", " -", "+" }) : last ? " " : "-";
                    string text = r.Next(4) == 0 ? Text(r) : Pick(r, SmtpTexts);
                    if (!Append(sb, codeText + separator + text + LineBreak(r))) return sb.ToString();
                }
            }
            return sb.ToString();
        }

        private static readonly string[][] SmtpConversation =
        {
            new[] { "220 mx.example.com ESMTP\r\n", "220-mx.example.com ESMTP\r\n220-please wait\r\n220 ready\r\n", "554 5.7.1 go away\r\n", "421 busy\r\n", "220\r\n" },
            new[] { "250-mx\r\n250-PIPELINING\r\n250 STARTTLS\r\n", "250-mx\r\n250 SIZE 1000\r\n", "250 mx\r\n", "502 5.5.2 EHLO not recognised\r\n", "250-mx\r\n250-starttls\r\n250 8BITMIME\r\n" },
            new[] { "220 2.0.0 Ready to start TLS\r\n", "454 4.7.0 TLS not available\r\n", "501 5.5.4 Syntax error\r\n", "250 ok\r\n", "220-multi\r\n220 line\r\n" },
            new[] { "250-mx\r\n250 AUTH PLAIN\r\n", "250 mx\r\n", "550 no\r\n" },
            new[] { "221 2.0.0 Bye\r\n", "", "421 closing\r\n" },
        };

        private static async Task SmtpReplyReader(FuzzCase c)
        {
            using var session = Session(c);
            while (true)
            {
                SmtpReply reply = await SmtpReply.ReadAsync(session, Step);
                Check(reply.Code >= 200 && reply.Code <= 599, $"reply code {reply.Code} outside 200-599");
                Check(reply.Lines.Count >= 1 && reply.Lines.Count <= SmtpReply.MaxLines, $"a reply of {reply.Lines.Count} lines");
                Check(reply.EnhancedStatusCode == null || reply.EnhancedStatusCode[1] == '.', "a malformed enhanced status code");
                Check(reply.ToString() != null, "ToString returned null");
                c.Parsed++;
            }
        }

        private static Task SmtpLineParser(FuzzCase c)
        {
            foreach (string line in Lines(c.Input))
            {
                SmtpReply.ParseLine(line, Step, out int code, out bool isFinal, out string text);
                Check(code >= 200 && code <= 599, $"code {code} outside 200-599");
                Check(isFinal == (line.Length == 3 || line[3] == ' '), "the final-line flag disagrees with the separator");
                Check(text == (line.Length <= 4 ? "" : line.Substring(4)), "the text is not the rest of the line");
                c.Parsed++;
            }
            return Task.CompletedTask;
        }

        // ---- IMAP ---------------------------------------------------------------------------------------------

        private static readonly string[] ImapTags = { "*", "*", "*", "+", "a1", "a2", "b1", "z1", "A2", "x", "", "**", "a2\t" };
        private static readonly string[] ImapStatuses = { "OK", "NO", "BAD", "BYE", "PREAUTH", "CAPABILITY", "ok", "Ok", "bye", "LIST", "", "\u0130" };
        private static readonly string[] ImapTexts =
        {
            "[CAPABILITY IMAP4rev1 STARTTLS] ready", "[CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED]", "[CAPABILITY]", "[CAPABILITY ", "[CAPABILITY STARTTLS",
            "[]", "[", "]", "[capability starttls]", "[ALERT] x", "IMAP4rev1 STARTTLS AUTH=PLAIN", "  STARTTLS  ", "[CAPABILITY  STARTTLS   IMAP4rev1 ]",
            "[CAPABILITY]]", "[[CAPABILITY x]", "Begin TLS negotiation now",
        };

        private static IReadOnlyList<byte[]> ImapSeeds { get; } = new[]
        {
            "* OK [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED] ready\r\na2 OK Begin TLS negotiation now\r\n* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\nb1 OK done\r\n* BYE logging out\r\nz1 OK bye\r\n",
            "* OK imap.example.com ready\r\n* CAPABILITY IMAP4rev1 STARTTLS\r\na1 OK CAPABILITY completed\r\na2 NO [UNAVAILABLE] not now\r\n* BYE\r\nz1 OK\r\n",
            "* OK ready\r\na1 OK [CAPABILITY IMAP4rev1 STARTTLS] done\r\na2 OK go\r\nb1 OK [CAPABILITY IMAP4rev1] done\r\n",
            "* PREAUTH [CAPABILITY IMAP4rev1] logged in\r\n",
            "* BYE too many connections\r\n",
            "+ go ahead\r\n",
        }.Select(Bytes).ToArray();

        private static IReadOnlyList<byte[]> ImapDictionary { get; } =
            new[] { "* ", "+ ", "a1 ", "a2 ", "b1 ", "z1 ", "OK ", "NO ", "BYE", "PREAUTH", "[CAPABILITY ", "]", "STARTTLS", "\r\n" }.Select(Bytes)
                .Append(InvalidUtf8).ToArray();

        /// <summary>IMAP-looking lines: tags, statuses and response codes, with stray brackets and spacing; sometimes a flood of untagged lines.</summary>
        private static string ImapLines(Random r)
        {
            var sb = new StringBuilder();
            int lines = r.Next(25) == 0 ? ImapResponse.MaxUntaggedLines - 1 + r.Next(4) : 1 + r.Next(8);
            for (int i = 0; i < lines; i++)
            {
                string tag = Pick(r, ImapTags);
                string line = tag == "+"
                    ? (r.Next(2) == 0 ? "+" : "+ " + Pick(r, ImapTexts))
                    : tag + Pick(r, new[] { " ", " ", " ", "", "  ", "\t" }) + Pick(r, ImapStatuses) +
                      (r.Next(3) == 0 ? "" : " " + (r.Next(4) == 0 ? Text(r) : Pick(r, ImapTexts)));
                if (!Append(sb, line + LineBreak(r))) break;
            }
            return sb.ToString();
        }

        private static readonly string[][] ImapConversation =
        {
            new[] { "* OK [CAPABILITY IMAP4rev1 STARTTLS] ready\r\n", "* OK ready\r\n", "* PREAUTH [CAPABILITY IMAP4rev1 STARTTLS] in\r\n", "* BYE go away\r\n", "* ok hi\r\n" },
            new[] { "* CAPABILITY IMAP4rev1 STARTTLS\r\na1 OK done\r\n", "a1 OK [CAPABILITY IMAP4rev1 STARTTLS] done\r\n", "* CAPABILITY IMAP4rev1\r\na1 OK\r\n", "a1 BAD what\r\n", "* BYE bye\r\n" },
            new[] { "a2 OK Begin TLS\r\n", "a2 NO not now\r\n", "a2 BAD syntax\r\n", "* OK still here\r\na2 OK go\r\n", "x9 OK wrong tag\r\n" },
            new[] { "* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\nb1 OK\r\n", "b1 OK [CAPABILITY IMAP4rev1] ok\r\n", "b1 NO\r\n" },
            new[] { "* BYE logging out\r\nz1 OK\r\n", "", "z1 BAD\r\n" },
        };

        private static Task ImapLineParser(FuzzCase c)
        {
            foreach (string line in Lines(c.Input))
            {
                ImapResponse response = ImapResponse.Parse(line, Step);
                CheckImap(response);
                Check(response.Line == line, "Line is not the line parsed");
                c.Parsed++;
            }
            return Task.CompletedTask;
        }

        private static void CheckImap(ImapResponse response)
        {
            Check(response.Tag.Length > 0, "an empty tag");
            Check(response.Tag == "+" || (response.Status.Length > 0 && response.Status == response.Status.ToUpperInvariant()), $"status '{response.Status}'");
            var atoms = response.CapabilityResponseCode();
            Check(atoms == null || atoms.All(a => a.Length > 0 && a.IndexOf(' ') < 0), "an empty or spaced capability atom");
        }

        private static async Task ImapCompletionReader(FuzzCase c)
        {
            using var session = Session(c);
            string tag = Pick(c.Random, new[] { "a1", "a2", "b1", "z1", "*", "+", "A1" });
            while (true)
            {
                var (completion, untagged) = await ImapResponse.ReadCompletionAsync(session, tag, Step);
                Check(completion.Tag == tag || (completion.IsUntagged && completion.Status == "BYE"), $"completion tagged '{completion.Tag}' for '{tag}'");
                Check(untagged.Count <= ImapResponse.MaxUntaggedLines, $"{untagged.Count} untagged lines");
                Check(untagged.All(u => u.IsUntagged), "a tagged line among the untagged ones");
                CheckImap(completion);
                foreach (var u in untagged) CheckImap(u);
                c.Parsed++;
            }
        }

        // ---- POP3 ---------------------------------------------------------------------------------------------

        private static readonly string[] Pop3Statuses = { "+OK", "+OK", "-ERR", "+ok", "-err", "+OKAY", "+", "-", "OK", "+ OK", "-ERRor", "" };
        private static readonly string[] Pop3CapaLines = { "STLS", "stls", "STLS extra", "USER", "SASL PLAIN", "TOP", "UIDL", "PIPELINING", "..", "...", ". ", "..STLS", "", " ." };

        private static IReadOnlyList<byte[]> Pop3Seeds { get; } = new[]
        {
            "+OK pop.example.com ready\r\n+OK Capability list follows\r\nUSER\r\nSTLS\r\nSASL PLAIN\r\n.\r\n+OK Begin TLS\r\n+OK\r\nUSER\r\nSASL PLAIN\r\n.\r\n+OK bye\r\n",
            "+OK ready\r\n+OK\r\nSTLS\r\n.\r\n-ERR TLS not available\r\n+OK bye\r\n",
            "+OK ready\r\n-ERR unknown command\r\n+OK bye\r\n",
            "-ERR go away\r\n",
            "+OK\r\n..STLS\r\n...\r\n.\r\n",
        }.Select(Bytes).ToArray();

        private static IReadOnlyList<byte[]> Pop3Dictionary { get; } =
            new[] { "+OK", "-ERR", "+OK ", ".\r\n", "..", "STLS", "\r\n" }.Select(Bytes).Append(InvalidUtf8).ToArray();

        /// <summary>Status lines, each perhaps followed by a dot-terminated list (dot-stuffed, missing its dot, or over MaxCapaLines).</summary>
        private static string Pop3Blocks(Random r)
        {
            var sb = new StringBuilder();
            int blocks = 1 + r.Next(6);
            for (int b = 0; b < blocks; b++)
            {
                string status = Pick(r, Pop3Statuses) + (r.Next(2) == 0 ? "" : " " + Text(r));
                if (!Append(sb, status + LineBreak(r))) break;
                if (r.Next(2) == 0) continue;
                int lines = r.Next(25) == 0 ? Pop3Dialect.MaxCapaLines - 1 + r.Next(4) : r.Next(8);
                for (int i = 0; i < lines; i++)
                    if (!Append(sb, (r.Next(5) == 0 ? Text(r) : Pick(r, Pop3CapaLines)) + LineBreak(r))) return sb.ToString();
                if (r.Next(10) != 0 && !Append(sb, "." + LineBreak(r))) break;
            }
            return sb.ToString();
        }

        private static readonly string[][] Pop3Conversation =
        {
            new[] { "+OK ready\r\n", "-ERR go away\r\n", "+OK <1896.697170952@dbc.mailcom> ready\r\n", "+ok\r\n" },
            new[] { "+OK\r\nUSER\r\nSTLS\r\n.\r\n", "+OK list\r\nSTLS\r\n.\r\n", "-ERR unknown command\r\n", "+OK\r\nUSER\r\n.\r\n", "+OK\r\n..STLS\r\n.\r\n" },
            new[] { "+OK Begin TLS\r\n", "-ERR not now\r\n", "+OK\r\n" },
            new[] { "+OK\r\nUSER\r\n.\r\n", "-ERR\r\n" },
            new[] { "+OK bye\r\n", "" },
        };

        private static async Task Pop3StatusReader(FuzzCase c)
        {
            using var session = Session(c);
            while (true)
            {
                string line = await Pop3Dialect.ReadStatusLineAsync(session, Step);
                Check(line.StartsWith("+OK", StringComparison.OrdinalIgnoreCase) || line.StartsWith("-ERR", StringComparison.OrdinalIgnoreCase), $"status '{line}'");
                c.Parsed++;
            }
        }

        private static async Task Pop3MultiLineReader(FuzzCase c)
        {
            using var session = Session(c);
            while (true)
            {
                var lines = await Pop3Dialect.ReadMultiLineAsync(session, Step);
                Check(lines.Count <= Pop3Dialect.MaxCapaLines, $"a list of {lines.Count} lines");
                c.Parsed++;
            }
        }

        // ---- Whole negotiations -------------------------------------------------------------------------------

        /// <summary>A server's side of a whole conversation: each turn mostly a plausible answer, sometimes generated noise or random text.</summary>
        private static string Conversation(Random r, string[][] turns, Func<Random, string> noise)
        {
            var sb = new StringBuilder();
            foreach (string[] answers in turns)
            {
                int pick = r.Next(20);
                string turn = pick < 16 ? Pick(r, answers) : pick < 19 ? noise(r) : Ascii(RandomBytes(r));
                if (!Append(sb, turn)) break;
            }
            return sb.ToString();
        }

        /// <summary>Runs the plain phase as the engine does, then (if the server agreed) the post-TLS capability read and the goodbye; or, one time in four, the implicit-TLS path.</summary>
        private static async Task Negotiate(IStartTlsDialect dialect, FuzzCase c)
        {
            using var session = Session(c);
            var context = new DialectContext("mx.example.com", "client.test");
            if (c.Random.Next(4) == 0)
            {
                TlsPhaseOutcome implicitTls = await dialect.ReadCapabilitiesOverTlsAsync(session, context, implicitTls: true);
                Check(implicitTls.Capabilities != null, "null capabilities");
                c.Parsed++;
                return;
            }
            PlainPhaseOutcome plain = await dialect.NegotiateStartTlsAsync(session, context);
            Check(plain.Banner != null && plain.Capabilities != null, "a null banner or capability list");
            Check(plain.StopStatus == null || plain.StopStatus == StartTlsStatus.NotOffered || plain.StopStatus == StartTlsStatus.Refused
                  || plain.StopStatus == StartTlsStatus.ProtocolError || plain.StopStatus == StartTlsStatus.Unavailable, $"stop status {plain.StopStatus}");
            // A refusal carries its kind, and only a refusal does; interference is never claimed without evidence.
            Check((plain.StopStatus == StartTlsStatus.Unavailable) == (plain.Unavailable != null), "an Unavailable stop without its kind, or a kind without the stop");
            Check((plain.Interference == StartTlsInterference.None) == (plain.InterferenceEvidence == null), "interference without evidence, or evidence without interference");
            Check(plain.Enforcement == null || plain.Enforcement.Evidence.Length > 0, "an enforcement verdict without evidence");
            Check((plain.StopStatus == null) == (plain.StopReason == null), "a stop status without a reason, or a reason without one");
            Check(plain.StopStatus != null || (plain.StartTlsOffered && plain.StartTlsReply != null), "agreed to TLS without an offer and a reply");
            c.Parsed++;
            if (plain.StopStatus == null)
            {
                TlsPhaseOutcome secure = await dialect.ReadCapabilitiesOverTlsAsync(session, context, implicitTls: false);
                Check(secure.Capabilities != null, "null capabilities");
                c.Parsed++;
            }
            await dialect.CloseAsync(session, context);
            c.Parsed++;
        }

        // ---- FTP, NNTP, ManageSieve, XMPP --------------------------------------------------------------------------

        private static IReadOnlyList<byte[]> FtpSeeds { get; } = new[]
        {
            "220-Welcome\r\n123 free text\r\n220-more\r\n220 ready\r\n211-Features:\r\n AUTH TLS\r\n PBSZ\r\n PROT\r\n211 End\r\n234 Proceed\r\n" +
                "211-Features:\r\n PBSZ\r\n211 End\r\n200 PBSZ=0\r\n200 PROT P\r\n221 Bye\r\n",
            "220 ready\r\n500 FEAT?\r\n504 no\r\n221 Bye\r\n",
            "421 busy\r\n",
            "120 wait\r\n220 ok\r\n211 none\r\n534 policy\r\n",
        }.Select(Bytes).ToArray();

        private static IReadOnlyList<byte[]> FtpDictionary { get; } =
            new[] { "220 ", "220-", "211-", "211 ", " AUTH TLS", "234 ", "504 ", "534 ", "\r\n", "999-", "1" }.Select(Bytes).Append(InvalidUtf8).ToArray();

        /// <summary>FTP replies: multi-line ones with free-text middles (some starting with other codes), wrong end codes, a flood now and then.</summary>
        private static string FtpReplies(Random r)
        {
            var sb = new StringBuilder();
            int replies = 1 + r.Next(6);
            for (int k = 0; k < replies; k++)
            {
                int code = Pick(r, new[] { 120, 211, 220, 221, 234, 200, 421, 431, 500, 502, 504, 534, 536, r.Next(0, 1000) });
                int middle = r.Next(30) == 0 ? FtpReply.MaxLines + r.Next(3) - 2 : r.Next(5);
                if (middle == 0 && r.Next(2) == 0) { if (!Append(sb, code + Pick(r, new[] { " ", "", "-", "x" }) + Text(r) + LineBreak(r))) break; continue; }
                if (!Append(sb, code + "-" + Pick(r, new[] { "Features:", "Welcome", "" }) + LineBreak(r))) break;
                for (int i = 0; i < middle; i++)
                    if (!Append(sb, Pick(r, new[] { " AUTH TLS", " PBSZ", code + "-x", (code + 1) + " y", "  ", Text(r) }) + LineBreak(r))) return sb.ToString();
                if (r.Next(10) != 0 && !Append(sb, code + Pick(r, new[] { " End", "", " " }) + LineBreak(r))) break;
            }
            return sb.ToString();
        }

        private static readonly string[][] FtpConversation =
        {
            new[] { "220 ready\r\n", "220-a\r\n b\r\n220 c\r\n", "421 busy\r\n", "120 wait\r\n220 ok\r\n" },
            new[] { "211-Features:\r\n AUTH TLS\r\n211 End\r\n", "500 no FEAT\r\n", "211-x\r\n MDTM\r\n211 End\r\n" },
            new[] { "234 go\r\n", "504 no\r\n", "534 policy\r\n", "500 what\r\n", "200 huh\r\n" },
            new[] { "211-Features:\r\n PBSZ\r\n211 End\r\n", "500 no\r\n" },
            new[] { "200 ok\r\n", "503 no\r\n" },
            new[] { "200 ok\r\n", "536 no\r\n" },
            new[] { "221 Bye\r\n", "" },
        };

        private static async Task FtpReplyReader(FuzzCase c)
        {
            using var session = Session(c);
            while (true)
            {
                FtpReply reply = await FtpReply.ReadAsync(session, Step);
                Check(reply.Code >= 100 && reply.Code <= 599, $"reply code {reply.Code} outside 100-599");
                Check(reply.Lines.Count >= 1 && reply.Lines.Count <= FtpReply.MaxLines, $"a reply of {reply.Lines.Count} lines");
                Check(reply.InnerLines.Count == System.Math.Max(0, reply.Lines.Count - 2), "inner lines miscounted");
                c.Parsed++;
            }
        }

        private static readonly string[][] NntpConversation =
        {
            new[] { "200 news ready\r\n", "201 no posting\r\n", "400 later\r\n", "502 no\r\n", "200-x\r\n" },
            new[] { "101 Capability list:\r\nVERSION 2\r\nSTARTTLS\r\n.\r\n", "101 caps\r\nVERSION 2\r\n.\r\n", "500 what\r\n", "101 x\r\n..STARTTLS\r\n.\r\n" },
            new[] { "382 go\r\n", "580 cannot\r\n", "502 no\r\n", "200 huh\r\n" },
            new[] { "101 caps\r\nVERSION 2\r\n.\r\n", "480 auth\r\n" },
            new[] { "205 bye\r\n", "" },
        };

        private static async Task NntpStatusReader(FuzzCase c)
        {
            using var session = Session(c);
            while (true)
            {
                var (code, line) = await NntpDialect.ReadStatusAsync(session, Step);
                Check(code >= 100 && code <= 599 && line.StartsWith(code.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal), $"status {code} for '{line}'");
                c.Parsed++;
            }
        }

        private static IReadOnlyList<byte[]> SieveSeeds { get; } = new[]
        {
            "\"IMPLEMENTATION\" \"Dovecot Pigeonhole\"\r\n\"SIEVE\" {8}\r\nfileinto\r\n\"STARTTLS\"\r\nOK \"ready\"\r\nOK \"go\"\r\n\"SASL\" \"PLAIN\"\r\nOK\r\nOK \"bye\"\r\n",
            "\"STARTTLS\"\r\nOK\r\nNO (TRYLATER) \"not now\"\r\nOK\r\n",
            "BYE \"busy\"\r\n",
            "{5+}\r\nab\"cd\r\nOK\r\n",
        }.Select(Bytes).ToArray();

        private static IReadOnlyList<byte[]> SieveDictionary { get; } =
            new[] { "\"", "\\\"", "{", "}", "{5}", "{0+}", "{99999}", "OK", "NO", "BYE", "\"STARTTLS\"", "\r\n" }.Select(Bytes).Append(InvalidUtf8).ToArray();

        /// <summary>Capability lines of quoted strings and literals (with right, wrong and huge counts), then a response line.</summary>
        private static string SieveLines(Random r)
        {
            var sb = new StringBuilder();
            int responses = 1 + r.Next(4);
            for (int k = 0; k < responses; k++)
            {
                int lines = r.Next(25) == 0 ? ManageSieveResponse.MaxLines + r.Next(3) - 1 : r.Next(6);
                for (int i = 0; i < lines; i++)
                {
                    string value = Pick(r, new[] { "STARTTLS", "SIEVE", "SASL", "x\\\"y", "", Text(r) });
                    string line = r.Next(4) == 0
                        ? "\"" + Pick(r, new[] { "SIEVE", "IMPLEMENTATION" }) + "\" {" + (r.Next(8) == 0 ? r.Next(100000) : value.Length) + Pick(r, new[] { "}", "+}", "" }) + "\r\n" + value
                        : "\"" + value + Pick(r, new[] { "\"", "\"", "" }) + (r.Next(2) == 0 ? " \"" + Text(r) + "\"" : "");
                    if (!Append(sb, line + LineBreak(r))) return sb.ToString();
                }
                if (!Append(sb, Pick(r, new[] { "OK", "NO", "BYE", "ok", "OKAY", "* OK" }) + (r.Next(2) == 0 ? "" : " \"" + Text(r) + "\"") + LineBreak(r))) break;
            }
            return sb.ToString();
        }

        private static readonly string[][] SieveConversation =
        {
            new[] { "\"IMPLEMENTATION\" \"x\"\r\n\"STARTTLS\"\r\nOK\r\n", "\"SASL\" \"PLAIN\"\r\nOK\r\n", "BYE \"busy\"\r\n", "\"STARTTLS\"\r\n{3}\r\nabc\r\nOK\r\n" },
            new[] { "OK \"go\"\r\n", "NO \"no\"\r\n", "BYE\r\n", "\"X\"\r\nOK\r\n" },
            new[] { "\"SASL\" \"PLAIN\"\r\nOK\r\n", "NO\r\n" },
            new[] { "OK \"bye\"\r\n", "" },
        };

        private static async Task SieveResponseReader(FuzzCase c)
        {
            using var session = Session(c);
            while (true)
            {
                var response = await ManageSieveResponse.ReadAsync(session, Step);
                Check(response.Status == "OK" || response.Status == "NO" || response.Status == "BYE", $"status '{response.Status}'");
                Check(response.Capabilities.Count <= ManageSieveResponse.MaxLines, $"{response.Capabilities.Count} capability lines");
                c.Parsed++;
            }
        }

        private const string XmppHeader = "<?xml version='1.0'?><stream:stream from='mx.example.com' id='a' version='1.0' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>";

        private static IReadOnlyList<byte[]> XmppSeeds { get; } = new[]
        {
            XmppHeader + "<stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/></starttls></stream:features>" +
                "<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>" + XmppHeader +
                "<stream:features><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>PLAIN</mechanism></mechanisms></stream:features></stream:stream>",
            XmppHeader + "<stream:features/><failure xmlns='urn:ietf:params:xml:ns:xmpp-tls'/></stream:stream>",
            XmppHeader + "<stream:error><host-unknown xmlns='urn:ietf:params:xml:ns:xmpp-streams'/><text>&lt;no&gt; &#x41;&#66;</text></stream:error></stream:stream>",
            "<stream:stream xmlns:stream='http://etherx.jabber.org/streams' version=\"1.0\">\r\n<a b='&amp;'>t</a>\r\n</stream:stream>",
        }.Select(Bytes).ToArray();

        private static IReadOnlyList<byte[]> XmppDictionary { get; } =
            new[] { "<", ">", "/>", "</", "<?", "?>", "<!DOCTYPE x>", "<![CDATA[", "&amp;", "&xxe;", "&#0;", "&#x110000;", "'", "\"", "=",
                    "xmlns='urn:ietf:params:xml:ns:xmpp-tls'", "<starttls/>", "</stream:stream>", "<stream:features>", "stream:" }.Select(Bytes)
                .Append(InvalidUtf8).ToArray();

        /// <summary>A stream header (or not), then random trees of elements: nesting past the limit, stray ends, entities, odd quoting.</summary>
        private static string XmppStream(Random r)
        {
            var sb = new StringBuilder();
            if (r.Next(8) != 0) sb.Append(r.Next(3) == 0 ? XmppHeader.Substring(21) : XmppHeader);
            int elements = 1 + r.Next(6);
            for (int k = 0; k < elements && sb.Length < FuzzRunner.MaxInputBytes; k++)
            {
                XmppTree(r, sb, 0);
                if (r.Next(3) == 0) sb.Append(Pick(r, new[] { "\r\n", " ", "x", "</stream:stream>", "<?pi?>", "<!-- c -->" }));
            }
            return sb.ToString();
        }

        private static void XmppTree(Random r, StringBuilder sb, int depth)
        {
            if (sb.Length > FuzzRunner.MaxInputBytes) return;
            string name = Pick(r, new[] { "stream:features", "starttls", "proceed", "failure", "mechanisms", "mechanism", "required", "stream:error", "a", "x:y", "1bad", "" });
            sb.Append('<').Append(name);
            int attributes = r.Next(20) == 0 ? XmppStreamReader.MaxAttributes + 1 : r.Next(3);
            for (int i = 0; i < attributes; i++)
                sb.Append(' ').Append(Pick(r, new[] { "xmlns", "xmlns:x", "a" + i, "version" })).Append('=').Append(Pick(r, new[] { "'v'", "\"v\"", "'urn:ietf:params:xml:ns:xmpp-tls'", "'&amp;'", "'&bad;'", "v", "'<'" }));
            if (r.Next(4) == 0) { sb.Append(Pick(r, new[] { "/>", "/ >", ">" })); return; }
            sb.Append('>');
            bool deep = r.Next(30) == 0;
            int children = deep ? 1 : r.Next(4);
            for (int i = 0; i < children; i++)
            {
                if (deep || depth < XmppStreamReader.MaxDepth + 2) XmppTree(r, sb, depth + 1);
                if (r.Next(3) == 0) sb.Append(Pick(r, new[] { "text", "&lt;", "&#65;", "&#xD800;", "&", " " }));
            }
            sb.Append("</").Append(r.Next(20) == 0 ? "other" : name).Append('>');
        }

        private static async Task XmppReader(FuzzCase c)
        {
            using var session = Session(c);
            var reader = new XmppStreamReader(session);
            var header = await reader.ReadStreamHeaderAsync(Step);
            Check(header.LocalName == "stream" && header.Children.Count == 0, "a header that is not an empty stream element");
            c.Parsed++;
            while (await reader.ReadElementAsync(Step) is XmppElement element)
            {
                CheckXmpp(element, 1);
                c.Parsed++;
            }
        }

        private static void CheckXmpp(XmppElement element, int depth)
        {
            Check(depth <= XmppStreamReader.MaxDepth, $"an element at depth {depth}");
            Check(element.Attributes.Count <= XmppStreamReader.MaxAttributes, $"{element.Attributes.Count} attributes");
            Check(element.Children.Count <= XmppStreamReader.MaxChildren, $"{element.Children.Count} children");
            Check(element.Name.Length > 0 && element.Name.IndexOfAny(new[] { '<', '>', ' ', '/' }) < 0, $"element name '{element.Name}'");
            Check(element.Namespace != null, "a null namespace");
            foreach (var child in element.Children) CheckXmpp(child, depth + 1);
        }

        private static readonly string[][] XmppConversation =
        {
            new[] { XmppHeader, XmppHeader.Replace(" version='1.0'", ""), "<stream:stream>", "<html>" },
            new[] { "<stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/></stream:features>", "<stream:features/>",
                    "<stream:error><host-unknown/></stream:error>", "</stream:stream>" },
            new[] { "<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>", "<failure xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>", "<proceed/>", "</stream:stream>" },
            new[] { XmppHeader, "<stream:stream xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>" },
            new[] { "<stream:features><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>PLAIN</mechanism></mechanisms></stream:features>", "<x/>" },
            new[] { "</stream:stream>", "" },
        };

        // ---- DER and subjectAltName ---------------------------------------------------------------------------

        private const string SeedCertificate =
            "MIICJjCCAcygAwIBAgIUMRrn//N3X7lzIyS9wGQzOTMQGdcwCgYIKoZIzj0EAwIwLTEXMBUGA1UEAwwObXguZXhhbXBsZS5jb20xEjAQBgNVBAoMCUZ1enogU2VlZDAeFw0y" +
            "NjExMjQxODE1MDFaFw0zNjExMjExODE1MDFaMC0xFzAVBgNVBAMMDm14LmV4YW1wbGUuY29tMRIwEAYDVQQKDAlGdXp6IFNlZWQwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNC" +
            "AAS9H1Jl/KNjRoL3nEWmu7xMYWrPUsGZ/KGOe1XNOZowCyC8oYswRhvMBraA1v2wL2vLpsO6cUzoucAPj+ye7bkco4HJMIHGMB0GA1UdDgQWBBRSNOvGLzxzQvGzBcUxr8DT" +
            "utUJEjAfBgNVHSMEGDAWgBRSNOvGLzxzQvGzBcUxr8DTutUJEjAPBgNVHRMBAf8EBTADAQH/MHMGA1UdEQRsMGqCDm14LmV4YW1wbGUuY29tghIqLm1haWwuZXhhbXBsZS5j" +
            "b22HBMAAAhmHECABDbgAAAAAAAAAAAAAACWBFnBvc3RtYXN0ZXJAZXhhbXBsZS5jb22GFGh0dHBzOi8vZXhhbXBsZS5jb20vMAoGCCqGSM49BAMCA0gAMEUCIGS1UEIuqmjw" +
            "mYZfcmQAew3JUwg5ANXcW91tBn0uekxRAiEA98ng/4gMK2H7oIf4daOEPIAXT+GK0MaQ+mksG9NTD5c=";

        /// <summary>
        /// A self-signed EC certificate (openssl, CN and SANs mx.example.com, *.mail.example.com, 192.0.2.25,
        /// 2001:db8::25, an email and a URI), split so that its subjectAltName value can be replaced.
        /// </summary>
        private static readonly CertificateTemplate Template = new CertificateTemplate(Convert.FromBase64String(SeedCertificate));

        private static readonly byte[][] HandmadeSans =
        {
            new byte[] { 0x30, 0x00 },
            new byte[] { 0x30, 0x06, 0x87, 0x04, 127, 0, 0, 1 },
            new byte[] { 0x30, 0x05, 0x87, 0x03, 1, 2, 3 },
            new byte[] { 0x30, 0x81, 0x05, 0x82, 0x03, (byte)'a', (byte)'.', (byte)'b' },
            new byte[] { 0x30, 0x82, 0x00, 0x04, 0x82, 0x02, (byte)'*', (byte)'.' },
            new byte[] { 0x30, 0x07, 0xA0, 0x05, 0x06, 0x03, 0x2B, 0x06, 0x01 },
        };

        private static IReadOnlyList<byte[]> SanSeeds { get; } = HandmadeSans.Append(Template.SubjectAltName).ToArray();

        private static IReadOnlyList<byte[]> DerSeeds { get; } = HandmadeSans.Append(Template.SubjectAltName).Append(Template.Certificate).ToArray();

        /// <summary>Length forms that break naive readers: indefinite, non-minimal, 4+ octets, all-ones, and the high-tag form.</summary>
        private static IReadOnlyList<byte[]> DerDictionary { get; } = new[]
        {
            new byte[] { 0x80 }, new byte[] { 0x81, 0x00 }, new byte[] { 0x82, 0x00, 0x01 }, new byte[] { 0x83, 0xFF, 0xFF, 0xFF },
            new byte[] { 0x84, 0x7F, 0xFF, 0xFF, 0xFF }, new byte[] { 0x84, 0xFF, 0xFF, 0xFF, 0xFF }, new byte[] { 0x85, 1, 0, 0, 0, 0 },
            new byte[] { 0xFF }, new byte[] { 0x1F, 0x81, 0x00 }, new byte[] { 0x30, 0x80 }, new byte[] { 0x30, 0x7F }, new byte[] { 0x87, 0x10 },
        };

        /// <summary>A random TLV tree: usual tags, mostly right lengths, sometimes lengths that lie or use odd forms.</summary>
        private static List<byte> DerTree(Random r, int depth)
        {
            byte[] tags = { 0x30, 0x31, 0x04, 0x02, 0x06, 0x05, 0x0C, 0x82, 0x87, 0x81, 0x86, 0xA0, 0xA3, 0x1F, 0x3F, 0xBF };
            byte tag = r.Next(10) == 0 ? (byte)r.Next(256) : Pick(r, tags);
            var content = new List<byte>();
            if ((tag & 0x20) != 0 && depth < 8)
            {
                int children = r.Next(6);
                for (int i = 0; i < children && content.Count < 8192; i++) content.AddRange(DerTree(r, depth + 1));
            }
            else
            {
                var bytes = new byte[tag == 0x87 && r.Next(2) == 0 ? Pick(r, new[] { 4, 16 }) : r.Next(r.Next(20) == 0 ? 300 : 40)];
                r.NextBytes(bytes);
                content.AddRange(bytes);
            }
            var element = new List<byte> { tag };
            int length = content.Count;
            switch (r.Next(12))
            {
                case 0: element.AddRange(LengthBytes(length + 1 + r.Next(3), r)); break;          // claims more than it has
                case 1: element.AddRange(LengthBytes(Math.Max(0, length - 1), r)); break;          // claims less
                case 2: element.Add(0x80); break;                                                  // indefinite (BER)
                case 3: element.AddRange(Pick(r, DerDictionary)); break;                           // odd forms
                case 4: element.Add(0x82); element.Add((byte)(length >> 8)); element.Add((byte)length); break; // non-minimal
                default: element.AddRange(LengthBytes(length, r)); break;
            }
            element.AddRange(content);
            return element;
        }

        private static IEnumerable<byte> LengthBytes(int length, Random r)
        {
            if (length < 0x80) return new[] { (byte)length };
            if (length < 0x100) return new byte[] { 0x81, (byte)length };
            if (length < 0x10000) return new byte[] { 0x82, (byte)(length >> 8), (byte)length };
            return new byte[] { 0x83, (byte)(length >> 16), (byte)(length >> 8), (byte)length };
        }

        /// <summary>A GeneralNames-looking value: a SEQUENCE of name elements, or a DER tree from scratch.</summary>
        private static byte[] SanValue(Random r)
        {
            if (r.Next(3) == 0) return DerTree(r, 0).ToArray();
            var names = new List<byte>();
            int count = r.Next(8);
            for (int i = 0; i < count; i++)
            {
                byte tag = Pick(r, new byte[] { 0x82, 0x82, 0x87, 0x81, 0x86, 0xA0, 0x88, 0xA4 });
                byte[] value = tag == 0x87 && r.Next(4) != 0 ? new byte[Pick(r, new[] { 4, 16 })] : Bytes(Pick(r, new[] { "mx.example.com", "*.example.com", "*", "", "a..b", "xn--bcher-kva.example" }));
                if (tag == 0x87) r.NextBytes(value);
                names.Add(tag);
                names.AddRange(r.Next(8) == 0 ? LengthBytes(value.Length + r.Next(-2, 3) & 0xFF, r) : LengthBytes(value.Length, r));
                names.AddRange(value);
            }
            var sequence = new List<byte> { 0x30 };
            sequence.AddRange(LengthBytes(names.Count, r));
            sequence.AddRange(names);
            return sequence.ToArray();
        }

        /// <summary>Walks every element, descending into constructed ones, and checks each stays inside its parent.</summary>
        private static Task DerWalker(FuzzCase c)
        {
            byte[] input = c.Input;
            switch (c.Random.Next(3))
            {
                case 0:
                    Walk(c, 0, input.Length, 0);
                    break;
                case 1:
                {
                    // The subjectAltName path: SEQUENCE, then one element after another with its bytes copied out.
                    var sequence = new DerReader(input).ReadNested(0x30);
                    while (sequence.HasData)
                    {
                        var (_, offset, length) = sequence.ReadElement();
                        Check(sequence.Bytes(offset, length).Length == length, "Bytes returned the wrong length");
                        c.Parsed++;
                    }
                    break;
                }
                default:
                {
                    var reader = new DerReader(input);
                    while (reader.HasData)
                    {
                        reader.ReadNested(Pick(c.Random, new byte[] { 0x30, 0x04, 0x82, input.Length > 0 ? input[0] : (byte)0 }));
                        c.Parsed++;
                    }
                    break;
                }
            }
            return Task.CompletedTask;
        }

        private static void Walk(FuzzCase c, int offset, int count, int depth)
        {
            var reader = new DerReader(c.Input, offset, count);
            while (reader.HasData)
            {
                var (tag, at, length) = reader.ReadElement();
                Check(at >= offset && length >= 0 && (long)at + length <= (long)offset + count, $"element [{at}, +{length}) outside its parent [{offset}, +{count})");
                c.Parsed++;
                // Depth is bounded here, not by DerReader (which is flat): a 64 KiB input could nest 32 K deep.
                if ((tag & 0x20) != 0 && depth < 64) Walk(c, at, length, depth + 1);
                else if (length <= 256) reader.Bytes(at, length);
            }
        }

        /// <summary>HostnameMatcher on a real certificate whose subjectAltName value is the fuzz input: it must never throw at all.</summary>
        private static Task SubjectAltNameReader(FuzzCase c)
        {
            X509Certificate2 certificate;
            try
            {
                certificate = X509CertificateLoader.LoadCertificate(Template.WithSubjectAltName(c.Input));
            }
            catch (CryptographicException ex)
            {
                // The platform refused the certificate itself, so no TLS stack would ever hand it to us.
                throw new StartTlsProtocolException("The runtime would not load the certificate: " + ex.Message, ex);
            }
            using (certificate)
            {
                var names = HostnameMatcher.ReadSubjectAltNames(certificate);
                Check(names.Describe().All(d => d != null), "a null name");
                foreach (string host in new[] { "mx.example.com", "a.mail.example.com", "192.0.2.25", "2001:db8::25" })
                    HostnameMatcher.Matches(certificate, host);
                c.Parsed += names.Dns.Count + names.IPAddresses.Count + names.Other.Count;
                // HostnameMatcher catches DerReader's exception itself and notes it; count that as the parser's rejection.
                if (names.Other.Contains("(malformed subjectAltName)"))
                    throw new StartTlsProtocolException("HostnameMatcher reported a malformed subjectAltName.");
            }
            return Task.CompletedTask;
        }

        /// <summary>The banner heuristics of Compare-ImplicitVsStartTls: any text in, only plausible names out.</summary>
        private static Task BannerInfoReader(FuzzCase c)
        {
            var info = BannerInfo.Parse(Encoding.UTF8.GetString(c.Input));
            if (info.HostName != null && (info.HostName.IndexOf('.') <= 0 || info.HostName.Any(char.IsWhiteSpace)))
                throw new FuzzInvariantException($"BannerInfo returned an implausible host name '{info.HostName}'.");
            if (info.SoftwareVersion != null && (info.SoftwareName == null || !char.IsDigit(info.SoftwareVersion[0])))
                throw new FuzzInvariantException($"BannerInfo returned version '{info.SoftwareVersion}' for '{info.SoftwareName}'.");
            c.Parsed += (info.HostName != null ? 1 : 0) + (info.SoftwareName != null ? 1 : 0);
            return Task.CompletedTask;
        }

        /// <summary>SMTP AUTH mechanisms from EHLO keywords, as Invoke-SmtpAuthPlain reads them.</summary>
        private static Task AuthMechanismsReader(FuzzCase c)
        {
            var keywords = Encoding.UTF8.GetString(c.Input).Split('\n');
            var mechanisms = SmtpAuthPlainClient.Mechanisms(keywords);
            if (mechanisms != null && mechanisms.Any(m => m.Length == 0 || m.Contains(' ')))
                throw new FuzzInvariantException("Mechanisms returned an empty or spaced name.");
            c.Parsed += mechanisms?.Length ?? 0;
            return Task.CompletedTask;
        }

        // Last in the class on purpose: it uses the seeds, dictionaries and conversations above.
        private static readonly Dictionary<string, FuzzTarget> Targets = new[]
        {
            new FuzzTarget("smtp-reply", SmtpSeeds, SmtpDictionary, r => Bytes(SmtpReplies(r)), SmtpReplyReader),
            new FuzzTarget("smtp-line", SmtpSeeds, SmtpDictionary, r => Bytes(SmtpReplies(r)), SmtpLineParser),
            new FuzzTarget("imap-line", ImapSeeds, ImapDictionary, r => Bytes(ImapLines(r)), ImapLineParser),
            new FuzzTarget("imap-completion", ImapSeeds, ImapDictionary, r => Bytes(ImapLines(r)), ImapCompletionReader),
            new FuzzTarget("pop3-status", Pop3Seeds, Pop3Dictionary, r => Bytes(Pop3Blocks(r)), Pop3StatusReader),
            new FuzzTarget("pop3-multiline", Pop3Seeds, Pop3Dictionary, r => Bytes(Pop3Blocks(r)), Pop3MultiLineReader),
            new FuzzTarget("smtp-dialect", SmtpSeeds, SmtpDictionary, r => Bytes(Conversation(r, SmtpConversation, SmtpReplies)),
                c => Negotiate(new SmtpDialect(StartTlsProtocol.Smtp, 25, 465), c)),
            new FuzzTarget("imap-dialect", ImapSeeds, ImapDictionary, r => Bytes(Conversation(r, ImapConversation, ImapLines)),
                c => Negotiate(new ImapDialect(), c)),
            new FuzzTarget("pop3-dialect", Pop3Seeds, Pop3Dictionary, r => Bytes(Conversation(r, Pop3Conversation, Pop3Blocks)),
                c => Negotiate(new Pop3Dialect(), c)),
            new FuzzTarget("ftp-reply", FtpSeeds, FtpDictionary, r => Bytes(FtpReplies(r)), FtpReplyReader),
            new FuzzTarget("ftp-dialect", FtpSeeds, FtpDictionary, r => Bytes(Conversation(r, FtpConversation, FtpReplies)),
                c => Negotiate(new FtpDialect(), c)),
            new FuzzTarget("nntp-status", Pop3Seeds, Pop3Dictionary, r => Bytes(Conversation(r, NntpConversation, Pop3Blocks)), NntpStatusReader),
            new FuzzTarget("nntp-dialect", Pop3Seeds, Pop3Dictionary, r => Bytes(Conversation(r, NntpConversation, Pop3Blocks)),
                c => Negotiate(new NntpDialect(), c)),
            new FuzzTarget("sieve-response", SieveSeeds, SieveDictionary, r => Bytes(SieveLines(r)), SieveResponseReader),
            new FuzzTarget("sieve-dialect", SieveSeeds, SieveDictionary, r => Bytes(Conversation(r, SieveConversation, SieveLines)),
                c => Negotiate(new ManageSieveDialect(), c)),
            new FuzzTarget("xmpp-reader", XmppSeeds, XmppDictionary, r => Bytes(XmppStream(r)), XmppReader),
            new FuzzTarget("xmpp-dialect", XmppSeeds, XmppDictionary, r => Bytes(Conversation(r, XmppConversation, XmppStream)),
                c => Negotiate(new XmppDialect(StartTlsProtocol.Xmpp, serverToServer: false, 5222, 5223), c)),
            new FuzzTarget("der", DerSeeds, DerDictionary, r => DerTree(r, 0).ToArray(), DerWalker),
            new FuzzTarget("san", SanSeeds, DerDictionary, SanValue, SubjectAltNameReader),
            new FuzzTarget("banner-info", SmtpSeeds, SmtpDictionary, r => Bytes(SmtpReplies(r)), BannerInfoReader),
            new FuzzTarget("auth-mechanisms", SmtpSeeds, SmtpDictionary, r => Bytes(SmtpReplies(r)), AuthMechanismsReader),
            new FuzzTarget("tls-records", TlsFuzzTargets.RecordSeeds, TlsFuzzTargets.Dictionary, TlsFuzzTargets.Records, TlsFuzzTargets.ReadFlight),
            new FuzzTarget("tls-handshake", TlsFuzzTargets.MessageSeeds, TlsFuzzTargets.Dictionary, r => TlsFuzzTargets.MessageSeeds[r.Next(TlsFuzzTargets.MessageSeeds.Count)], TlsFuzzTargets.ParseMessages),
        }.Concat(BinaryProtocolTargets()).ToDictionary(t => t.Name);

        /// <summary>A certificate cut into the parts around its subjectAltName extension, to re-encode with another value.</summary>
        private sealed class CertificateTemplate
        {
            private const string SubjectAltNameOid = "2.5.29.17";
            private static readonly Asn1Tag ExtensionsTag = new Asn1Tag(TagClass.ContextSpecific, 3, isConstructed: true);
            private readonly List<byte[]> _tbsFields = new List<byte[]>();
            private readonly byte[] _signatureAlgorithm;
            private readonly byte[] _signature;

            public CertificateTemplate(byte[] certificate)
            {
                Certificate = certificate;
                var outer = new AsnReader(certificate, AsnEncodingRules.DER).ReadSequence();
                var tbs = outer.ReadSequence();
                _signatureAlgorithm = outer.ReadEncodedValue().ToArray();
                _signature = outer.ReadEncodedValue().ToArray();
                while (tbs.HasData && !tbs.PeekTag().HasSameClassAndValue(ExtensionsTag)) _tbsFields.Add(tbs.ReadEncodedValue().ToArray());
                var extensions = tbs.ReadSequence(ExtensionsTag).ReadSequence();
                SubjectAltName = Array.Empty<byte>();
                while (extensions.HasData)
                {
                    var extension = extensions.ReadSequence();
                    if (extension.ReadObjectIdentifier() != SubjectAltNameOid) continue;
                    if (extension.PeekTag().HasSameClassAndValue(Asn1Tag.Boolean)) extension.ReadBoolean();
                    SubjectAltName = extension.ReadOctetString();
                }
            }

            public byte[] Certificate { get; }
            public byte[] SubjectAltName { get; }

            /// <summary>The same certificate with only a subjectAltName extension, holding <paramref name="value"/> (the signature no longer verifies; nothing here checks it).</summary>
            public byte[] WithSubjectAltName(byte[] value)
            {
                var writer = new AsnWriter(AsnEncodingRules.DER);
                using (writer.PushSequence())
                {
                    using (writer.PushSequence())
                    {
                        foreach (byte[] field in _tbsFields) writer.WriteEncodedValue(field);
                        using (writer.PushSequence(ExtensionsTag))
                        using (writer.PushSequence())
                        using (writer.PushSequence())
                        {
                            writer.WriteObjectIdentifier(SubjectAltNameOid);
                            writer.WriteOctetString(value);
                        }
                    }
                    writer.WriteEncodedValue(_signatureAlgorithm);
                    writer.WriteEncodedValue(_signature);
                }
                return writer.Encode();
            }
        }
    }
}
