using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using StartTlsTools.Tests.Integration;

namespace StartTlsTools.Tests.Cmdlets
{
    /// <summary>The console front end prints the same object as the cmdlet, and exits with codes scripts can use.</summary>
    [Collection("Lab")]
    public class CliTests
    {
        private static (int Exit, string Out, string Err) Run(params string[] args)
        {
            var stdout = new StringWriter();
            var stderr = new StringWriter();
            int exit = StartTlsTools.Cli.Program.Run(args, stdout, stderr);
            return (exit, stdout.ToString(), stderr.ToString());
        }

        [Fact]
        public void Json_property_names_equal_the_powershell_object()
        {
            var (exit, output, error) = Run("test", "localhost", "--port", Lab.Current.LivePort("LAB_SMTP_PORT").ToString(),
                "--trusted-root", Lab.Current["LAB_CA"], "--ehlo-name", "client.lab.test", "--json");

            Assert.True(exit == 0, error + output);
            using var json = JsonDocument.Parse(output);
            var names = json.RootElement.EnumerateObject().Select(p => p.Name).OrderBy(n => n, StringComparer.Ordinal);
            Assert.Equal(typeof(StartTlsResult).GetProperties().Select(p => p.Name).OrderBy(n => n, StringComparer.Ordinal), names);
            Assert.Equal("Success", json.RootElement.GetProperty("Status").GetString());
            Assert.Equal("Tls13", json.RootElement.GetProperty("TlsVersion").GetString());
            // Lists are JSON arrays, item by item.
            Assert.Equal(System.Text.Json.JsonValueKind.Array, json.RootElement.GetProperty("CapabilitiesBeforeTls").ValueKind);
            Assert.Contains("STARTTLS", json.RootElement.GetProperty("CapabilitiesBeforeTls").EnumerateArray().Select(e => e.GetString()));
        }

        [Fact]
        public void Check_enforcement_and_greeting_timeout_are_options_of_test()
        {
            var (exit, output, error) = Run("test", "localhost", "-p", "Submission", "--port", Lab.Current.LivePort("LAB_SUBMISSION_PORT").ToString(),
                "--trusted-root", Lab.Current["LAB_CA"], "--ehlo-name", "client.lab.test", "--check-enforcement", "--greeting-timeout", "30", "--json");

            Assert.True(exit == 0, error + output);
            using var json = JsonDocument.Parse(output);
            Assert.True(json.RootElement.GetProperty("TlsRequired").GetBoolean());
            Assert.Contains("530", json.RootElement.GetProperty("TlsRequiredEvidence").GetString());

            var (badExit, _, badError) = Run("test", "localhost", "--greeting-timeout", "0");
            Assert.Equal(2, badExit);
            Assert.Contains("GreetingTimeout", badError);
        }

        [Fact]
        public void List_view_prints_offered_version_cipher_certificate_and_both_capability_lists()
        {
            var (exit, output, _) = Run("test", "localhost", "-p", "Imap", "--port", Lab.Current.LivePort("LAB_IMAP_PORT").ToString(), "--trusted-root", Lab.Current["LAB_CA"]);

            Assert.Equal(0, exit);
            foreach (string field in new[] { "StartTlsOffered", "TlsVersion", "CipherSuite", "CertificateSubject", "CertificateValid", "CapabilitiesBeforeTls", "CapabilitiesAfterTls" })
                Assert.Matches("(?m)^" + field + @"\s+: \S", output);
        }

        [Fact]
        public void Untrusted_certificate_exits_one()
        {
            var (exit, output, _) = Run("test", "localhost", "--port", Lab.Current.LivePort("LAB_SMTP_PORT").ToString());
            Assert.Equal(1, exit);
            Assert.Matches(@"(?m)^CertificateValid\s+: False", output);
        }

        [Theory]
        [InlineData("--port", "0", "out of range")]
        [InlineData("--protocol", "Gopher", "Gopher")]
        [InlineData("--timeout", "0", "Timeout")]
        public void Bad_usage_exits_two_with_a_message(string option, string value, string expected)
        {
            var (exit, output, error) = Run("test", "127.0.0.1", option, value);
            Assert.Equal(2, exit);
            Assert.Contains(expected, error);
            Assert.Equal("", output);
        }

        [Fact]
        public void Missing_host_is_bad_usage() => Assert.Equal(2, Run("test").Exit);

        [Fact]
        public void Injection_probe_of_the_lab_postfix_is_not_vulnerable_and_exits_zero()
        {
            var (exit, output, error) = Run("injection", "localhost", "--protocol", "smtp", "--port", Lab.Current.LivePort("LAB_SMTP_PORT").ToString(),
                "--ehlo-name", "client.lab.test", "--wait", "1", "--json");

            Assert.True(exit == 0, error + output);
            using var json = JsonDocument.Parse(output);
            var names = json.RootElement.EnumerateObject().Select(p => p.Name).OrderBy(n => n, StringComparer.Ordinal);
            Assert.Equal(typeof(StartTlsInjectionResult).GetProperties().Select(p => p.Name).OrderBy(n => n, StringComparer.Ordinal), names);
            Assert.Equal("NotVulnerable", json.RootElement.GetProperty("Verdict").GetString());
            Assert.Equal("EHLO client.lab.test", json.RootElement.GetProperty("InjectedCommand").GetString());
        }

        [Fact]
        public void Injection_probe_that_is_inconclusive_exits_one_with_the_list_view()
        {
            var (exit, output, _) = Run("injection", "localhost", "--port", Lab.Current.LivePort("LAB_SMTP_PLAIN_PORT").ToString(), "--ehlo-name", "client.lab.test");
            Assert.Equal(1, exit);
            Assert.Matches(@"(?m)^Verdict\s+: Inconclusive", output);
            Assert.Matches(@"(?m)^SanityCheck\s+: NotOffered", output);
        }

        [Theory]
        [InlineData("--wait", "0", "wait must be between")]
        [InlineData("--port", "70000", "out of range")]
        [InlineData("--protocol", "Gopher", "Gopher")]
        public void Injection_bad_usage_exits_two(string option, string value, string expected)
        {
            var (exit, output, error) = Run("injection", "127.0.0.1", option, value);
            Assert.Equal(2, exit);
            Assert.Contains(expected, error);
            Assert.Equal("", output);
        }

        [Fact]
        public void Findings_are_listed_one_per_line_in_the_list_view()
        {
            var (exit, output, _) = Run("test", "localhost", "--port", Lab.Current.LivePort("LAB_SMTP_PLAIN_PORT").ToString(), "--ehlo-name", "client.lab.test");
            Assert.Equal(1, exit);
            Assert.Matches(@"(?m)^Findings\s+: High: StartTlsNotOffered - STARTTLS is not offered \(RFC 3207", output);
            Assert.Matches(@"(?m)^FindingIds\s+: StartTlsNotOffered", output);
        }
    }
}
