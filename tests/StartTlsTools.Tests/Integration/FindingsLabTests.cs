using System.Linq;
using System.Threading.Tasks;

namespace StartTlsTools.Tests.Integration
{
    /// <summary>Findings as the lab's real Postfix and Dovecot produce them.</summary>
    [Collection("Lab")]
    public class FindingsLabTests
    {
        private static string Describe(StartTlsResult r) => r.Status + ": " + string.Join(" | ", r.Findings.Select(f => $"{f.Severity} {f.Id}: {f.Detail}"));

        [Fact]
        public async Task Postfix_with_the_lab_ca_trusted_has_nothing_above_low()
        {
            var result = await new StartTlsTester().TestAsync(Lab.Current.Options(StartTlsProtocol.Smtp, "LAB_SMTP_PORT"));
            Assert.Equal(StartTlsStatus.Success, result.Status);
            Assert.True(result.Findings.All(f => f.Severity < FindingSeverity.Medium), Describe(result));
            Assert.DoesNotContain("StartTlsAdvertisedAfterTls", result.FindingIds);

            // The same certificate (90 days, renewed at 45) is "expiring soon" once the threshold covers it.
            var options = Lab.Current.Options(StartTlsProtocol.Smtp, "LAB_SMTP_PORT");
            options.ExpiryWarningDays = 365;
            var soon = await new StartTlsTester().TestAsync(options);
            Assert.Contains(soon.Findings, f => f.Id == "CertificateExpiringSoon" && f.Detail.Contains("within 365 days"));
        }

        [Fact]
        public async Task Vsftpd_auth_tls_in_feat_is_not_mistaken_for_a_login_before_tls()
        {
            var result = await new StartTlsTester().TestAsync(Lab.Current.Options(StartTlsProtocol.Ftp, "LAB_FTP_PORT"));
            Assert.Equal(StartTlsStatus.Success, result.Status);
            Assert.Contains("AUTH TLS", result.CapabilitiesBeforeTls!);
            Assert.DoesNotContain(result.Findings, f => f.Id == FindingAnalyzer.AuthBeforeTls || f.Severity >= FindingSeverity.Low);
        }

        [Fact]
        public async Task Postfix_without_tls_is_starttls_not_offered()
        {
            var result = await new StartTlsTester().TestAsync(Lab.Current.Options(StartTlsProtocol.Smtp, "LAB_SMTP_PLAIN_PORT"));
            Assert.Equal(StartTlsStatus.NotOffered, result.Status);
            var finding = Assert.Single(result.Findings, f => f.Id == "StartTlsNotOffered");
            Assert.Equal(FindingSeverity.High, finding.Severity);
            Assert.StartsWith("StartTlsNotOffered", result.FindingIds);
        }

        [Fact]
        public async Task Submission_adds_auth_only_after_tls_which_is_info_not_a_problem()
        {
            var result = await new StartTlsTester().TestAsync(Lab.Current.Options(StartTlsProtocol.Submission, "LAB_SUBMISSION_PORT"));
            Assert.DoesNotContain("AuthBeforeTls", result.FindingIds);
            Assert.Contains(result.Findings, f => f.Id == "CapabilitiesAddedAfterTls" && f.Detail.Contains("AUTH"));
        }

        [Theory]
        [InlineData(StartTlsProtocol.Imap, "LAB_IMAP_PORT")]
        [InlineData(StartTlsProtocol.Pop3, "LAB_POP3_PORT")]
        public async Task Dovecot_on_127_0_0_1_trusts_the_client_and_offers_auth_before_tls(StartTlsProtocol protocol, string portKey)
        {
            // Dovecot treats a client on its own address as secure (lab notes), so it offers plaintext auth before TLS.
            var result = await new StartTlsTester().TestAsync(Lab.Current.Options(protocol, portKey));
            Assert.Equal(StartTlsStatus.Success, result.Status);
            Assert.Contains(result.Findings, f => f.Id == "AuthBeforeTls" && f.Severity == FindingSeverity.Medium && f.Detail.Contains("PLAIN"));
            Assert.Contains(result.Findings, f => f.Id == "PlaintextLoginBeforeTls");
        }

        [Theory]
        [InlineData(StartTlsProtocol.Imap, "LAB_IMAP_PORT")]
        [InlineData(StartTlsProtocol.Pop3, "LAB_POP3_PORT")]
        public async Task Dovecot_seen_from_a_remote_address_offers_no_auth_before_tls(StartTlsProtocol protocol, string portKey)
        {
            var result = await Lab.Current.TestAsRemoteClientAsync(protocol, portKey);
            Assert.Equal(StartTlsStatus.Success, result.Status);
            Assert.DoesNotContain("AuthBeforeTls", result.FindingIds);
            Assert.DoesNotContain("PlaintextLoginBeforeTls", result.FindingIds);
            Assert.True(result.Findings.All(f => f.Severity < FindingSeverity.Medium), Describe(result));
        }

        [Fact]
        public async Task Untrusted_lab_ca_and_wrong_name_are_findings()
        {
            var untrusted = await new StartTlsTester().TestAsync(Lab.Current.Options(StartTlsProtocol.Smtp, "LAB_SMTP_PORT", trustLabCa: false));
            Assert.Contains(untrusted.Findings, f => f.Id == "CertificateChainIncomplete" || f.Id == "CertificateUntrusted");

            var byAddress = await new StartTlsTester().TestAsync(Lab.Current.Options(StartTlsProtocol.Smtp, "LAB_SMTP_PORT", host: "127.0.0.1"));
            Assert.Contains(byAddress.Findings, f => f.Id == "CertificateNameMismatch" && f.Detail.Contains("127.0.0.1"));
        }
    }
}
