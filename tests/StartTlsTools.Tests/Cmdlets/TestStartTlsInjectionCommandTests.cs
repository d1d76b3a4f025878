using System;
using System.Management.Automation;
using System.Net;
using System.Net.Sockets;
using System.Threading.Tasks;
using StartTlsTools.Commands;
using StartTlsTools.Tests.Injection;
using StartTlsTools.Tests.Integration;

namespace StartTlsTools.Tests.Cmdlets
{
    /// <summary>The Test-StartTlsInjection cmdlet class through its output seam: verdicts, warnings, errors, -Quiet, bad input.</summary>
    [Collection("Lab")]
    public class TestStartTlsInjectionCommandTests
    {
        [Fact]
        public void Lab_postfix_is_not_vulnerable_with_no_error_or_warning()
        {
            var output = new RecordingOutput();
            new TestStartTlsInjectionCommand
            {
                HostName = "localhost",
                Port = Lab.Current.LivePort("LAB_SMTP_PORT"),
                EhloName = "client.lab.test",
                WaitSeconds = 1,
                TrustedRootCertificate = new[] { Lab.Current.Ca },
            }.InvokeForTest(output);

            var result = Assert.IsType<StartTlsInjectionResult>(Assert.Single(output.Objects));
            Assert.Equal(InjectionVerdict.NotVulnerable, result.Verdict);
            Assert.Equal("EHLO client.lab.test", result.InjectedCommand);
            Assert.Empty(output.Errors);
            Assert.Empty(output.Warnings);
            Assert.Contains(output.Verbose, v => v.Contains("pipelined"));
        }

        [Fact]
        public async Task Vulnerable_server_writes_the_result_and_a_warning_and_quiet_is_false()
        {
            await using var server = new FakeStartTlsServer(StartTlsProtocol.Imap, PipelineBehaviour.ExecuteOverTls);
            var output = new RecordingOutput();
            new TestStartTlsInjectionCommand { HostName = "127.0.0.1", Port = server.Port, Protocol = StartTlsProtocol.Imap, WaitSeconds = 1 }.InvokeForTest(output);

            var result = Assert.IsType<StartTlsInjectionResult>(Assert.Single(output.Objects));
            Assert.Equal(InjectionVerdict.Vulnerable, result.Verdict);
            Assert.Contains("vulnerable to STARTTLS command injection", Assert.Single(output.Warnings));
            Assert.Empty(output.Errors);

            var quiet = new RecordingOutput();
            new TestStartTlsInjectionCommand { HostName = "127.0.0.1", Port = server.Port, Protocol = StartTlsProtocol.Imap, WaitSeconds = 1, Quiet = true }.InvokeForTest(quiet);
            Assert.Equal(false, Assert.Single(quiet.Objects));
            Assert.Empty(quiet.Warnings);
        }

        [Fact]
        public void Inconclusive_writes_the_result_and_the_sanity_checks_error()
        {
            var output = new RecordingOutput();
            new TestStartTlsInjectionCommand { HostName = "localhost", Port = Lab.Current.LivePort("LAB_SMTP_PLAIN_PORT"), EhloName = "client.lab.test" }.InvokeForTest(output);

            Assert.Equal(InjectionVerdict.Inconclusive, Assert.IsType<StartTlsInjectionResult>(Assert.Single(output.Objects)).Verdict);
            var error = Assert.Single(output.Errors);
            Assert.Equal("StartTlsNotOffered", error.Id);
            Assert.Equal(ErrorCategory.NotEnabled, error.Category);
            Assert.Equal("localhost", error.Target);
            Assert.Contains("inconclusive", error.Message);
        }

        [Theory]
        [InlineData("bad name!", StartTlsProtocol.Smtp, null, "not valid in a host name")]
        [InlineData("127.0.0.1", (StartTlsProtocol)99, null, "Unknown protocol")]
        [InlineData("127.0.0.1", StartTlsProtocol.Smtp, "bad ehlo name", "EHLO name")]
        public void Bad_parameters_fail_before_any_connection(string host, StartTlsProtocol protocol, string? ehloName, string expected)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var output = new RecordingOutput();
            new TestStartTlsInjectionCommand
            {
                HostName = host,
                Protocol = protocol,
                Port = ((IPEndPoint)listener.LocalEndpoint).Port,
                EhloName = ehloName,
            }.InvokeForTest(output);

            var error = Assert.Single(output.Errors);
            Assert.Equal("InvalidParameter", error.Id);
            Assert.Equal(ErrorCategory.InvalidArgument, error.Category);
            Assert.Equal(host, error.Target);
            Assert.Contains(expected, error.Message);
            Assert.Empty(output.Objects);
            Assert.False(listener.Pending(), "a connection was made despite invalid parameters");
        }

        [Fact]
        public async Task StopProcessing_cancels_a_probe_in_flight()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var command = new TestStartTlsInjectionCommand { HostName = "127.0.0.1", Port = ((IPEndPoint)listener.LocalEndpoint).Port, TimeoutSeconds = 120 };
            var output = new RecordingOutput();
            var run = Task.Run(() => command.InvokeForTest(output));
            using (var accepted = await listener.AcceptTcpClientAsync())
            {
                command.StopForTest();
                // A hang guard, not a latency figure: Cancelled (not Timeout) below is the real check.
                Assert.Same(run, await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(30))));
            }
            var result = Assert.IsType<StartTlsInjectionResult>(Assert.Single(output.Objects));
            Assert.Equal(StartTlsStatus.Cancelled, result.SanityCheck);
            Assert.Equal(InjectionVerdict.Inconclusive, result.Verdict);
            Assert.Empty(output.Errors);
        }
    }
}
