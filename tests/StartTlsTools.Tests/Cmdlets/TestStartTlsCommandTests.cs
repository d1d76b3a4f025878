using System;
using System.Diagnostics;
using System.Management.Automation;
using System.Net;
using System.Net.Sockets;
using System.Threading.Tasks;
using StartTlsTools.Commands;
using StartTlsTools.Tests.Integration;

namespace StartTlsTools.Tests.Cmdlets
{
    /// <summary>The Test-StartTls cmdlet class, driven through its output seam without a PowerShell runtime.</summary>
    [Collection("Lab")]
    public class TestStartTlsCommandTests
    {
        private static TestStartTlsCommand LabCommand(StartTlsProtocol protocol, string portKey) => new TestStartTlsCommand
        {
            HostName = "localhost",
            Protocol = protocol,
            Port = Lab.Current.LivePort(portKey),
            EhloName = "client.lab.test",
            TrustedRootCertificate = new[] { Lab.Current.Ca },
        };

        [Fact]
        public void Healthy_server_writes_one_result_and_no_error()
        {
            var output = new RecordingOutput();
            LabCommand(StartTlsProtocol.Smtp, "LAB_SMTP_PORT").InvokeForTest(output);

            var result = Assert.IsType<StartTlsResult>(Assert.Single(output.Objects));
            Assert.Equal(StartTlsStatus.Success, result.Status);
            Assert.True(result.CertificateValid);
            Assert.Empty(output.Errors);
            Assert.Empty(output.Warnings);
            Assert.Contains(output.Verbose, v => v.Contains("Smtp STARTTLS localhost:"));
        }

        [Fact]
        public void Quiet_returns_true_for_a_healthy_server_and_false_without_trust()
        {
            var healthy = new RecordingOutput();
            var command = LabCommand(StartTlsProtocol.Imap, "LAB_IMAP_PORT");
            command.Quiet = true;
            command.InvokeForTest(healthy);
            Assert.Equal(true, Assert.Single(healthy.Objects));

            var untrusted = new RecordingOutput();
            command = LabCommand(StartTlsProtocol.Imap, "LAB_IMAP_PORT");
            command.TrustedRootCertificate = null;
            command.Quiet = true;
            command.InvokeForTest(untrusted);
            Assert.Equal(false, Assert.Single(untrusted.Objects));
        }

        [Fact]
        public void Not_offered_writes_the_result_and_a_stable_error()
        {
            var output = new RecordingOutput();
            LabCommand(StartTlsProtocol.Smtp, "LAB_SMTP_PLAIN_PORT").InvokeForTest(output);

            var result = Assert.IsType<StartTlsResult>(Assert.Single(output.Objects));
            Assert.Equal(StartTlsStatus.NotOffered, result.Status);
            var error = Assert.Single(output.Errors);
            Assert.Equal("StartTlsNotOffered", error.Id);
            Assert.Equal(ErrorCategory.NotEnabled, error.Category);
            Assert.Equal("localhost", error.Target);
            Assert.Contains("did not advertise STARTTLS", error.Message);
        }

        [Fact]
        public void Untrusted_certificate_is_a_warning_not_an_error()
        {
            var output = new RecordingOutput();
            var command = LabCommand(StartTlsProtocol.Pop3, "LAB_POP3_PORT");
            command.TrustedRootCertificate = null;
            command.InvokeForTest(output);

            Assert.Equal(StartTlsStatus.Success, Assert.IsType<StartTlsResult>(Assert.Single(output.Objects)).Status);
            Assert.Empty(output.Errors);
            Assert.Contains("trusted root", Assert.Single(output.Warnings));
        }

        [Fact]
        public void Expiry_warning_days_reaches_the_findings_and_findings_are_verbose()
        {
            var output = new RecordingOutput();
            var command = LabCommand(StartTlsProtocol.Smtp, "LAB_SMTP_PORT");
            command.ExpiryWarningDays = 365;
            command.InvokeForTest(output);

            var result = Assert.IsType<StartTlsResult>(Assert.Single(output.Objects));
            Assert.Contains("CertificateExpiringSoon", result.FindingIds);
            Assert.Contains(output.Verbose, v => v.Contains("finding CertificateExpiringSoon (Medium)"));

            var byDefault = new RecordingOutput();
            LabCommand(StartTlsProtocol.Smtp, "LAB_SMTP_PORT").InvokeForTest(byDefault);
            Assert.DoesNotContain("CertificateExpiringSoon", Assert.IsType<StartTlsResult>(Assert.Single(byDefault.Objects)).FindingIds);
        }

