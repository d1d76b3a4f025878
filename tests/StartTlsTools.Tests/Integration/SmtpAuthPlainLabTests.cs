using System;
using System.Threading.Tasks;

namespace StartTlsTools.Tests.Integration
{
    /// <summary>Invoke-SmtpAuthPlain's engine against the lab's real Postfix (AUTH through Dovecot SASL).</summary>
    [Collection("Lab")]
    public class SmtpAuthPlainLabTests
    {
        [Fact]
        public async Task Submission_with_the_lab_user_succeeds_over_tls13()
        {
            var result = await new SmtpAuthPlainClient().AuthenticateAsync(LabSecrets.Options("LAB_SUBMISSION_PORT"));

            Assert.True(result.Status == SmtpAuthStatus.Succeeded, result.Reason);
            Assert.True(result.Succeeded);
            Assert.True(result.CredentialsSent);
            Assert.Equal(235, result.ReplyCode);
            Assert.Equal("2.7.0", result.EnhancedStatusCode);
            Assert.Contains("Authentication successful", result.ReplyText);
            // The lab's submission port offers AUTH only after TLS (smtpd_tls_auth_only).
            Assert.Null(result.MechanismsBeforeTls);
            Assert.Equal(new[] { "PLAIN", "LOGIN" }, result.MechanismsAfterTls!);
            Assert.Equal(StartTlsStatus.Success, result.TlsStatus);
            Assert.True(result.StartTlsOffered);
            Assert.Equal(TlsProtocolVersion.Tls13, result.TlsVersion);
            Assert.StartsWith("TLS_", result.CipherSuite);
            Assert.True(result.CertificateValid);
            Assert.False(result.CertificateCheckSkipped);
            Assert.Equal("mail.lab.test ESMTP Postfix", result.Banner);
            Assert.True(result.TimeToSecureChannelMs <= result.TotalMs);
            Assert.NotNull(result.AuthMs);
            Assert.Contains("C tls   AUTH PLAIN <redacted>", result.Transcript);
            foreach (string form in LabSecrets.Forms(LabSecrets.Password, LabSecrets.User)) Assert.DoesNotContain(form, result.Transcript);
        }

        [Fact]
        public async Task Wrong_password_is_535_with_enhanced_code_5_7_8()
        {
            var result = await new SmtpAuthPlainClient().AuthenticateAsync(LabSecrets.Options("LAB_SUBMISSION_PORT", password: "wrong-" + Guid.NewGuid().ToString("N")));

            Assert.Equal(SmtpAuthStatus.AuthenticationFailed, result.Status);
            Assert.False(result.Succeeded);
            Assert.True(result.CredentialsSent);
            Assert.Equal(535, result.ReplyCode);
            Assert.Equal("5.7.8", result.EnhancedStatusCode);
            Assert.Contains("535", result.Reason);
        }

        [Fact]
        public async Task The_334_challenge_form_also_succeeds_against_postfix()
        {
            var options = LabSecrets.Options("LAB_SUBMISSION_PORT");
            options.InitialResponse = false;
            var result = await new SmtpAuthPlainClient().AuthenticateAsync(options);

            Assert.True(result.Status == SmtpAuthStatus.Succeeded, result.Reason);
            Assert.True(result.ChallengeFormUsed);
            Assert.Contains("S tls   334", result.Transcript);
        }

        [Fact]
        public async Task Smtps_with_implicit_tls_succeeds()
        {
            var result = await new SmtpAuthPlainClient().AuthenticateAsync(LabSecrets.Options("LAB_SMTPS_PORT", implicitTls: true));

            Assert.True(result.Status == SmtpAuthStatus.Succeeded, result.Reason);
            Assert.True(result.ImplicitTls);
            Assert.Null(result.StartTlsOffered);
            Assert.Null(result.MechanismsBeforeTls);
            Assert.Contains("PLAIN", result.MechanismsAfterTls!);
            Assert.Equal(TlsProtocolVersion.Tls13, result.TlsVersion);
            Assert.Equal(235, result.ReplyCode);
        }

