using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using StartTlsTools.Protocols;
using StartTlsTools.Transport;

namespace StartTlsTools.Tests.Replay
{
    /// <summary>
    /// Every transcript in Transcripts/, replayed through its dialect three ways: all bytes at once, a line
    /// per read and a byte per read. Fragmentation must never change the outcome.
    /// </summary>
    public class TranscriptReplayTests
    {
        public static IEnumerable<object[]> Cases() =>
            TranscriptFile.All().SelectMany(file => Enum.GetValues<Delivery>().Select(delivery => new object[] { file, delivery }));

        [Fact]
        public void Every_protocol_has_transcripts()
        {
            var protocols = TranscriptFile.All().Select(TranscriptFile.Load).Select(t => t.Protocol).Distinct().ToList();
            Assert.Contains(StartTlsProtocol.Smtp, protocols);
            Assert.Contains(StartTlsProtocol.Imap, protocols);
            Assert.Contains(StartTlsProtocol.Pop3, protocols);
            Assert.Contains(StartTlsProtocol.Ldap, protocols);
            Assert.Contains(StartTlsProtocol.PostgreSql, protocols);
            Assert.Contains(StartTlsProtocol.MySql, protocols);
            foreach (var p in new[] { StartTlsProtocol.Lmtp, StartTlsProtocol.Ftp, StartTlsProtocol.Xmpp, StartTlsProtocol.XmppServer, StartTlsProtocol.Nntp, StartTlsProtocol.ManageSieve })
                Assert.Contains(p, protocols);
            Assert.True(TranscriptFile.All().Count() >= 30, "the edge-case corpus shrank");
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
            try
            {
                plain = await dialect.NegotiateStartTlsAsync(session, context);
                status = plain.StopStatus?.ToString() ?? "Upgrade";
                reason = plain.StopReason ?? "";
                // The engine says goodbye after a stop; the transcript must show that too.
                if (plain.StopStatus != null) await CloseIgnoringErrorsAsync(dialect, session, context);
            }
            catch (StartTlsProtocolException ex)
            {
                status = "ProtocolError";
                reason = ex.Message;
            }

            Assert.Empty(plainStream.Violations);
            Assert.Equal(transcript.Expect["status"], status);
            if (transcript.Expect.TryGetValue("reason", out string? expectedReason)) Assert.Contains(expectedReason, reason);
            if (transcript.Expect.TryGetValue("offered", out string? offered)) Assert.Equal(bool.Parse(offered), plain!.StartTlsOffered);
            if (transcript.Expect.TryGetValue("banner", out string? banner)) Assert.Equal(banner, plain!.Banner);
            if (transcript.Expect.TryGetValue("reply", out string? reply)) Assert.Equal(reply, plain!.StartTlsReply);
            if (transcript.Expect.TryGetValue("capabilities-before", out string? before))
                Assert.Equal(before, string.Join("; ", plain!.Capabilities));

            if (status != "Upgrade" || transcript.OverTls == null) return;
            var tlsStream = new ScriptedStream(transcript.OverTls, delivery);
            using var secureSession = ReplaySession.Over(tlsStream);
            TlsPhaseOutcome secure = await dialect.ReadCapabilitiesOverTlsAsync(secureSession, context, implicitTls: false);
            await dialect.CloseAsync(secureSession, context);
            Assert.Empty(tlsStream.Violations);
            Assert.Null(secure.Problem);
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
