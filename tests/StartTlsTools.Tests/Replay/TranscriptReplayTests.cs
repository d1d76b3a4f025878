using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using StartTlsTools.Protocols;
using StartTlsTools.Transport;

namespace StartTlsTools.Tests.Replay
{
    /// <summary>
    /// Every transcript in Transcripts/, replayed through its dialect three ways: all bytes at once, a line
    /// per read and a byte per read. Fragmentation must never change the outcome. Strict: every step of the
    /// script must be played (a dialect that drops its goodbye fails), and the TLS part exactly when there is an upgrade.
    /// </summary>
    public class TranscriptReplayTests
    {
        public static IEnumerable<object[]> Cases() =>
            TranscriptFile.All().SelectMany(file => Enum.GetValues<Delivery>().Select(delivery => new object[] { file, delivery }));

        [Fact]
        public void Every_registered_protocol_has_transcripts()
        {
            var covered = TranscriptFile.All().Select(TranscriptFile.Load).Select(t => t.Protocol).ToHashSet();
            var registered = ProtocolRegistry.Names.Select(n => Enum.Parse<StartTlsProtocol>(n)).ToList();
            Assert.Contains(StartTlsProtocol.Submission, registered);
            foreach (var protocol in registered) Assert.True(covered.Contains(protocol), $"No transcript replays {protocol}.");
            Assert.True(TranscriptFile.All().Count() >= 30, "the edge-case corpus shrank");
        }

        [Fact]
        public void A_transcript_without_a_protocol_line_is_an_error_not_smtp()
        {
            var error = Assert.Throws<InvalidDataException>(() => TranscriptFile.Parse("x.txt", new[] { "# expect-status: Upgrade", "S: 220 hi" }));
            Assert.Contains("protocol", error.Message);
            Assert.Equal(StartTlsProtocol.Imap, TranscriptFile.Parse("y.txt", new[] { "# protocol: Imap", "S: * OK" }).Protocol);
        }

        [Fact]
        public async Task A_dialect_that_leaves_the_script_unplayed_fails_the_replay()
        {
            // The server's goodbye is in the script; a client that never reads it leaves a step unplayed.
            var stream = new ScriptedStream(new[] { ScriptStep.Server("220 hi"), ScriptStep.Client("QUIT"), ScriptStep.Server("221 bye") }, Delivery.Whole);
            using var session = ReplaySession.Over(stream);
            await session.ReadLineAsync("the greeting");
            await session.WriteLineAsync("QUIT", "QUIT");
            Assert.NotNull(stream.Unconsumed);
            Assert.Contains("221 bye", stream.Unconsumed);
            await session.ReadLineAsync("the reply to QUIT");
            Assert.Null(stream.Unconsumed);
        }

