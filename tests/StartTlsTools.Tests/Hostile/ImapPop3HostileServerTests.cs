using System;
using System.Threading;
using System.Threading.Tasks;

namespace StartTlsTools.Tests.Hostile
{
    /// <summary>The IMAP and POP3 dialects against the same kinds of hostile server as SMTP.</summary>
    [Collection(HostileSuite.Name)]
    public sealed class ImapPop3HostileServerTests
    {
        [Theory]
        [InlineData(StartTlsProtocol.Imap)]
        [InlineData(StartTlsProtocol.Pop3)]
        public async Task ServerThatNeverGreets_TimesOutOnTheGreeting(StartTlsProtocol protocol)
        {
            var outcome = await HostileCase.RunAsync((client, cancel) => Task.Delay(Timeout.Infinite, cancel), protocol);

            outcome.AssertFinished(StartTlsStatus.Timeout, "greeting");
            Assert.Empty(outcome.ClientLines);
        }

        [Fact]
        public async Task ImapStartTlsAnsweredNo_IsRefused_AndTheReplyIsKept()
        {
            var outcome = await HostileCase.RunAsync(async (client, cancel) =>
            {
                await client.SendAsync("* OK [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED] imap.example ready\r\n", cancel);
                if (await client.ReadLineAsync(cancel) != "a2 STARTTLS") return;
                await client.SendAsync("a2 NO [UNAVAILABLE] TLS is not available right now\r\n", cancel);
                if (await client.ReadLineAsync(cancel) == "z1 LOGOUT") await client.SendAsync("* BYE logging out\r\nz1 OK LOGOUT completed\r\n", cancel);
            }, StartTlsProtocol.Imap);

            outcome.AssertFinished(StartTlsStatus.Refused, "refused STARTTLS", "NO");
            Assert.Equal("a2 NO [UNAVAILABLE] TLS is not available right now", outcome.Result.StartTlsReply);
            Assert.Equal(new[] { "a2 STARTTLS", "z1 LOGOUT" }, outcome.ClientLines);
        }

        [Fact]
        public async Task Pop3StlsAnsweredErr_IsRefused_AndTheReplyIsKept()
        {
            var outcome = await HostileCase.RunAsync(async (client, cancel) =>
            {
                await client.SendAsync("+OK pop.example ready\r\n", cancel);
                if (await client.ReadLineAsync(cancel) != "CAPA") return;
                await client.SendAsync("+OK Capability list follows\r\nUSER\r\nSTLS\r\n.\r\n", cancel);
                if (await client.ReadLineAsync(cancel) != "STLS") return;
                await client.SendAsync("-ERR TLS not available\r\n", cancel);
                if (await client.ReadLineAsync(cancel) == "QUIT") await client.SendAsync("+OK bye\r\n", cancel);
            }, StartTlsProtocol.Pop3);

            outcome.AssertFinished(StartTlsStatus.Refused, "refused STLS", "-ERR");
            Assert.Equal("-ERR TLS not available", outcome.Result.StartTlsReply);
        }

        [Theory]
        [InlineData(StartTlsProtocol.Imap, "not an IMAP")]
        [InlineData(StartTlsProtocol.Pop3, "not a POP3 status")]
        public async Task BinaryGarbageGreeting_IsAProtocolError(StartTlsProtocol protocol, string mention)
        {
            var garbage = HostileCase.Garbage();
            var outcome = await HostileCase.RunAsync(async (client, cancel) =>
            {
                await client.SendAsync(garbage, cancel);
                await client.DrainAsync(cancel);
            }, protocol);

            outcome.AssertFinished(StartTlsStatus.ProtocolError, mention, "greeting");
            Assert.Empty(outcome.ClientLines);
        }

        [Theory]
        [InlineData(StartTlsProtocol.Imap, "not an IMAP greeting")]
        [InlineData(StartTlsProtocol.Pop3, "not a POP3 status")]
        public async Task SmtpServerOnTheWrongPort_IsAProtocolErrorRatherThanAMisreadGreeting(StartTlsProtocol protocol, string mention)
        {
            // Text that is well-formed for another protocol is still garbage to this one.
            var outcome = await HostileCase.RunAsync(async (client, cancel) =>
            {
                await client.SendAsync("220 mx.example ESMTP Postfix\r\n", cancel);
                await client.DrainAsync(cancel);
            }, protocol);

            outcome.AssertFinished(StartTlsStatus.ProtocolError, mention);
            Assert.Empty(outcome.ClientLines);
        }
    }
}
