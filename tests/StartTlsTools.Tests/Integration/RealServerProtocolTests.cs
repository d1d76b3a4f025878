using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;

namespace StartTlsTools.Tests.Integration
{
    /// <summary>
    /// LMTP (Dovecot), FTP (vsftpd), XMPP (Prosody), NNTP (INN's nnrpd) and ManageSieve (Dovecot Pigeonhole)
    /// against the lab's real servers: the upgrade, the TLS parameters, the certificate and what each protocol
    /// says before and after TLS.
    /// </summary>
    [Collection("Lab")]
    public class RealServerProtocolTests
    {
        public static IEnumerable<object[]> EveryLabPort() => new[]
        {
            new object[] { StartTlsProtocol.Lmtp, "LAB_LMTP_PORT", false },
            new object[] { StartTlsProtocol.Ftp, "LAB_FTP_PORT", false },
            new object[] { StartTlsProtocol.Ftp, "LAB_FTPS_PORT", true },
            new object[] { StartTlsProtocol.Xmpp, "LAB_XMPP_PORT", false },
            new object[] { StartTlsProtocol.Xmpp, "LAB_XMPPS_PORT", true },
            new object[] { StartTlsProtocol.XmppServer, "LAB_XMPP_S2S_PORT", false },
            new object[] { StartTlsProtocol.Nntp, "LAB_NNTP_PORT", false },
            new object[] { StartTlsProtocol.Nntp, "LAB_NNTPS_PORT", true },
            new object[] { StartTlsProtocol.ManageSieve, "LAB_SIEVE_PORT", false },
        };

        [Theory]
        [MemberData(nameof(EveryLabPort))]
        public async Task Upgrades_to_tls13_with_a_valid_certificate(StartTlsProtocol protocol, string portKey, bool implicitTls)
        {
            var result = await new StartTlsTester().TestAsync(Lab.Current.Options(protocol, portKey, implicitTls));

            Lab.AssertUpgradedWithTheLabCertificate(result, implicitTls);
            Assert.NotNull(result.Banner);
            Assert.NotNull(result.CapabilitiesAfterTls);
            if (implicitTls) Assert.Null(result.CapabilitiesBeforeTls);
            else Assert.NotNull(result.CapabilitiesBeforeTls);
            Assert.Equal(0, result.PlaintextBytesDiscardedAtUpgrade);
            Assert.True(result.IsHealthy);
        }

        [Theory]
        [MemberData(nameof(EveryLabPort))]
        public async Task Certificate_is_invalid_without_the_lab_ca(StartTlsProtocol protocol, string portKey, bool implicitTls)
        {
            var result = await new StartTlsTester().TestAsync(Lab.Current.Options(protocol, portKey, implicitTls, trustLabCa: false));

            Assert.Equal(StartTlsStatus.Success, result.Status);
            Assert.False(result.CertificateValid);
            Assert.Contains("trusted root", result.CertificateError);
            Assert.False(result.IsHealthy);
        }

        [Fact]
        public async Task Lmtp_speaks_lhlo_to_dovecot()
        {
            var result = await Test(StartTlsProtocol.Lmtp, "LAB_LMTP_PORT", transcript: true);

            Assert.Contains("Dovecot", result.Banner);
            Assert.Contains("STARTTLS", Items(result.CapabilitiesBeforeTls));
            Assert.DoesNotContain("STARTTLS", Items(result.CapabilitiesAfterTls));
            Assert.Contains("C plain LHLO client.lab.test", result.Transcript);
            Assert.DoesNotContain("EHLO", result.Transcript);
            Assert.StartsWith("220 ", result.StartTlsReply);
        }

        [Fact]
        public async Task Ftp_lists_auth_tls_in_feat_and_accepts_pbsz_and_prot_over_tls()
        {
            var result = await Test(StartTlsProtocol.Ftp, "LAB_FTP_PORT");

            Assert.Equal("StartTlsTools lab FTP", result.Banner);
            Assert.Contains("AUTH TLS", Items(result.CapabilitiesBeforeTls));
            Assert.Contains("PBSZ", Items(result.CapabilitiesBeforeTls));
            Assert.StartsWith("234 ", result.StartTlsReply);
            Assert.Contains("PBSZ 0: 200", Items(result.CapabilitiesAfterTls));
            Assert.Contains("PROT P: 200", Items(result.CapabilitiesAfterTls));
        }

        [Fact]
        public async Task Ftps_implicit_port_greets_over_tls_and_accepts_prot_p()
        {
            var result = await Test(StartTlsProtocol.Ftp, "LAB_FTPS_PORT", implicitTls: true);

            Assert.Equal("StartTlsTools lab FTP", result.Banner);
            Assert.Contains("PROT P: 200", Items(result.CapabilitiesAfterTls));
        }

