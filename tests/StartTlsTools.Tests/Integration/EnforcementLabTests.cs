using System;
using System.Linq;
using System.Threading.Tasks;

namespace StartTlsTools.Tests.Integration
{
    /// <summary>
    /// TlsRequired against the lab's real servers: enforced where they are configured to require TLS
    /// (smtpd_tls_security_level=encrypt, Dovecot seen as a remote client, slapd "security ssf=", vsftpd
    /// force_*_logins_ssl, Prosody c2s/s2s_require_encryption, INN), opportunistic where they are not.
    /// </summary>
    [Collection("Lab")]
    public class EnforcementLabTests
    {
        private static Task<StartTlsResult> TestAsync(StartTlsProtocol protocol, string portKey, bool checkEnforcement = true, bool implicitTls = false)
        {
            var options = Lab.Current.Options(protocol, portKey, implicitTls);
            options.CheckEnforcement = checkEnforcement;
            options.IncludeTranscript = true;
            return new StartTlsTester().TestAsync(options);
        }

        /// <summary>The probe's dialogue: only the harmless commands, on a second connection, after the first one closed.</summary>
        private static void AssertProbeWasHarmless(StartTlsResult result, params string[] sent)
        {
            string transcript = result.Transcript!;
            int probe = transcript.IndexOf("(second connection, the enforcement probe", StringComparison.Ordinal);
            Assert.True(probe > 0, "no enforcement probe in the transcript:\n" + transcript);
            string probed = transcript.Substring(probe);
            foreach (string command in sent) Assert.Contains(" C plain " + command, probed);
            foreach (string never in new[] { "RCPT", "DATA", "PASS ", "AUTH ", "AUTHENTICATE", " LOGIN ", "AUTHINFO PASS" })
                Assert.DoesNotContain(" C plain " + never.TrimStart(), probed);
        }

        [Fact]
        public async Task Postfix_submission_with_security_level_encrypt_requires_tls_530()
        {
            var result = await TestAsync(StartTlsProtocol.Submission, "LAB_SUBMISSION_PORT");

            Lab.AssertUpgradedWithTheLabCertificate(result, implicitTls: false);
            Assert.True(result.TlsRequired, result.TlsRequiredEvidence);
            Assert.Contains("530 5.7.0", result.TlsRequiredEvidence);
            Assert.DoesNotContain(result.Findings, f => f.Id == FindingAnalyzer.StartTlsOptional);
            AssertProbeWasHarmless(result, "EHLO client.lab.test", "MAIL FROM:<>", "RSET", "QUIT");
        }

        [Fact]
        public async Task Postfix_smtp_accepts_mail_in_plaintext_so_tls_is_optional_which_is_normal_for_relay()
        {
            var result = await TestAsync(StartTlsProtocol.Smtp, "LAB_SMTP_PORT");

            Assert.Equal(StartTlsStatus.Success, result.Status);
            Assert.False(result.TlsRequired, result.TlsRequiredEvidence);
            Assert.Contains("250 2.1.0", result.TlsRequiredEvidence);
            var finding = Assert.Single(result.Findings, f => f.Id == FindingAnalyzer.StartTlsOptional);
            Assert.Equal(FindingSeverity.Info, finding.Severity); // RFC 3207 section 4: a public MX must not require TLS
            AssertProbeWasHarmless(result, "MAIL FROM:<>", "RSET", "QUIT");
        }

        [Fact]
        public async Task Without_check_enforcement_smtp_sends_nothing_more_and_says_how_to_learn_it()
        {
            var result = await TestAsync(StartTlsProtocol.Smtp, "LAB_SMTP_PORT", checkEnforcement: false);

            Assert.Equal(StartTlsStatus.Success, result.Status);
            Assert.Null(result.TlsRequired);
            Assert.Contains("-CheckEnforcement", result.TlsRequiredEvidence);
            Assert.DoesNotContain("second connection", result.Transcript);
            Assert.DoesNotContain("MAIL FROM", result.Transcript);
        }

        [Fact]
        public async Task Postfix_without_tls_is_opportunistic_by_absence()
        {
            var result = await TestAsync(StartTlsProtocol.Smtp, "LAB_SMTP_PLAIN_PORT");
            Assert.Equal(StartTlsStatus.NotOffered, result.Status);
            Assert.False(result.TlsRequired);
        }

        [Theory]
        [InlineData(StartTlsProtocol.Imap, "LAB_IMAP_PORT", false, "LOGINDISABLED")]   // the dialogue shows it
        [InlineData(StartTlsProtocol.ManageSieve, "LAB_SIEVE_PORT", false, "SASL")]
        [InlineData(StartTlsProtocol.Pop3, "LAB_POP3_PORT", true, "-ERR")]            // USER answered -ERR
        public async Task Dovecot_seen_as_a_remote_client_requires_tls(StartTlsProtocol protocol, string portKey, bool checkEnforcement, string evidence)
        {
            var result = await Lab.Current.TestAsRemoteClientAsync(protocol, portKey, checkEnforcement);

            Assert.Equal(StartTlsStatus.Success, result.Status);
            Assert.True(result.TlsRequired, result.TlsRequiredEvidence);
            Assert.Contains(evidence, result.TlsRequiredEvidence);
        }

        [Fact]
        public async Task Dovecot_on_its_own_address_trusts_the_client_and_offers_plaintext_login()
        {
            // Dovecot treats a client whose address equals its own as secure (the lab README): seen from there, TLS is optional.
            var result = await TestAsync(StartTlsProtocol.Imap, "LAB_IMAP_PORT", checkEnforcement: false);
            Assert.False(result.TlsRequired, result.TlsRequiredEvidence);
            Assert.Equal(FindingSeverity.Medium, Assert.Single(result.Findings, f => f.Id == FindingAnalyzer.StartTlsOptional).Severity);
        }