        [Theory]
        [InlineData("bad name!", 0, null, "not valid in a host name")]
        [InlineData("127.0.0.1", 70000, null, "out of range")]
        [InlineData("127.0.0.1", 0, "bad ehlo name", "EHLO name")]
        public void Bad_parameters_fail_before_any_connection(string host, int port, string? ehloName, string expected)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var output = new RecordingOutput();
            new TestStartTlsCommand
            {
                HostName = host,
                Port = port == 0 ? ((IPEndPoint)listener.LocalEndpoint).Port : port,
                EhloName = ehloName,
            }.InvokeForTest(output);

            var error = Assert.Single(output.Errors);
            Assert.Equal("InvalidParameter", error.Id);
            Assert.Equal(ErrorCategory.InvalidArgument, error.Category);
            Assert.Contains(expected, error.Message);
            Assert.Empty(output.Objects);
            Assert.False(listener.Pending(), "a connection was made despite invalid parameters");
        }

        [Fact]
        public void Check_enforcement_reaches_the_engine()
        {
            var output = new RecordingOutput();
            var command = LabCommand(StartTlsProtocol.Submission, "LAB_SUBMISSION_PORT");
            command.CheckEnforcement = true;
            command.InvokeForTest(output);
            var result = Assert.IsType<StartTlsResult>(Assert.Single(output.Objects));
            Assert.True(result.TlsRequired, result.TlsRequiredEvidence);

            var without = new RecordingOutput();
            LabCommand(StartTlsProtocol.Submission, "LAB_SUBMISSION_PORT").InvokeForTest(without);
            Assert.Null(Assert.IsType<StartTlsResult>(Assert.Single(without.Objects)).TlsRequired);
        }

        [Fact]
        public async Task A_server_that_turns_us_away_is_its_own_error_never_StartTlsRefused()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var server = Task.Run(async () =>
            {
                using var client = await listener.AcceptTcpClientAsync();
                var stream = client.GetStream();
                byte[] greeting = System.Text.Encoding.ASCII.GetBytes("554 5.7.1 Client host blocked using zen.spamhaus.org\r\n");
                await stream.WriteAsync(greeting);
                _ = await stream.ReadAsync(new byte[64]); // QUIT, or the close: either ends the script
            });
            var output = new RecordingOutput();
            new TestStartTlsCommand { HostName = "127.0.0.1", Port = ((IPEndPoint)listener.LocalEndpoint).Port, EhloName = "client.test" }.InvokeForTest(output);
            await server;

            var result = Assert.IsType<StartTlsResult>(Assert.Single(output.Objects));
            Assert.Equal(StartTlsStatus.Unavailable, result.Status);
            Assert.Equal(UnavailableKind.BlockListed, result.UnavailableKind);
            var error = Assert.Single(output.Errors);
            Assert.Equal("ServerUnavailable", error.Id);
            Assert.Equal(ErrorCategory.ConnectionError, error.Category);
            Assert.Contains("zen.spamhaus.org", error.Message);
        }

        [Fact]
        public void Greeting_timeout_is_validated_before_any_connection()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var output = new RecordingOutput();
            new TestStartTlsCommand { HostName = "127.0.0.1", Port = ((IPEndPoint)listener.LocalEndpoint).Port, GreetingTimeoutSeconds = 0 }.InvokeForTest(output);
            Assert.Equal("InvalidParameter", Assert.Single(output.Errors).Id);
            Assert.Contains("GreetingTimeout", output.Errors[0].Message);
            Assert.False(listener.Pending());
        }

        [Fact]
        public async Task StopProcessing_cancels_a_test_in_flight()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var command = new TestStartTlsCommand { HostName = "127.0.0.1", Port = ((IPEndPoint)listener.LocalEndpoint).Port, TimeoutSeconds = 120 };
            var output = new RecordingOutput();
            var run = Task.Run(() => command.InvokeForTest(output));
            using (var accepted = await listener.AcceptTcpClientAsync())
            {
                command.StopForTest();
                // A hang guard, not a latency figure: Cancelled (not Timeout) below is the real check.
                Assert.Same(run, await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(30))));
            }
            Assert.Equal(StartTlsStatus.Cancelled, Assert.IsType<StartTlsResult>(Assert.Single(output.Objects)).Status);
            Assert.Empty(output.Errors);
        }
    }
}