        [Fact]
        public async Task Xmpp_client_stream_requires_starttls_and_offers_sasl_after_it()
        {
            var result = await Test(StartTlsProtocol.Xmpp, "LAB_XMPP_PORT", transcript: true);

            Assert.Contains("from='localhost'", result.Banner);
            Assert.Equal(new[] { "starttls(required)" }, result.CapabilitiesBeforeTls!);
            Assert.Equal("<proceed/>", result.StartTlsReply);
            string mechanisms = Items(result.CapabilitiesAfterTls).Single(i => i.StartsWith("mechanisms:", StringComparison.Ordinal));
            Assert.Contains("PLAIN", mechanisms);
            Assert.Contains("SCRAM-SHA-1", mechanisms);
            Assert.DoesNotContain(Items(result.CapabilitiesAfterTls), i => i.StartsWith("starttls", StringComparison.Ordinal));
            // The stream was opened to the XMPP domain, the host name by default.
            Assert.Contains("to='localhost'", result.Transcript);
            Assert.Contains("xmlns='jabber:client'", result.Transcript);
        }

        [Fact]
        public async Task Xmpp_domain_the_server_does_not_host_is_refused_with_host_unknown()
        {
            var options = Lab.Current.Options(StartTlsProtocol.Xmpp, "LAB_XMPP_PORT");
            options.XmppDomain = "not-hosted.lab.test";
            var result = await new StartTlsTester().TestAsync(options);

            Assert.Equal(StartTlsStatus.Refused, result.Status);
            Assert.Contains("host-unknown", result.Reason);
            Assert.False(result.TlsEstablished);
        }

        [Fact]
        public async Task Xmpp_direct_tls_port_shows_sasl_mechanisms_at_once()
        {
            var result = await Test(StartTlsProtocol.Xmpp, "LAB_XMPPS_PORT", implicitTls: true);

            Assert.Contains("stream:stream", result.Banner);
            Assert.Contains(Items(result.CapabilitiesAfterTls), i => i.StartsWith("mechanisms:", StringComparison.Ordinal) && i.Contains("PLAIN"));
        }

        [Fact]
        public async Task Xmpp_server_to_server_stream_offers_starttls_and_dialback()
        {
            var result = await Test(StartTlsProtocol.XmppServer, "LAB_XMPP_S2S_PORT", transcript: true);

            Assert.Contains("starttls(required)", Items(result.CapabilitiesBeforeTls));
            Assert.Contains("dialback", Items(result.CapabilitiesBeforeTls));
            Assert.Contains("dialback", Items(result.CapabilitiesAfterTls));
            Assert.Contains("xmlns='jabber:server'", result.Transcript);
            // A server-to-server stream names its sender: the hello name.
            Assert.Contains("from='client.lab.test'", result.Transcript);
        }

        [Fact]
        public async Task Nntp_lists_starttls_before_tls_and_not_after()
        {
            var result = await Test(StartTlsProtocol.Nntp, "LAB_NNTP_PORT");

            Assert.StartsWith("200 ", result.Banner);
            Assert.Contains("INN", result.Banner);
            Assert.Contains("STARTTLS", Items(result.CapabilitiesBeforeTls));
            Assert.Contains("VERSION 2", Items(result.CapabilitiesBeforeTls));
            Assert.StartsWith("382 ", result.StartTlsReply);
            Assert.DoesNotContain("STARTTLS", Items(result.CapabilitiesAfterTls));
            Assert.Contains("VERSION 2", Items(result.CapabilitiesAfterTls));
        }

        [Fact]
        public async Task Nntps_implicit_port_greets_over_tls()
        {
            var result = await Test(StartTlsProtocol.Nntp, "LAB_NNTPS_PORT", implicitTls: true);

            Assert.StartsWith("200 ", result.Banner);
            Assert.DoesNotContain("STARTTLS", Items(result.CapabilitiesAfterTls));
        }

        [Fact]
        public async Task ManageSieve_greets_with_capabilities_and_sends_them_again_over_tls()
        {
            var result = await Test(StartTlsProtocol.ManageSieve, "LAB_SIEVE_PORT");

            Assert.StartsWith("OK", result.Banner);
            Assert.Contains("STARTTLS", Items(result.CapabilitiesBeforeTls));
            Assert.Contains(Items(result.CapabilitiesBeforeTls), i => i.StartsWith("IMPLEMENTATION ", StringComparison.Ordinal) && i.Contains("Pigeonhole"));
            Assert.StartsWith("OK", result.StartTlsReply);
            Assert.DoesNotContain("STARTTLS", Items(result.CapabilitiesAfterTls));
            Assert.Contains(Items(result.CapabilitiesAfterTls), i => i.StartsWith("SIEVE ", StringComparison.Ordinal) && i.Contains("fileinto"));
        }

        private static async Task<StartTlsResult> Test(StartTlsProtocol protocol, string portKey, bool implicitTls = false, bool transcript = false)
        {
            var options = Lab.Current.Options(protocol, portKey, implicitTls);
            options.IncludeTranscript = transcript;
            var result = await new StartTlsTester().TestAsync(options);
            Assert.True(result.Status == StartTlsStatus.Success, result.Reason);
            Assert.True(result.CertificateValid, result.CertificateError);
            return result;
        }

        private static IReadOnlyList<string> Items(TextList? list) => list ?? TextList.Empty;
    }
}
