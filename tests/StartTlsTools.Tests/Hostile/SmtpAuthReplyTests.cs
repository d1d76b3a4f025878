using System;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using StartTlsTools.Tests.Unit;

namespace StartTlsTools.Tests.Hostile
{
    /// <summary>
    /// AUTH replies the lab's Postfix cannot be made to give (534, 538, 454, a second 334, a 334 to the initial
    /// response), from a scripted plaintext server; -AllowPlaintext lets the client reach AUTH without TLS.
    /// </summary>
    [Collection(HostileSuite.Name)]
    public sealed class SmtpAuthReplyTests
    {
        private const string Password = "s3cret-P@ss\u00e9";
        private static readonly string PlainBase64 = Convert.ToBase64String(Encoding.UTF8.GetBytes("\0alice\0" + Password));

        private static async Task<(SmtpAuthResult Result, string[] Received)> RunAsync(Func<HostileConnection, CancellationToken, Task> afterEhlo, bool initialResponse = true,
            string capabilities = "250-fake.example\r\n250-AUTH LOGIN PLAIN\r\n250 8BITMIME\r\n")
        {
            SmtpAuthResult result;
            var server = new HostileServer(async (client, cancel) =>
            {
                await client.SendAsync("220 fake.example ESMTP\r\n", cancel);
                if (await client.ReadLineAsync(cancel) == null) return;
                await client.SendAsync(capabilities, cancel);
                await afterEhlo(client, cancel);
                string? line;
                while ((line = await client.ReadLineAsync(cancel)) != null)
                    if (line == "QUIT") { await client.SendAsync("221 2.0.0 Bye\r\n", cancel); return; }
            });
            await using (server)
            {
                result = await new SmtpAuthPlainClient().AuthenticateAsync(new SmtpAuthPlainOptions
                {
                    HostName = "127.0.0.1",
                    Port = server.Port,
                    UserName = "alice",
                    Password = SaslPlainTests.Secure(Password),
                    EhloName = "client.example",
                    AllowPlaintext = true,
                    InitialResponse = initialResponse,
                    Timeout = TimeSpan.FromSeconds(5),
                    IncludeTranscript = true,
                });
            }
            return (result, server.ReceivedLines.ToArray());
        }

        private static Func<HostileConnection, CancellationToken, Task> Answer(string reply) => async (client, cancel) =>
        {
            if (await client.ReadLineAsync(cancel) != null) await client.SendAsync(reply, cancel);
        };

        [Theory]
        [InlineData("235 2.7.0 Authentication successful\r\n", SmtpAuthStatus.Succeeded, 235, "2.7.0")]
        [InlineData("535 5.7.8 Error: authentication failed\r\n", SmtpAuthStatus.AuthenticationFailed, 535, "5.7.8")]
        [InlineData("534 5.7.9 Authentication mechanism is too weak\r\n", SmtpAuthStatus.MechanismTooWeak, 534, "5.7.9")]
        [InlineData("538 5.7.11 Encryption required for requested authentication mechanism\r\n", SmtpAuthStatus.EncryptionRequired, 538, "5.7.11")]
        [InlineData("454 4.7.0 Temporary authentication failure\r\n", SmtpAuthStatus.TemporaryFailure, 454, "4.7.0")]
        [InlineData("504 5.5.4 Unrecognized authentication type\r\n", SmtpAuthStatus.Rejected, 504, "5.5.4")]
        [InlineData("535-5.7.8 Username and Password not accepted.\r\n535 5.7.8 Learn more\r\n", SmtpAuthStatus.AuthenticationFailed, 535, "5.7.8")]
        [InlineData("535 Authentication failed\r\n", SmtpAuthStatus.AuthenticationFailed, 535, null)]
        public async Task Final_reply_maps_to_status_code_and_enhanced_code(string reply, SmtpAuthStatus status, int code, string? enhanced)
        {
            var (result, received) = await RunAsync(Answer(reply));

            Assert.Equal(status, result.Status);
            Assert.Equal(status == SmtpAuthStatus.Succeeded, result.Succeeded);
            Assert.Equal(code, result.ReplyCode);
            Assert.Equal(enhanced, result.EnhancedStatusCode);
            Assert.StartsWith(enhanced ?? "", result.ReplyText);
            Assert.True(result.CredentialsSent);
            Assert.False(result.ChallengeFormUsed);
            // The initial-response form, exactly as RFC 4954 and RFC 4616 want it on the wire.
            Assert.Equal("AUTH PLAIN " + PlainBase64, received[1]);
            Assert.Contains("C plain AUTH PLAIN <redacted>", result.Transcript);
            Assert.DoesNotContain(PlainBase64, result.Transcript);
        }

