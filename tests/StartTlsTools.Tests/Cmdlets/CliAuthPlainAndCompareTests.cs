using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using StartTlsTools.Tests.Integration;

namespace StartTlsTools.Tests.Cmdlets
{
    /// <summary>starttls auth-plain and starttls compare: same objects as the cmdlets, exit codes, password never from an argument.</summary>
    [Collection("Lab")]
    public class CliAuthPlainAndCompareTests
    {
        private static (int Exit, string Out, string Err) Run(string? stdin, params string[] args)
        {
            var stdout = new StringWriter();
            var stderr = new StringWriter();
            int exit = StartTlsTools.Cli.Program.Run(args, stdout, stderr, new StringReader(stdin ?? ""));
            return (exit, stdout.ToString(), stderr.ToString());
        }

        private static string[] AuthArgs(string portKey, params string[] more) => new[]
        {
            "auth-plain", "localhost", "--user", LabSecrets.User, "--port", Lab.Current.LivePort(portKey).ToString(),
            "--trusted-root", Lab.Current["LAB_CA"], "--ehlo-name", "client.lab.test",
        }.Concat(more).ToArray();

        [Fact]
        public void Password_from_stdin_authenticates_and_json_names_equal_the_powershell_object()
        {
            var (exit, output, error) = Run(LabSecrets.Password + "\n", AuthArgs("LAB_SUBMISSION_PORT", "--password-stdin", "--json"));

            Assert.True(exit == 0, error + output);
            using var json = JsonDocument.Parse(output);
            var names = json.RootElement.EnumerateObject().Select(p => p.Name).OrderBy(n => n, StringComparer.Ordinal);
            Assert.Equal(typeof(SmtpAuthResult).GetProperties().Select(p => p.Name).OrderBy(n => n, StringComparer.Ordinal), names);
            Assert.Equal("Succeeded", json.RootElement.GetProperty("Status").GetString());
            Assert.Equal(235, json.RootElement.GetProperty("ReplyCode").GetInt32());
        }

        [Fact]
        public void Password_from_a_named_environment_variable_and_a_wrong_one_exits_one()
        {
            string variable = "STARTTLS_TEST_PW_" + Guid.NewGuid().ToString("N");
            Environment.SetEnvironmentVariable(variable, "wrong-" + Guid.NewGuid().ToString("N"));
            try
            {
                var (exit, output, _) = Run(null, AuthArgs("LAB_SUBMISSION_PORT", "--password-env", variable));
                Assert.Equal(1, exit);
                Assert.Matches(@"(?m)^Status\s+: AuthenticationFailed", output);
                Assert.Matches(@"(?m)^EnhancedStatusCode\s+: 5\.7\.8", output);
            }
            finally
            {
                Environment.SetEnvironmentVariable(variable, null);
            }
        }

        [Fact]
        public void No_password_anywhere_is_bad_usage_before_any_connection()
        {
            string variable = "STARTTLS_TEST_UNSET_" + Guid.NewGuid().ToString("N");
            var (exit, output, error) = Run(null, "auth-plain", "127.0.0.1", "--user", "u", "--port", "1", "--password-env", variable);
            Assert.Equal(2, exit);
            Assert.Contains(variable, error);
            Assert.Equal("", output);
        }

        [Fact]
        public void There_is_no_option_that_takes_the_password_as_an_argument()
        {
            foreach (string option in new[] { "--password", "-p" })
            {
                var (exit, output, error) = Run(null, "auth-plain", "127.0.0.1", "--user", "u", option, "s3cr3t-value");
                Assert.Equal(2, exit);
                Assert.Contains("never taken from an argument", error);
                Assert.DoesNotContain("s3cr3t-value", error + output);
            }
        }

        [Fact]
        public void Plaintext_port_is_refused_with_exit_one()
        {
            var (exit, output, _) = Run(LabSecrets.Password, AuthArgs("LAB_SUBMISSION_PLAIN_PORT", "--password-stdin"));
            Assert.Equal(1, exit);
            Assert.Matches(@"(?m)^Status\s+: RefusedWithoutTls", output);
            Assert.Matches(@"(?m)^CredentialsSent\s+: False", output);
        }

        [Fact]
        public void Compare_prints_both_sides_and_exits_zero_when_both_reach_tls()
        {
            var (exit, output, error) = Run(null, "compare", "localhost", "-p", "Pop3",
                "--starttls-port", Lab.Current.LivePort("LAB_POP3_PORT").ToString(), "--implicit-port", Lab.Current.LivePort("LAB_POP3S_PORT").ToString(),
                "--samples", "2", "--trusted-root", Lab.Current["LAB_CA"], "--json");

            Assert.True(exit == 0, error + output);
            using var json = JsonDocument.Parse(output);
            Assert.True(json.RootElement.GetProperty("SameCertificate").GetBoolean());
            Assert.Equal(0, json.RootElement.GetProperty("ImplicitPlaintextBytesReceived").GetInt64());
            Assert.Equal("Dovecot", json.RootElement.GetProperty("StartTlsExposedSoftware").GetString());
            Assert.Contains("RFC 8314 section 3.1", json.RootElement.GetProperty("Recommendation").GetString());
        }

        [Theory]
        [InlineData("--samples", "0", "Samples must be between 1 and 100")]
        [InlineData("--samples", "101", "Samples must be between 1 and 100")]
        [InlineData("--protocol", "Gopher", "Gopher")]
        public void Compare_bad_usage_exits_two(string option, string value, string expected)
        {
            var (exit, output, error) = Run(null, "compare", "127.0.0.1", option, value);
            Assert.Equal(2, exit);
            Assert.Contains(expected, error);
            Assert.Equal("", output);
        }
    }
}
