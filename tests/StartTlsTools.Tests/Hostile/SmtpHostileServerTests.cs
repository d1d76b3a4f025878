using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace StartTlsTools.Tests.Hostile
{
    /// <summary>
    /// SMTP servers that misbehave in ways no real server does. Every case must end in the right status, with a
    /// reason that names the problem, within the step timeout + 1 s, without an exception and without a leaked socket.
    /// </summary>
    [Collection(HostileSuite.Name)]
    public sealed class SmtpHostileServerTests
    {
        private const string Capabilities = "250-mx.example\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250 STARTTLS\r\n";

        /// <summary>Greets, answers EHLO with STARTTLS and reads the next command; false when it was not STARTTLS.</summary>
        private static async Task<bool> GreetAndAwaitStartTlsAsync(HostileConnection client, CancellationToken cancel)
        {
            await client.SendAsync("220 mx.example ESMTP\r\n", cancel);
            if (await client.ReadLineAsync(cancel) == null) return false;
            await client.SendAsync(Capabilities, cancel);
            return await client.ReadLineAsync(cancel) == "STARTTLS";
        }

        /// <summary>Answers QUIT like a polite server, so the goodbye costs the client no time.</summary>
        private static async Task AnswerQuitAsync(HostileConnection client, CancellationToken cancel)
        {
            string? line;
            while ((line = await client.ReadLineAsync(cancel)) != null)
                if (line == "QUIT")
                {
                    await client.SendAsync("221 2.0.0 Bye\r\n", cancel);
                    return;
                }
        }

        [Fact]
        public async Task ServerThatNeverGreets_TimesOutOnTheGreeting()
        {
            var outcome = await HostileCase.RunAsync((client, cancel) => Task.Delay(Timeout.Infinite, cancel));

            outcome.AssertFinished(StartTlsStatus.Timeout, "greeting", "-GreetingTimeoutSeconds");
            Assert.Null(outcome.Result.Banner);
        }

        [Fact]
        public async Task SlowlorisGreetingOneBytePerSecond_TimesOutInsteadOfWaitingForTheWholeLine()
        {
            // The timeout bounds the whole step, not the gap between bytes: trickling must not keep us waiting.
            var outcome = await HostileCase.RunAsync(async (client, cancel) =>
            {
                foreach (char c in "220 slow.example ESMTP\r\n")
                {
                    await client.SendAsync(c.ToString(), cancel);
                    await Task.Delay(1000, cancel);
                }
                await Task.Delay(Timeout.Infinite, cancel);
            });

            outcome.AssertFinished(StartTlsStatus.Timeout, "greeting");
        }

        [Fact]
        public async Task EndlessLineWithoutCrlf_IsAProtocolErrorNamingTheLineLimit_AndIsNotReadToTheEnd()
        {
            const long willingToSend = 64L * 1024 * 1024;
            long sent = 0;
            long memoryBefore = GC.GetTotalMemory(true);
            var outcome = await HostileCase.RunAsync(async (client, cancel) =>
            {
                var chunk = Enumerable.Repeat((byte)'A', 16 * 1024).ToArray();
                while (sent < willingToSend)
                {
                    await client.SendAsync(chunk, cancel);
                    sent += chunk.Length;
                }
            });
            long memoryGrowth = GC.GetTotalMemory(true) - memoryBefore;

            outcome.AssertFinished(StartTlsStatus.ProtocolError, "16384", "line length limit");
            // The client gave up at the limit and hung up; the server's writes then failed long before 64 MiB.
            Assert.True(sent < willingToSend, $"The server managed to send all {sent} bytes: the client kept reading.");
            Assert.True(memoryGrowth < 8 * 1024 * 1024, $"Managed memory grew by {memoryGrowth} bytes while rejecting one line.");
        }

        [Fact]
        public async Task BinaryGarbageGreeting_IsAProtocolError()
        {
            var garbage = HostileCase.Garbage();
            var outcome = await HostileCase.RunAsync(async (client, cancel) =>
            {
                await client.SendAsync(garbage, cancel);
                await client.DrainAsync(cancel);
            });

            outcome.AssertFinished(StartTlsStatus.ProtocolError, "not an SMTP reply", "greeting");
            Assert.Empty(outcome.ClientLines); // Nothing is sent to a server that cannot even greet.
        }

        [Theory]
        [InlineData("454 4.7.0 TLS not available due to temporary reason")]
        [InlineData("501 5.5.4 Syntax error in parameters")]
        public async Task StartTlsAnsweredWithAnError_IsRefused_AndTheReplyIsKept(string reply)
        {
            var outcome = await HostileCase.RunAsync(async (client, cancel) =>
            {
                if (!await GreetAndAwaitStartTlsAsync(client, cancel)) return;
                await client.SendAsync(reply + "\r\n", cancel);
                await AnswerQuitAsync(client, cancel);
            });

            outcome.AssertFinished(StartTlsStatus.Refused, reply.Substring(0, 3), "STARTTLS");
            Assert.Equal(reply, outcome.Result.StartTlsReply);
            Assert.True(outcome.Result.StartTlsOffered);
            Assert.False(outcome.Result.TlsEstablished);
        }

        [Fact]
        public async Task ServerThatClosesRightAfterGoAhead_FailsTheHandshake()
        {
            var outcome = await HostileCase.RunAsync(async (client, cancel) =>
            {
                if (await GreetAndAwaitStartTlsAsync(client, cancel)) await client.SendAsync("220 2.0.0 Go ahead\r\n", cancel);
            });

            outcome.AssertFinished(StartTlsStatus.HandshakeFailed, "TLS handshake");
            Assert.Equal("220 2.0.0 Go ahead", outcome.Result.StartTlsReply);
            Assert.False(outcome.Result.TlsEstablished);
        }

        [Fact]
        public async Task PlaintextInsteadOfServerHello_FailsTheHandshake()
        {
            var outcome = await HostileCase.RunAsync(async (client, cancel) =>
            {
                if (!await GreetAndAwaitStartTlsAsync(client, cancel)) return;
                await client.SendAsync("220 2.0.0 Go ahead\r\n", cancel);
                await client.ReadSomeAsync(cancel); // the ClientHello
                await client.SendAsync("500 5.5.1 This is not TLS, just a plain text line\r\n", cancel);
                while ((await client.ReadSomeAsync(cancel)).Length > 0) { }
            });

            outcome.AssertFinished(StartTlsStatus.HandshakeFailed, "TLS handshake");
            Assert.Equal(0, outcome.Result.PlaintextBytesDiscardedAtUpgrade); // it came after the upgrade began
            // Plaintext where the ServerHello belongs: the go-ahead was not followed by TLS.
            Assert.Equal(StartTlsInterference.NonTlsAfterGoAhead, outcome.Result.Interference);
            Assert.Contains("500 5.5.1 This is not TLS", outcome.Result.InterferenceEvidence);
            Assert.Contains(outcome.Result.Findings, f => f.Id == FindingAnalyzer.StartTlsStripped);
        }

        [Fact]
        public async Task TlsAlertInsteadOfServerHello_FailsTheHandshake()
        {
            // A TLS 1.2 record: content type alert, length 2, level fatal, description handshake_failure (40).
            var alert = new byte[] { 0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28 };
            bool sawClientHello = false;
            var outcome = await HostileCase.RunAsync(async (client, cancel) =>
            {
                if (!await GreetAndAwaitStartTlsAsync(client, cancel)) return;
                await client.SendAsync("220 2.0.0 Go ahead\r\n", cancel);
                byte[] hello = await client.ReadSomeAsync(cancel);
                sawClientHello = hello.Length > 5 && hello[0] == 0x16; // handshake record
                await client.SendAsync(alert, cancel);
                while ((await client.ReadSomeAsync(cancel)).Length > 0) { }
            });

            outcome.AssertFinished(StartTlsStatus.HandshakeFailed, "TLS handshake");
            Assert.True(sawClientHello, "The client should have started the handshake with a ClientHello record.");
            // An alert is TLS: the server refused the handshake itself, nothing interfered.
            Assert.Equal(StartTlsInterference.None, outcome.Result.Interference);
        }

        [Fact]
        public async Task ResetInTheMiddleOfTheHandshake_FailsTheHandshake()
        {
            var outcome = await HostileCase.RunAsync(async (client, cancel) =>
            {
                if (!await GreetAndAwaitStartTlsAsync(client, cancel)) return;
                await client.SendAsync("220 2.0.0 Go ahead\r\n", cancel);
                await client.ReadSomeAsync(cancel);
                client.Reset();
            });

            outcome.AssertFinished(StartTlsStatus.HandshakeFailed, "TLS handshake");
        }

        [Fact]
        public async Task StartTlsAdvertisedOnlyOnASecondEhlo_IsNotOffered_AndTheClientNeitherRepeatsEhloNorSendsStartTls()
        {
            // Decided behaviour: EHLO is sent once (RFC 3207: STARTTLS is offered in the EHLO reply), so a server that
            // hides it there is NotOffered, and the StartTlsNotOffered finding says so. Guessing with a second EHLO
            // would hide a real misconfiguration.
            int ehloCount = 0;
            var outcome = await HostileCase.RunAsync(async (client, cancel) =>
            {
                await client.SendAsync("220 mx.example ESMTP\r\n", cancel);
                string? line;
                while ((line = await client.ReadLineAsync(cancel)) != null)
                {
                    if (line.StartsWith("EHLO ", StringComparison.Ordinal))
                        await client.SendAsync(++ehloCount == 1 ? "250-mx.example\r\n250 SIZE 10240000\r\n" : Capabilities, cancel);
                    else if (line == "STARTTLS") await client.SendAsync("220 2.0.0 Go ahead\r\n", cancel);
                    else if (line == "QUIT")
                    {
                        await client.SendAsync("221 2.0.0 Bye\r\n", cancel);
                        return;
                    }
                    else await client.SendAsync("502 5.5.2 Command not recognized\r\n", cancel);
                }
            });

            outcome.AssertFinished(StartTlsStatus.NotOffered, "did not advertise STARTTLS");
            Assert.False(outcome.Result.StartTlsOffered);
            Assert.StartsWith("StartTlsNotOffered", outcome.Result.FindingIds);
            Assert.Equal(new[] { "EHLO client.test", "QUIT" }, outcome.ClientLines);
        }

        [Fact]
        public async Task PostscreenStyleSlowMultiLineGreeting_ClientWaitsForTheFinalLineBeforeSpeaking()
        {
            // Like Postfix postscreen: the greeting comes in pieces, and a client that talks before the final
            // "220 " line is a bot and gets dropped. The client must wait, then go on normally.
            bool spokeEarly = false;
            var outcome = await HostileCase.RunAsync(async (client, cancel) =>
            {
                await client.SendAsync("220-mx.example ESMTP\r\n", cancel);
                await Task.Delay(300, cancel);
                await client.SendAsync("220-please wait\r\n", cancel);
                await Task.Delay(300, cancel);
                if (client.ClientHasSpoken)
                {
                    spokeEarly = true;
                    await client.SendAsync("521 5.5.1 Protocol error: talked before the greeting ended\r\n", cancel);
                    return;
                }
                await client.SendAsync("220 mx.example ESMTP\r\n", cancel);
                if (await client.ReadLineAsync(cancel) == null) return;
                await client.SendAsync(Capabilities, cancel);
                if (await client.ReadLineAsync(cancel) != "STARTTLS") return;
                await client.SendAsync("454 4.7.0 TLS not available due to temporary reason\r\n", cancel);
                await AnswerQuitAsync(client, cancel);
            });

            Assert.False(spokeEarly, "The client sent a command before the final greeting line.");
            outcome.AssertFinished(StartTlsStatus.Refused, "454");
            Assert.Equal("EHLO client.test", outcome.ClientLines.FirstOrDefault());
            Assert.Contains("please wait", outcome.Result.Banner);
        }

        [Fact]
        public async Task PlaintextInjectedAfterGoAhead_IsDiscardedAndCounted_NeverReadAsTls()
        {
            // "250 injected" arrives in the same segment as the 220 (the STARTTLS command-injection pattern,
            // CVE-2011-0411 in reverse): it is buffered plaintext and must be dropped before the handshake.
            const string injected = "250 injected\r\n";
            var outcome = await HostileCase.RunAsync(async (client, cancel) =>
            {
                if (!await GreetAndAwaitStartTlsAsync(client, cancel)) return;
                await client.SendAsync("220 2.0.0 Go ahead\r\n" + injected, cancel);
                await client.ReadSomeAsync(cancel);
            });

            outcome.AssertFinished(StartTlsStatus.HandshakeFailed, "TLS handshake");
            Assert.Equal(injected.Length, outcome.Result.PlaintextBytesDiscardedAtUpgrade);
            Assert.Equal("220 2.0.0 Go ahead", outcome.Result.StartTlsReply);
        }

        [Fact]
        public async Task CancellingWhileTheServerNeverGreets_ReturnsCancelledPromptly()
        {
            using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
            var outcome = await HostileCase.RunAsync((client, token) => Task.Delay(Timeout.Infinite, token),
                timeout: TimeSpan.FromSeconds(30), cancel: cancel.Token);

            // Cancelled, not Timeout: the 30 s step timeout never came into play.
            outcome.AssertFinished(StartTlsStatus.Cancelled, "cancelled");
        }
    }
}