        [Fact]
        public async Task Empty_334_challenge_form_sends_the_response_on_its_own_line()
        {
            var (result, received) = await RunAsync(async (client, cancel) =>
            {
                if (await client.ReadLineAsync(cancel) != "AUTH PLAIN") return;
                await client.SendAsync("334 \r\n", cancel);
                if (await client.ReadLineAsync(cancel) != null) await client.SendAsync("235 2.7.0 OK\r\n", cancel);
            }, initialResponse: false);

            Assert.Equal(SmtpAuthStatus.Succeeded, result.Status);
            Assert.True(result.ChallengeFormUsed);
            Assert.Equal(new[] { "AUTH PLAIN", PlainBase64 }, received.Skip(1).Take(2));
            Assert.DoesNotContain(PlainBase64, result.Transcript);
        }

        [Fact]
        public async Task Server_that_ignores_the_initial_response_and_sends_334_gets_the_response_again()
        {
            var (result, received) = await RunAsync(async (client, cancel) =>
            {
                if (await client.ReadLineAsync(cancel) == null) return;
                await client.SendAsync("334 \r\n", cancel);
                if (await client.ReadLineAsync(cancel) != null) await client.SendAsync("235 2.7.0 OK\r\n", cancel);
            });

            Assert.Equal(SmtpAuthStatus.Succeeded, result.Status);
            Assert.True(result.ChallengeFormUsed);
            Assert.Equal(new[] { "AUTH PLAIN " + PlainBase64, PlainBase64 }, received.Skip(1).Take(2));
        }

        [Fact]
        public async Task Second_334_is_cancelled_with_a_star_and_is_a_protocol_error()
        {
            var (result, received) = await RunAsync(async (client, cancel) =>
            {
                if (await client.ReadLineAsync(cancel) == null) return;
                await client.SendAsync("334 \r\n", cancel);
                if (await client.ReadLineAsync(cancel) == null) return;
                await client.SendAsync("334 \r\n", cancel);
                if (await client.ReadLineAsync(cancel) == "*") await client.SendAsync("501 5.7.0 Authentication aborted\r\n", cancel);
            });

            Assert.Equal(SmtpAuthStatus.ProtocolError, result.Status);
            Assert.Contains("second 334", result.Reason);
            Assert.Equal("*", received[3]);
        }

        [Theory]
        [InlineData("250-fake.example\r\n250 8BITMIME\r\n", SmtpAuthStatus.AuthNotOffered, "did not offer AUTH")]
        [InlineData("250-fake.example\r\n250 AUTH LOGIN CRAM-MD5\r\n", SmtpAuthStatus.PlainNotOffered, "not PLAIN")]
        public async Task Missing_auth_or_plain_sends_nothing(string capabilities, SmtpAuthStatus status, string reason)
        {
            var (result, received) = await RunAsync(async (client, cancel) => await Task.CompletedTask, capabilities: capabilities);

            Assert.Equal(status, result.Status);
            Assert.Contains(reason, result.Reason);
            Assert.False(result.CredentialsSent);
            Assert.DoesNotContain(received, l => l.StartsWith("AUTH", StringComparison.OrdinalIgnoreCase));
            Assert.Equal("QUIT", received.Last());
        }

        [Fact]
        public async Task Without_allow_plaintext_nothing_but_ehlo_and_quit_is_sent()
        {
            string[] received;
            SmtpAuthResult result;
            var server = new HostileServer(async (client, cancel) =>
            {
                await client.SendAsync("220 fake.example ESMTP\r\n", cancel);
                if (await client.ReadLineAsync(cancel) == null) return;
                await client.SendAsync("250-fake.example\r\n250 AUTH PLAIN\r\n", cancel);
                if (await client.ReadLineAsync(cancel) == "QUIT") await client.SendAsync("221 2.0.0 Bye\r\n", cancel);
            });
            await using (server)
            {
                result = await new SmtpAuthPlainClient().AuthenticateAsync(new SmtpAuthPlainOptions
                {
                    HostName = "127.0.0.1", Port = server.Port, UserName = "alice", Password = SaslPlainTests.Secure(Password),
                    EhloName = "client.example", Timeout = TimeSpan.FromSeconds(5),
                });
            }
            received = server.ReceivedLines.ToArray();

            Assert.Equal(SmtpAuthStatus.RefusedWithoutTls, result.Status);
            Assert.Equal(StartTlsStatus.NotOffered, result.TlsStatus);
            Assert.False(result.CredentialsSent);
            Assert.Equal(new[] { "PLAIN" }, result.MechanismsBeforeTls!);
            Assert.Equal(new[] { "EHLO client.example", "QUIT" }, received);
        }
    }
}
