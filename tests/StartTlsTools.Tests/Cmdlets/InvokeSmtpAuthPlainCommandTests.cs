using System;
using System.Linq;
using System.Management.Automation;
using StartTlsTools.Commands;
using StartTlsTools.Tests.Integration;

namespace StartTlsTools.Tests.Cmdlets
{
    /// <summary>The Invoke-SmtpAuthPlain cmdlet class, driven through its output seam without a PowerShell runtime.</summary>
    [Collection("Lab")]
    public class InvokeSmtpAuthPlainCommandTests
    {
        private static InvokeSmtpAuthPlainCommand LabCommand(string portKey, string? password = null) => new InvokeSmtpAuthPlainCommand
        {
            HostName = "localhost",
            Port = Lab.Current.LivePort(portKey),
            Credential = new PSCredential(LabSecrets.User, LabSecrets.Secure(password ?? LabSecrets.Password)),
            EhloName = "client.lab.test",
            TrustedRootCertificate = new[] { Lab.Current.Ca },
        };

        private static void AssertNoSecret(RecordingOutput output, string password)
        {
            var everything = output.Verbose.Concat(output.Warnings).Concat(output.Errors.Select(e => e.Message + e.Id + e.Target))
                .Concat(output.Objects.OfType<SmtpAuthResult>().SelectMany(r => typeof(SmtpAuthResult).GetProperties().Select(p => Convert.ToString(p.GetValue(r)) ?? "")));
            foreach (string form in LabSecrets.Forms(password, LabSecrets.User))
                Assert.DoesNotContain(everything, text => text.Contains(form, StringComparison.Ordinal));
        }

        [Fact]
        public void Success_writes_one_result_no_error_and_no_secret()
        {
            var output = new RecordingOutput();
            var command = LabCommand("LAB_SUBMISSION_PORT");
            command.IncludeTranscript = true;
            command.InvokeForTest(output);

            var result = Assert.IsType<SmtpAuthResult>(Assert.Single(output.Objects));
            Assert.True(result.Succeeded, result.Reason);
            Assert.Equal(LabSecrets.User, result.UserName);
            Assert.Empty(output.Errors);
            Assert.Empty(output.Warnings);
            Assert.Contains(output.Verbose, v => v.Contains("SMTP AUTH PLAIN STARTTLS localhost:") && v.Contains("as labuser"));
            AssertNoSecret(output, LabSecrets.Password);
        }

        [Fact]
        public void Wrong_password_is_a_stable_authentication_error()
        {
            string wrong = "wrong-" + Guid.NewGuid().ToString("N");
            var output = new RecordingOutput();
            LabCommand("LAB_SUBMISSION_PORT", wrong).InvokeForTest(output);

            var result = Assert.IsType<SmtpAuthResult>(Assert.Single(output.Objects));
            Assert.Equal(SmtpAuthStatus.AuthenticationFailed, result.Status);
            var error = Assert.Single(output.Errors);
            Assert.Equal("SmtpAuthenticationFailed", error.Id);
            Assert.Equal(ErrorCategory.AuthenticationError, error.Category);
            Assert.Equal("localhost", error.Target);
            Assert.Contains("535 5.7.8", error.Message);
            AssertNoSecret(output, wrong);
        }

        [Fact]
        public void Plaintext_port_is_refused_with_a_security_error()
        {
            var output = new RecordingOutput();
            LabCommand("LAB_SUBMISSION_PLAIN_PORT").InvokeForTest(output);

            var result = Assert.IsType<SmtpAuthResult>(Assert.Single(output.Objects));
            Assert.False(result.CredentialsSent);
            var error = Assert.Single(output.Errors);
            Assert.Equal("RefusedWithoutTls", error.Id);
            Assert.Equal(ErrorCategory.SecurityError, error.Category);
        }

        [Fact]
        public void Skipped_certificate_check_is_recorded_and_warned_about()
        {
            var output = new RecordingOutput();
            var command = LabCommand("LAB_SUBMISSION_PORT");
            command.TrustedRootCertificate = null;
            command.SkipCertificateCheck = true;
            command.InvokeForTest(output);

            var result = Assert.IsType<SmtpAuthResult>(Assert.Single(output.Objects));
            Assert.True(result.Succeeded, result.Reason);
            Assert.True(result.CertificateCheckSkipped);
            Assert.Empty(output.Errors);
            Assert.Contains("-SkipCertificateCheck", Assert.Single(output.Warnings));
        }

        [Fact]
        public void Untrusted_certificate_without_skip_is_refused()
        {
            var output = new RecordingOutput();
            var command = LabCommand("LAB_SUBMISSION_PORT");
            command.TrustedRootCertificate = null;
            command.InvokeForTest(output);

            Assert.Equal(SmtpAuthStatus.RefusedInvalidCertificate, Assert.IsType<SmtpAuthResult>(Assert.Single(output.Objects)).Status);
            Assert.Equal("RefusedInvalidCertificate", Assert.Single(output.Errors).Id);
        }

        [Fact]
        public void Invalid_host_is_an_invalid_parameter_error_before_any_connection()
        {
            var output = new RecordingOutput();
            new InvokeSmtpAuthPlainCommand { HostName = "bad host!", Credential = new PSCredential("u", LabSecrets.Secure("p")) }.InvokeForTest(output);

            Assert.Empty(output.Objects);
            Assert.Equal(ErrorMap.InvalidParameterId, Assert.Single(output.Errors).Id);
        }

        [Theory]
        [InlineData("\\alice", "alice")]
        [InlineData("CONTOSO\\alice", "CONTOSO\\alice")]
        [InlineData("alice@contoso.com", "alice@contoso.com")]
        public void Windows_get_credential_leading_backslash_is_dropped(string given, string expected)
        {
            Assert.Equal(expected, InvokeSmtpAuthPlainCommand.UserNameOf(new PSCredential(given, LabSecrets.Secure("p"))));
        }
    }
}
