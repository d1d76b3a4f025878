using System;
using System.Threading.Tasks;

namespace StartTlsTools.Tests.Integration
{
    /// <summary>The injection probe against the lab's real, correctly fixed Postfix and Dovecot.</summary>
    [Collection("Lab")]
    public class InjectionLabTests
    {
        [Theory]
        [InlineData(StartTlsProtocol.Smtp, "LAB_SMTP_PORT")]
        [InlineData(StartTlsProtocol.Submission, "LAB_SUBMISSION_PORT")]
        [InlineData(StartTlsProtocol.Imap, "LAB_IMAP_PORT")]
        [InlineData(StartTlsProtocol.Pop3, "LAB_POP3_PORT")]
        public async Task Real_servers_are_not_vulnerable(StartTlsProtocol protocol, string portKey)
        {
            var target = Lab.Current.Options(protocol, portKey);
            target.IncludeTranscript = true;
            var result = await new InjectionTester().TestAsync(new InjectionTestOptions { Target = target, Wait = TimeSpan.FromSeconds(2) });

            Assert.True(result.Verdict == InjectionVerdict.NotVulnerable, result.Reason + "\n" + result.Transcript);
            Assert.Equal(StartTlsStatus.Success, result.SanityCheck);
            Assert.Null(result.Evidence);
            Assert.Equal(0, result.PlaintextBytesDiscardedAtUpgrade);
            // Lab fact: Postfix discards the pipelined command and waits for us over TLS; Dovecot hands the buffered
            // plaintext to OpenSSL as handshake bytes, so its handshake fails ("wrong version number" in its log).
            if (protocol == StartTlsProtocol.Imap || protocol == StartTlsProtocol.Pop3)
                Assert.True(result.Status == StartTlsStatus.HandshakeFailed && result.Reason.Contains("treated the buffered plaintext"), result.Reason);
            else
                Assert.True(result.Status == StartTlsStatus.Success && result.Reason.Contains("Nothing arrived over TLS"), result.Reason);
            // The probe really pipelined: the transcript shows the injected command in the STARTTLS write.
            Assert.Contains("(injected) " + result.InjectedCommand, result.Transcript);
        }

        /// <summary>The other line-based dialects' real servers: Dovecot LMTP and ManageSieve, INN's nnrpd, vsftpd.</summary>
        [Theory]
        [InlineData(StartTlsProtocol.Lmtp, "LAB_LMTP_PORT")]
        [InlineData(StartTlsProtocol.ManageSieve, "LAB_SIEVE_PORT")]
        [InlineData(StartTlsProtocol.Nntp, "LAB_NNTP_PORT")]
        [InlineData(StartTlsProtocol.Ftp, "LAB_FTP_PORT")]
        public async Task Real_servers_of_the_other_line_based_protocols_are_not_vulnerable(StartTlsProtocol protocol, string portKey)
        {
            var target = Lab.Current.Options(protocol, portKey);
            target.IncludeTranscript = true;
            var result = await new InjectionTester().TestAsync(new InjectionTestOptions { Target = target, Wait = TimeSpan.FromSeconds(2) });

            Assert.True(result.Verdict == InjectionVerdict.NotVulnerable, result.Reason + "\n" + result.Transcript);
            Assert.Equal(StartTlsStatus.Success, result.SanityCheck);
            Assert.Null(result.Evidence);
            Assert.NotNull(result.InjectedCommand);
            Assert.Contains("(injected) " + result.InjectedCommand, result.Transcript);
        }

        [Fact]
        public async Task Server_without_starttls_is_inconclusive()
        {
            var result = await new InjectionTester().TestAsync(new InjectionTestOptions { Target = Lab.Current.Options(StartTlsProtocol.Smtp, "LAB_SMTP_PLAIN_PORT") });
            Assert.Equal(InjectionVerdict.Inconclusive, result.Verdict);
            Assert.Equal(StartTlsStatus.NotOffered, result.SanityCheck);
        }
    }
}
