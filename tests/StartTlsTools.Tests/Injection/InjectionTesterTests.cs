using System;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading.Tasks;

namespace StartTlsTools.Tests.Injection
{
    /// <summary>The injection probe against fakes that really do TLS: vulnerable, correct, dropping, refusing, plaintext-answering.</summary>
    public class InjectionTesterTests
    {
        private static InjectionTestOptions Options(StartTlsProtocol protocol, int port) => new InjectionTestOptions
        {
            Target = new StartTlsTestOptions
            {
                HostName = "127.0.0.1",
                Port = port,
                Protocol = protocol,
                EhloName = "client.test",
                Timeout = TimeSpan.FromSeconds(5),
                IncludeTranscript = true,
            },
            Wait = TimeSpan.FromSeconds(1),
        };

        [Theory]
        [InlineData(StartTlsProtocol.Smtp, "EHLO client.test", "250-fake.test")]
        [InlineData(StartTlsProtocol.Imap, "a3 NOOP", "a3 OK NOOP completed")]
        [InlineData(StartTlsProtocol.Pop3, "CAPA", "+OK Capability list follows")]
        public async Task Server_that_executes_the_buffered_command_over_tls_is_vulnerable(StartTlsProtocol protocol, string injected, string evidence)
        {
            await using var server = new FakeStartTlsServer(protocol, PipelineBehaviour.ExecuteOverTls);
            var result = await new InjectionTester().TestAsync(Options(protocol, server.Port));

            Assert.True(result.Verdict == InjectionVerdict.Vulnerable, result.Reason + "\n" + result.Transcript);
            Assert.Equal(StartTlsStatus.Success, result.SanityCheck);
            Assert.Equal(StartTlsStatus.Success, result.Status);
            Assert.Equal(injected, result.InjectedCommand);
            Assert.StartsWith(evidence, result.Evidence);
            Assert.True(result.LinesReceivedOverTls >= 1);
            Assert.Contains(injected, result.Reason);
            Assert.Equal(0, result.PlaintextBytesDiscardedAtUpgrade);
            Assert.NotEqual(TlsProtocolVersion.None, result.TlsVersion);
            // Two connections, one after the other: the sanity test pipelined nothing, the probe exactly one command.
            Assert.Equal(2, server.Accepted);
            Assert.Equal(new[] { "", injected + "\r\n" }, server.PipelinedAfterStartTls.ToArray());
        }

        [Theory]
        [InlineData(StartTlsProtocol.Smtp)]
        [InlineData(StartTlsProtocol.Imap)]
        [InlineData(StartTlsProtocol.Pop3)]
        public async Task Server_that_discards_the_buffered_command_is_not_vulnerable(StartTlsProtocol protocol)
        {
            await using var server = new FakeStartTlsServer(protocol, PipelineBehaviour.Discard);
            var result = await new InjectionTester().TestAsync(Options(protocol, server.Port));

            Assert.True(result.Verdict == InjectionVerdict.NotVulnerable, result.Reason + "\n" + result.Transcript);
            Assert.Contains("Nothing arrived over TLS within 1 s", result.Reason);
            Assert.Null(result.Evidence);
            Assert.Equal(0, result.LinesReceivedOverTls);
            Assert.True(result.IsNotVulnerable);
            // The probe really was pipelined, so the silence means something.
            Assert.Contains(server.PipelinedAfterStartTls, p => p.Length > 0);
        }

        [Fact]
        public async Task Flood_of_replies_is_vulnerable_with_bounded_evidence_and_the_probe_stops_reading()
        {
            await using var server = new FakeStartTlsServer(StartTlsProtocol.Smtp, PipelineBehaviour.FloodWhenPipelined);
            var result = await new InjectionTester().TestAsync(Options(StartTlsProtocol.Smtp, server.Port));

            Assert.Equal(InjectionVerdict.Vulnerable, result.Verdict);
            Assert.Equal(InjectionTester.MaxEvidenceLines, result.LinesReceivedOverTls);
            Assert.StartsWith("250-flood line 0 | 250-flood line 1", result.Evidence);
        }

        [Fact]
        public async Task Server_that_hangs_up_after_the_handshake_is_not_vulnerable()
        {
            await using var server = new FakeStartTlsServer(StartTlsProtocol.Smtp, PipelineBehaviour.DropWhenPipelined);
            var result = await new InjectionTester().TestAsync(Options(StartTlsProtocol.Smtp, server.Port));

            Assert.True(result.Verdict == InjectionVerdict.NotVulnerable, result.Reason);
            Assert.Contains("closed the connection", result.Reason);
        }

        [Theory]
        [InlineData(StartTlsProtocol.Smtp)]
        [InlineData(StartTlsProtocol.Pop3)]
        public async Task Failed_sanity_check_is_inconclusive_and_the_probe_is_never_sent(StartTlsProtocol protocol)
        {
            await using var server = new FakeStartTlsServer(protocol, PipelineBehaviour.RefuseStartTls);
            var result = await new InjectionTester().TestAsync(Options(protocol, server.Port));

            Assert.Equal(InjectionVerdict.Inconclusive, result.Verdict);
            Assert.Equal(StartTlsStatus.Refused, result.SanityCheck);
            Assert.Contains("sanity STARTTLS test failed", result.Reason);
            Assert.Equal(1, server.Accepted);
            Assert.False(result.IsNotVulnerable);
        }

        [Fact]
        public async Task Plaintext_answer_to_the_injected_command_is_reported_as_evidence()
        {
            await using var server = new FakeStartTlsServer(StartTlsProtocol.Smtp, PipelineBehaviour.AnswerInPlaintext);
            var result = await new InjectionTester().TestAsync(Options(StartTlsProtocol.Smtp, server.Port));

            // Nothing came over TLS, but the server answered the pipelined EHLO in plaintext before the handshake.
            Assert.Equal(InjectionVerdict.NotVulnerable, result.Verdict);
            Assert.True(result.PlaintextBytesDiscardedAtUpgrade > 0, result.Reason);
            Assert.StartsWith("250-fake.test", result.PlaintextEvidence);
            Assert.Contains("plaintext bytes after its STARTTLS reply", result.Reason);
        }

        [Fact]
        public async Task Unresolvable_name_is_inconclusive_with_the_name_and_never_reaches_dns()
        {
            var tester = new InjectionTester(_ => Task.FromException<IPAddress[]>(new SocketException((int)SocketError.HostNotFound)));
            var options = Options(StartTlsProtocol.Smtp, 25);
            options.Target.HostName = "mx.nowhere.example";
            var result = await tester.TestAsync(options);

            Assert.Equal(InjectionVerdict.Inconclusive, result.Verdict);
            Assert.Equal(StartTlsStatus.NameResolutionFailed, result.SanityCheck);
            Assert.Equal(StartTlsStatus.NameResolutionFailed, result.Status);
            Assert.Contains("mx.nowhere.example", result.Reason);
        }

        [Fact]
        public async Task Bad_options_throw_before_any_connection()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var options = Options(StartTlsProtocol.Smtp, ((IPEndPoint)listener.LocalEndpoint).Port);
            options.Target.ImplicitTls = true;
            options.Wait = TimeSpan.Zero;
            var error = await Assert.ThrowsAsync<ArgumentException>(() => new InjectionTester().TestAsync(options));
            Assert.Contains("-ImplicitTls does not apply", error.Message);
            Assert.Contains("wait must be between 1 and 60", error.Message);
            Assert.False(listener.Pending());
        }
    }
}
