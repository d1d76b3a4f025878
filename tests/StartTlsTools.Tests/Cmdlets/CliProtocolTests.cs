using System.IO;
using StartTlsTools.Tests.Integration;

namespace StartTlsTools.Tests.Cmdlets
{
    /// <summary>`starttls test` reports LMTP, FTP, XMPP, NNTP and ManageSieve correctly against the lab's real servers.</summary>
    [Collection("Lab")]
    public class CliProtocolTests
    {
        private static (int Exit, string Out, string Err) Run(params string[] args)
        {
            var stdout = new StringWriter();
            var stderr = new StringWriter();
            int exit = StartTlsTools.Cli.Program.Run(args, stdout, stderr);
            return (exit, stdout.ToString(), stderr.ToString());
        }

        [Theory]
        [InlineData("lmtp", "LAB_LMTP_PORT", false, "Lmtp", "STARTTLS")]
        [InlineData("ftp", "LAB_FTP_PORT", false, "Ftp", "AUTH TLS")]
        [InlineData("ftp", "LAB_FTPS_PORT", true, "Ftp", null)]
        [InlineData("xmpp", "LAB_XMPP_PORT", false, "Xmpp", "starttls(required)")]
        [InlineData("xmpp", "LAB_XMPPS_PORT", true, "Xmpp", null)]
        [InlineData("xmppserver", "LAB_XMPP_S2S_PORT", false, "XmppServer", "dialback")]
        [InlineData("nntp", "LAB_NNTP_PORT", false, "Nntp", "STARTTLS")]
        [InlineData("nntp", "LAB_NNTPS_PORT", true, "Nntp", null)]
        [InlineData("managesieve", "LAB_SIEVE_PORT", false, "ManageSieve", "STARTTLS")]
        public void Reports_success_with_protocol_version_and_capabilities(string protocol, string portKey, bool implicitTls, string shownAs, string? capabilityBefore)
        {
            var args = new System.Collections.Generic.List<string>
            {
                "test", "localhost", "--protocol", protocol, "--port", Lab.Current.LivePort(portKey).ToString(),
                "--trusted-root", Lab.Current["LAB_CA"], "--ehlo-name", "client.lab.test",
            };
            if (implicitTls) args.Add("--implicit-tls");
            var (exit, output, error) = Run(args.ToArray());

            Assert.True(exit == 0, error + output);
            Assert.Matches(@"(?m)^Status\s+: Success\r?$", output);
            Assert.Matches(@"(?m)^Protocol\s+: " + shownAs + @"\r?$", output);
            Assert.Matches(@"(?m)^TlsVersion\s+: Tls13\r?$", output);
            Assert.Matches(@"(?m)^CertificateValid\s+: True\r?$", output);
            Assert.Matches(@"(?m)^CapabilitiesAfterTls\s+: \S", output);
            if (capabilityBefore != null)
            {
                Assert.Matches(@"(?m)^StartTlsOffered\s+: True\r?$", output);
                Assert.Matches(@"(?m)^CapabilitiesBeforeTls\s+: .*" + System.Text.RegularExpressions.Regex.Escape(capabilityBefore), output);
            }
        }

        [Fact]
        public void Xmpp_domain_the_server_does_not_host_exits_one_as_refused()
        {
            var (exit, output, _) = Run("test", "localhost", "--protocol", "xmpp", "--port", Lab.Current.LivePort("LAB_XMPP_PORT").ToString(),
                "--trusted-root", Lab.Current["LAB_CA"], "--xmpp-domain", "not-hosted.lab.test");

            Assert.Equal(1, exit);
            Assert.Matches(@"(?m)^Status\s+: Refused\r?$", output);
            Assert.Contains("host-unknown", output);
        }

        [Fact]
        public void Malformed_xmpp_domain_is_bad_usage_before_any_connection()
        {
            var (exit, output, error) = Run("test", "127.0.0.1", "--protocol", "xmpp", "--port", "1", "--xmpp-domain", "not a domain!");
            Assert.Equal(2, exit);
            Assert.Contains("XMPP domain", error);
            Assert.Equal("", output);
        }

        [Fact]
        public void Manage_sieve_without_port_in_implicit_mode_is_bad_usage()
        {
            var (exit, _, error) = Run("test", "127.0.0.1", "--protocol", "managesieve", "--implicit-tls");
            Assert.Equal(2, exit);
            Assert.Contains("no standard implicit-TLS port", error);
        }
    }
}