        [Fact]
        public async Task Slapd_with_security_ssf_requires_tls_from_the_dialogue_alone()
        {
            var result = await TestAsync(StartTlsProtocol.Ldap, "LAB_LDAP_REQUIRED_PORT", checkEnforcement: false);

            Lab.AssertUpgradedWithTheLabCertificate(result, implicitTls: false);
            Assert.True(result.TlsRequired, result.TlsRequiredEvidence);
            Assert.Contains("13 (confidentialityRequired)", result.TlsRequiredEvidence);
        }

        [Fact]
        public async Task Slapd_without_a_requirement_answers_an_anonymous_bind_in_plaintext()
        {
            var result = await TestAsync(StartTlsProtocol.Ldap, "LAB_LDAP_PORT");

            Assert.Equal(StartTlsStatus.Success, result.Status);
            Assert.False(result.TlsRequired, result.TlsRequiredEvidence);
            Assert.Contains("anonymous simple bind", result.TlsRequiredEvidence);
            Assert.Contains("BindRequest anonymous simple", result.Transcript);
        }

        [Fact]
        public async Task Slapd_with_the_requirement_refuses_the_anonymous_bind_too()
        {
            // With -CheckEnforcement the dialogue's verdict stands: no second connection is needed.
            var result = await TestAsync(StartTlsProtocol.Ldap, "LAB_LDAP_REQUIRED_PORT");
            Assert.True(result.TlsRequired);
            Assert.DoesNotContain("second connection", result.Transcript);
        }

        [Fact]
        public async Task Vsftpd_with_forced_tls_logins_requires_tls_and_the_plain_one_does_not()
        {
            var required = await TestAsync(StartTlsProtocol.Ftp, "LAB_FTP_REQUIRED_PORT");
            Lab.AssertUpgradedWithTheLabCertificate(required, implicitTls: false);
            Assert.True(required.TlsRequired, required.TlsRequiredEvidence);
            Assert.Contains("530", required.TlsRequiredEvidence);
            Assert.Contains("encryption", required.TlsRequiredEvidence);
            AssertProbeWasHarmless(required, "USER anonymous");

            var optional = await TestAsync(StartTlsProtocol.Ftp, "LAB_FTP_PORT");
            Assert.False(optional.TlsRequired, optional.TlsRequiredEvidence);
            Assert.Contains("331", optional.TlsRequiredEvidence);
            AssertProbeWasHarmless(optional, "USER anonymous", "QUIT");
        }

        [Theory]
        [InlineData(StartTlsProtocol.Xmpp, "LAB_XMPP_PORT")]
        [InlineData(StartTlsProtocol.XmppServer, "LAB_XMPP_S2S_PORT")]
        public async Task Prosody_with_require_encryption_requires_tls(StartTlsProtocol protocol, string portKey)
        {
            var result = await TestAsync(protocol, portKey, checkEnforcement: false);
            Assert.Equal(StartTlsStatus.Success, result.Status);
            Assert.True(result.TlsRequired, result.TlsRequiredEvidence);
            Assert.Contains("<required/>", result.TlsRequiredEvidence);
        }

        [Fact]
        public async Task Inn_answers_authinfo_user_483_before_tls()
        {
            var result = await TestAsync(StartTlsProtocol.Nntp, "LAB_NNTP_PORT");
            Assert.True(result.TlsRequired, result.TlsRequiredEvidence);
            Assert.Contains("483", result.TlsRequiredEvidence);
            AssertProbeWasHarmless(result, "AUTHINFO USER starttls-probe", "QUIT");
        }

        [Theory]
        [InlineData(StartTlsProtocol.PostgreSql, "LAB_POSTGRESQL_PORT")]
        [InlineData(StartTlsProtocol.MySql, "LAB_MYSQL_PORT")]
        public async Task Databases_cannot_say_without_credentials_and_no_probe_is_sent(StartTlsProtocol protocol, string portKey)
        {
            var result = await TestAsync(protocol, portKey);
            Assert.Equal(StartTlsStatus.Success, result.Status);
            Assert.Null(result.TlsRequired);
            Assert.Contains("credentials", result.TlsRequiredEvidence);
            Assert.DoesNotContain("second connection", result.Transcript);
        }

        [Fact]
        public async Task Implicit_tls_is_required_by_construction()
        {
            var result = await TestAsync(StartTlsProtocol.Smtp, "LAB_SMTPS_PORT", checkEnforcement: false, implicitTls: true);
            Assert.True(result.TlsRequired);
            Assert.Contains("Implicit TLS", result.TlsRequiredEvidence);
        }

        [Fact]
        public async Task Compare_uses_the_verdict_in_its_recommendation()
        {
            // IMAP shows it in the dialogue, so Compare gets it without a probe; from 127.0.0.1 Dovecot allows plaintext login.
            var c = await new ImplicitVsStartTlsComparer().CompareAsync(new ImplicitVsStartTlsOptions
            {
                HostName = "localhost",
                Protocol = StartTlsProtocol.Imap,
                Port = Lab.Current.LivePort("LAB_IMAP_PORT"),
                ImplicitPort = Lab.Current.LivePort("LAB_IMAPS_PORT"),
                Samples = 1,
                EhloName = "client.lab.test",
                TrustedRoots = { Lab.Current.Ca },
            });
            Assert.False(c.StartTlsTlsRequired);
            Assert.True(c.ImplicitTlsRequired);
            Assert.Contains("STARTTLS on port " + c.StartTlsPort + " does not require TLS", c.Recommendation);
            Assert.Contains("filters out STARTTLS", c.Recommendation);
        }
    }
}