        [Fact]
        public async Task Plaintext_only_port_is_refused_and_postfix_saw_no_auth()
        {
            int port = Lab.Current.LivePort("LAB_SUBMISSION_PLAIN_PORT");
            var options = LabSecrets.Options("LAB_SUBMISSION_PLAIN_PORT");
            long mark = LabSecrets.PostfixLogMark();

            var result = await new SmtpAuthPlainClient().AuthenticateAsync(options);

            Assert.Equal(SmtpAuthStatus.RefusedWithoutTls, result.Status);
            Assert.Equal(StartTlsStatus.NotOffered, result.TlsStatus);
            Assert.False(result.CredentialsSent);
            Assert.Null(result.ReplyCode);
            Assert.Contains("-AllowPlaintext", result.Reason);
            // The port would have taken the credentials: it offers PLAIN in plaintext.
            Assert.Contains("PLAIN", result.MechanismsBeforeTls!);
            Assert.DoesNotMatch(@"C (plain|tls)\s+AUTH", result.Transcript);
            // The server's own account of the session: EHLO and QUIT, no AUTH command at all.
            string summary = await LabSecrets.PostfixDisconnectLineAsync(port, mark);
            Assert.Matches(@"ehlo=1 quit=1 commands=2$", summary);
            Assert.DoesNotContain("auth=", summary);
        }

        [Fact]
        public async Task Plaintext_only_port_with_allow_plaintext_authenticates_proving_it_would_have_accepted()
        {
            int port = Lab.Current.LivePort("LAB_SUBMISSION_PLAIN_PORT");
            var options = LabSecrets.Options("LAB_SUBMISSION_PLAIN_PORT");
            options.AllowPlaintext = true;
            long mark = LabSecrets.PostfixLogMark();

            var result = await new SmtpAuthPlainClient().AuthenticateAsync(options);

            Assert.True(result.Status == SmtpAuthStatus.Succeeded, result.Reason);
            Assert.False(result.TlsEstablished);
            Assert.True(result.PlaintextAllowed);
            Assert.Contains("in plaintext", result.Reason);
            Assert.Contains("C plain AUTH PLAIN <redacted>", result.Transcript);
            string summary = await LabSecrets.PostfixDisconnectLineAsync(port, mark);
            Assert.Contains("auth=1", summary);
        }

        [Fact]
        public async Task Untrusted_certificate_is_refused_before_auth_unless_skipped()
        {
            var refused = await new SmtpAuthPlainClient().AuthenticateAsync(LabSecrets.Options("LAB_SUBMISSION_PORT", trustLabCa: false));
            Assert.Equal(SmtpAuthStatus.RefusedInvalidCertificate, refused.Status);
            Assert.False(refused.CredentialsSent);
            Assert.False(refused.CertificateValid);
            Assert.Contains("-SkipCertificateCheck", refused.Reason);
            Assert.DoesNotMatch(@"C (plain|tls)\s+AUTH", refused.Transcript);

            var options = LabSecrets.Options("LAB_SUBMISSION_PORT", trustLabCa: false);
            options.SkipCertificateCheck = true;
            var skipped = await new SmtpAuthPlainClient().AuthenticateAsync(options);
            Assert.True(skipped.Status == SmtpAuthStatus.Succeeded, skipped.Reason);
            Assert.True(skipped.CertificateCheckSkipped);
            Assert.False(skipped.CertificateValid);
        }

        [Fact]
        public async Task Smtp_port_without_auth_reports_auth_not_offered_after_tls()
        {
            var result = await new SmtpAuthPlainClient().AuthenticateAsync(LabSecrets.Options("LAB_SMTP_PORT"));

            Assert.Equal(SmtpAuthStatus.AuthNotOffered, result.Status);
            Assert.Contains("over TLS", result.Reason);
            Assert.False(result.CredentialsSent);
            Assert.Null(result.MechanismsAfterTls);
        }
    }
}