        [Theory]
        [MemberData(nameof(Cases))]
        public async Task Transcript_gives_its_expected_outcome(string file, Delivery delivery)
        {
            var transcript = TranscriptFile.Load(file);
            Assert.True(transcript.Expect.ContainsKey("status"), $"{file} declares no expect-status");
            var dialect = ProtocolRegistry.Get(transcript.Protocol);
            var context = new DialectContext("mx.example.com", "client.test");

            var plainStream = new ScriptedStream(transcript.Plain, delivery);
            using var session = ReplaySession.Over(plainStream);
            string status;
            string reason;
            PlainPhaseOutcome? plain = null;
            string discarded = "";
            try
            {
                plain = await dialect.NegotiateStartTlsAsync(session, context);
                status = plain.StopStatus?.ToString() ?? "Upgrade";
                reason = plain.StopReason ?? "";
                // The engine says goodbye after a stop; the transcript must show that too.
                if (plain.StopStatus != null) await CloseIgnoringErrorsAsync(dialect, session, context);
                // After a go-ahead the engine discards plaintext that came with it; the rest of that turn goes too.
                else discarded = session.PeekBufferedText() + System.Text.Encoding.Latin1.GetString(plainStream.DrainServer());
            }
            catch (StartTlsProtocolException ex)
            {
                status = "ProtocolError";
                reason = ex.Message;
            }

            Assert.Empty(plainStream.Violations);
            Assert.Equal(transcript.Expect["status"], status);
            if (transcript.Expect.TryGetValue("unread", out string? unread))
                Assert.Equal(int.Parse(unread), plainStream.UnreadServerBytes() + session.BufferedBytes); // bytes the dialect must not read
            else Assert.True(plainStream.Unconsumed == null || status == "ProtocolError", $"{file}: {plainStream.Unconsumed}");
            // Only the line end the script format adds may follow a go-ahead, unless the transcript says otherwise.
            if (transcript.Expect.TryGetValue("discarded", out string? late)) Assert.Equal(int.Parse(late), discarded.Length);
            else Assert.True(discarded.Trim().Length == 0, $"{file}: plaintext after the go-ahead: '{discarded}'");
            if (transcript.Expect.TryGetValue("reason", out string? expectedReason)) Assert.Contains(expectedReason, reason);
            if (transcript.Expect.TryGetValue("offered", out string? offered)) Assert.Equal(bool.Parse(offered), plain!.StartTlsOffered);
            if (transcript.Expect.TryGetValue("banner", out string? banner)) Assert.Equal(banner, plain!.Banner);
            if (transcript.Expect.TryGetValue("reply", out string? reply)) Assert.Equal(reply, plain!.StartTlsReply);
            if (transcript.Expect.TryGetValue("capabilities-before", out string? before))
                Assert.Equal(before, string.Join("; ", plain!.Capabilities));
            if (transcript.Expect.TryGetValue("unavailable", out string? kind)) Assert.Equal(kind, plain!.Unavailable?.ToString());
            else if (plain != null) Assert.Null(plain.Unavailable);
            if (transcript.Expect.TryGetValue("blocklist", out string? list)) Assert.Equal(list, plain!.BlockList);
            if (transcript.Expect.TryGetValue("interference", out string? interference)) Assert.Equal(interference, plain!.Interference.ToString());
            else if (plain != null) Assert.Equal(StartTlsInterference.None, plain.Interference);
            if (transcript.Expect.TryGetValue("tls-required", out string? required))
                Assert.Equal(required, plain!.Enforcement?.Required?.ToString() ?? "Unknown");

            // The TLS part is played exactly when there is an upgrade, and played to its end.
            if (status != "Upgrade")
            {
                Assert.True(transcript.OverTls == null, $"{file} has a TLS part, but its outcome {status} never reaches TLS.");
                return;
            }
            Assert.True(transcript.OverTls != null, $"{file} upgrades but has no '--- TLS ---' part: what the dialect does over TLS must be in the script.");
            var tlsStream = new ScriptedStream(transcript.OverTls!, delivery);
            using var secureSession = ReplaySession.Over(tlsStream);
            TlsPhaseOutcome secure = await dialect.ReadCapabilitiesOverTlsAsync(secureSession, context, implicitTls: false);
            await dialect.CloseAsync(secureSession, context);
            Assert.Empty(tlsStream.Violations);
            Assert.True(tlsStream.Unconsumed == null, $"{file} over TLS: {tlsStream.Unconsumed}");
            if (transcript.Expect.TryGetValue("tls-problem", out string? problem)) Assert.Contains(problem, secure.Problem);
            else Assert.Null(secure.Problem);
            if (transcript.Expect.TryGetValue("capabilities-after", out string? after))
                Assert.Equal(after, string.Join("; ", secure.Capabilities));
        }

        private static async Task CloseIgnoringErrorsAsync(IStartTlsDialect dialect, ProtocolSession session, DialectContext context)
        {
            try
            {
                await dialect.CloseAsync(session, context);
            }
            catch (StartTlsProtocolException)
            {
                // A server that hangs up at goodbye is fine.
            }
        }
    }
}
