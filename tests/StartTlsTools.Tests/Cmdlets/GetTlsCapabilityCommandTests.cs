using System.Linq;
using System.Management.Automation;
using System.Text.Json;
using StartTlsTools.Commands;
using StartTlsTools.Probing;
using StartTlsTools.Tests.Integration;

namespace StartTlsTools.Tests.Cmdlets
{
    /// <summary>Get-TlsCapability (cmdlet class and `starttls capability`) against the lab, through the output seam.</summary>
    [Collection("Lab")]
    public class GetTlsCapabilityCommandTests
    {
        private static GetTlsCapabilityCommand Command(string portKey) => new GetTlsCapabilityCommand
        {
            HostName = "localhost",
            Port = Lab.Current.LivePort(portKey),
            EhloName = "client.lab.test",
        };

        [Fact]
        public void Summary_writes_only_the_summary_with_the_certificate_validated_against_the_given_roots()
        {
            var suitesOutput = new RecordingOutput();
            Command("LAB_SMTP_PORT").InvokeForTest(suitesOutput);
            var suites = suitesOutput.Objects.Select(o => Assert.IsType<TlsCipherSuiteResult>(o)).ToList();

            var output = new RecordingOutput();
            var command = Command("LAB_SMTP_PORT");
            command.Summary = true;
            command.TrustedRootCertificate = new[] { Lab.Current.Ca };
            command.InvokeForTest(output);

            Assert.Empty(output.Errors);
            var summary = Assert.IsType<TlsCapabilitySummary>(Assert.Single(output.Objects));
            Assert.Equal(TlsCapabilityStatus.Success, summary.Status);
            Assert.Equal(suites.Count, summary.CipherSuitesAccepted);
            Assert.True(summary.CertificateValid, summary.CertificateError);
            Assert.Null(summary.CertificateError);
            Assert.All(suites, s => Assert.Equal("localhost", s.HostName));
            Assert.All(suites, s => Assert.Matches("^0x[0-9A-F]{4}$", s.Code));
            Assert.Equal(1, suites.First(s => s.TlsVersion == "TLSv1.3").PreferenceRank);
            Assert.Contains(output.Verbose, v => v.Contains("Smtp STARTTLS localhost:"));
        }

        [Fact]
        public void Summary_without_the_lab_root_reports_the_certificate_untrusted()
        {
            var output = new RecordingOutput();
            var command = Command("LAB_SMTP_PORT");
            command.Summary = true;
            command.InvokeForTest(output);

            var summary = Assert.IsType<TlsCapabilitySummary>(Assert.Single(output.Objects));
            Assert.False(summary.CertificateValid);
            Assert.NotNull(summary.CertificateError);
            Assert.Contains("CN=", summary.CertificateSubject);
        }

        [Fact]
        public void Without_summary_only_suites_are_written()
        {
            var output = new RecordingOutput();
            Command("LAB_SMTP_PORT").InvokeForTest(output);
            Assert.NotEmpty(output.Objects);
            Assert.All(output.Objects, o => Assert.IsType<TlsCipherSuiteResult>(o));
        }

        [Fact]
        public void Server_without_starttls_writes_the_summary_and_a_stable_error()
        {
            var output = new RecordingOutput();
            var command = Command("LAB_SMTP_PLAIN_PORT");
            command.Summary = true;
            command.InvokeForTest(output);

            var summary = Assert.IsType<TlsCapabilitySummary>(Assert.Single(output.Objects));
            Assert.Equal(TlsCapabilityStatus.NotOffered, summary.Status);
            var error = Assert.Single(output.Errors);
            Assert.Equal("StartTlsNotOffered", error.Id);
            Assert.Equal(ErrorCategory.NotEnabled, error.Category);
            Assert.Equal("localhost", error.Target);
        }

        [Fact]
        public void Invalid_host_is_rejected_before_any_connection()
        {
            var output = new RecordingOutput();
            new GetTlsCapabilityCommand { HostName = "bad host", Port = 1 }.InvokeForTest(output);
            Assert.Empty(output.Objects);
            Assert.Equal(ErrorMap.InvalidParameterId, Assert.Single(output.Errors).Id);
        }

        [Fact]
        public void Cli_capability_prints_the_same_objects_as_json()
        {
            var stdout = new System.IO.StringWriter();
            var stderr = new System.IO.StringWriter();
            int exit = StartTlsTools.Cli.Program.Run(new[] { "capability", "localhost", "--port", Lab.Current.LivePort("LAB_LEGACY_SMTPS_PORT").ToString(),
                "--implicit-tls", "--ehlo-name", "client.lab.test", "--max-connections", "2", "--json", "--summary" }, stdout, stderr);

            Assert.True(exit == 0, stderr.ToString());
            using var json = JsonDocument.Parse(stdout.ToString());
            var items = json.RootElement.EnumerateArray().ToList();
            var summary = items.Last();
            Assert.Equal("Success", summary.GetProperty("Status").GetString());
            Assert.Equal(items.Count - 1, summary.GetProperty("CipherSuitesAccepted").GetInt32());
            var names = items[0].EnumerateObject().Select(p => p.Name).OrderBy(n => n, System.StringComparer.Ordinal);
            Assert.Equal(typeof(TlsCipherSuiteResult).GetProperties().Select(p => p.Name).OrderBy(n => n, System.StringComparer.Ordinal), names);
            Assert.Contains(items, i => i.TryGetProperty("TlsVersion", out var v) && v.GetString() == "TLSv1.0");
            Assert.Equal("Insecure", summary.GetProperty("WeakestRating").GetString());
        }

        [Fact]
        public void Cli_capability_rejects_bad_options_with_exit_two()
        {
            var stderr = new System.IO.StringWriter();
            int exit = StartTlsTools.Cli.Program.Run(new[] { "capability", "localhost", "--max-connections", "0" }, new System.IO.StringWriter(), stderr);
            Assert.Equal(2, exit);
            Assert.Contains("MaxConnectionsPerHost", stderr.ToString());
        }
    }
}
