using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Tasks;

namespace StartTlsTools.Tests.Integration
{
    /// <summary>Test-StartTls's engine against the lab's real Postfix and Dovecot.</summary>
    [Collection("Lab")]
    public class RealServerTests
    {
        public static IEnumerable<object[]> EveryLabPort() => new[]
        {
            new object[] { StartTlsProtocol.Smtp, "LAB_SMTP_PORT", false },
            new object[] { StartTlsProtocol.Submission, "LAB_SUBMISSION_PORT", false },
            new object[] { StartTlsProtocol.Smtp, "LAB_SMTPS_PORT", true },
            new object[] { StartTlsProtocol.Imap, "LAB_IMAP_PORT", false },
            new object[] { StartTlsProtocol.Imap, "LAB_IMAPS_PORT", true },
            new object[] { StartTlsProtocol.Pop3, "LAB_POP3_PORT", false },
            new object[] { StartTlsProtocol.Pop3, "LAB_POP3S_PORT", true },
        };

        [Theory]
        [MemberData(nameof(EveryLabPort))]
        public async Task Upgrades_to_tls13_with_a_valid_certificate(StartTlsProtocol protocol, string portKey, bool implicitTls)
        {
            var result = await new StartTlsTester().TestAsync(Lab.Current.Options(protocol, portKey, implicitTls));

            Lab.AssertUpgradedWithTheLabCertificate(result, implicitTls);
            Assert.Matches("^[0-9A-F]{40}$", result.CertificateThumbprint);
            Assert.InRange(result.CertificateDaysToExpiry!.Value, 1, 400);
            Assert.NotNull(result.CertificateKeyAlgorithm);
            Assert.True(result.CertificateKeySize >= 256);
            Assert.NotNull(result.Banner);
            Assert.NotNull(result.CapabilitiesAfterTls);
            if (implicitTls) Assert.Null(result.CapabilitiesBeforeTls);
            else Assert.NotNull(result.CapabilitiesBeforeTls);
            Assert.Equal("127.0.0.1", result.IPAddress);
            // The timings are ordered as the steps happen.
            Assert.True(result.ConnectMs <= result.TimeToSecureChannelMs && result.TimeToSecureChannelMs <= result.TotalMs);
            Assert.Equal(0, result.PlaintextBytesDiscardedAtUpgrade);
        }

        [Theory]
        [MemberData(nameof(EveryLabPort))]
        public async Task Certificate_is_invalid_without_the_lab_ca(StartTlsProtocol protocol, string portKey, bool implicitTls)
        {
            var result = await new StartTlsTester().TestAsync(Lab.Current.Options(protocol, portKey, implicitTls, trustLabCa: false));

            // The handshake still completes so that everything else can be diagnosed.
            Assert.Equal(StartTlsStatus.Success, result.Status);
            Assert.False(result.CertificateValid);
            Assert.False(result.CertificateChainValid);
            Assert.True(result.HostnameMatches);
            Assert.Contains("trusted root", result.CertificateError);
            // The lab servers send only their leaf, so the chain stops short (PartialChain) or at an unknown root.
            Assert.NotEqual(X509ChainStatusFlags.NoError, result.CertificateChainProblems & (X509ChainStatusFlags.UntrustedRoot | X509ChainStatusFlags.PartialChain));
            Assert.Matches("UntrustedRoot|PartialChain", result.CertificateChainStatus!.ToString());
            Assert.Contains("not valid", result.Reason);
            Assert.False(result.IsHealthy);
        }

        [Fact]
        public async Task Hostname_mismatch_when_connecting_by_a_name_not_in_the_sans()
        {
            var result = await new StartTlsTester().TestAsync(Lab.Current.Options(StartTlsProtocol.Smtp, "LAB_SMTP_PORT", host: "127.0.0.1"));

            Assert.Equal(StartTlsStatus.Success, result.Status);
            Assert.True(result.CertificateChainValid);
            Assert.False(result.HostnameMatches);
            Assert.False(result.CertificateValid);
            Assert.Contains("'127.0.0.1' is not in the certificate", result.CertificateError);
        }

        [Fact]
        public async Task Submission_offers_auth_only_after_tls()
        {
            var result = await new StartTlsTester().TestAsync(Lab.Current.Options(StartTlsProtocol.Submission, "LAB_SUBMISSION_PORT"));

            Assert.Equal(StartTlsStatus.Success, result.Status);
            Assert.DoesNotContain(result.CapabilitiesBeforeTls!, c => c.StartsWith("AUTH", StringComparison.Ordinal));
            Assert.Contains(result.CapabilitiesAfterTls!, c => c.StartsWith("AUTH PLAIN", StringComparison.Ordinal));
            Assert.Contains("STARTTLS", result.CapabilitiesBeforeTls!);
            Assert.DoesNotContain("STARTTLS", result.CapabilitiesAfterTls?.ToString() ?? "");
        }

        [Fact]
        public async Task Smtp_port_offers_no_auth_at_all()
        {
            var result = await new StartTlsTester().TestAsync(Lab.Current.Options(StartTlsProtocol.Smtp, "LAB_SMTP_PORT"));
            Assert.DoesNotContain(result.CapabilitiesBeforeTls!, c => c.StartsWith("AUTH", StringComparison.Ordinal));
            Assert.DoesNotContain(result.CapabilitiesAfterTls!, c => c.StartsWith("AUTH", StringComparison.Ordinal));
        }

        [Fact]
        public async Task Imap_hides_plaintext_login_before_tls()
        {
            var result = await Lab.Current.TestAsRemoteClientAsync(StartTlsProtocol.Imap, "LAB_IMAP_PORT");

            Assert.Equal(StartTlsStatus.Success, result.Status);
            Assert.True(result.CertificateValid);
            Assert.Contains("LOGINDISABLED", result.CapabilitiesBeforeTls!);
            Assert.DoesNotContain("AUTH=PLAIN", result.CapabilitiesBeforeTls?.ToString() ?? "");
            Assert.Contains("AUTH=PLAIN", result.CapabilitiesAfterTls!);
            Assert.DoesNotContain("LOGINDISABLED", result.CapabilitiesAfterTls?.ToString() ?? "");
            Assert.StartsWith("* OK", result.Banner);
        }

        [Fact]
        public async Task Pop3_offers_sasl_mechanisms_only_after_tls()
        {
            var result = await Lab.Current.TestAsRemoteClientAsync(StartTlsProtocol.Pop3, "LAB_POP3_PORT");

            Assert.Equal(StartTlsStatus.Success, result.Status);
            Assert.Contains("STLS", result.CapabilitiesBeforeTls!);
            Assert.DoesNotContain("PLAIN", result.CapabilitiesBeforeTls?.ToString() ?? "");
            Assert.DoesNotContain("USER", result.CapabilitiesBeforeTls?.ToString() ?? "");
            Assert.Contains("SASL PLAIN LOGIN", result.CapabilitiesAfterTls!);
        }

        [Fact]
        public async Task Real_server_without_tls_is_not_offered()
        {
            var result = await new StartTlsTester().TestAsync(Lab.Current.Options(StartTlsProtocol.Smtp, "LAB_SMTP_PLAIN_PORT"));

            Assert.Equal(StartTlsStatus.NotOffered, result.Status);
            Assert.False(result.StartTlsOffered);
            Assert.False(result.TlsEstablished);
            Assert.Null(result.CertificateValid);
            Assert.Contains("did not advertise STARTTLS", result.Reason);
            Assert.Contains("PIPELINING", result.CapabilitiesBeforeTls!);
        }

        [Fact]
        public async Task Transcript_shows_both_phases_when_asked()
        {
            var options = Lab.Current.Options(StartTlsProtocol.Smtp, "LAB_SMTP_PORT");
            options.IncludeTranscript = true;
            var result = await new StartTlsTester().TestAsync(options);

            var lines = result.Transcript!.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Contains(lines, l => l.Contains(" S plain 220 mail.lab.test ESMTP"));
            Assert.Contains(lines, l => l.Contains(" C plain EHLO client.lab.test"));
            Assert.Contains(lines, l => l.Contains(" C plain STARTTLS"));
            Assert.Contains(lines, l => l.Contains(" C tls   EHLO client.lab.test"));
            Assert.Contains(lines, l => l.Contains(" C tls   QUIT"));
            Assert.Null((await new StartTlsTester().TestAsync(Lab.Current.Options(StartTlsProtocol.Smtp, "LAB_SMTP_PORT"))).Transcript);
        }

        [Fact]
        public async Task Closed_port_is_connect_failed()
        {
            int port = FreePort();
            var result = await new StartTlsTester().TestAsync(new StartTlsTestOptions { HostName = "127.0.0.1", Port = port, Timeout = TimeSpan.FromSeconds(5) });

            Assert.Equal(StartTlsStatus.ConnectFailed, result.Status);
            Assert.Contains($"127.0.0.1:{port}", result.Reason);
            Assert.Null(result.ConnectMs);
        }

        [Fact]
        public async Task Listener_that_never_greets_times_out()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var result = await new StartTlsTester().TestAsync(new StartTlsTestOptions
            {
                HostName = "127.0.0.1",
                Port = ((IPEndPoint)listener.LocalEndpoint).Port,
                Timeout = TimeSpan.FromSeconds(1),
            });

            Assert.Equal(StartTlsStatus.Timeout, result.Status);
            Assert.Contains("greeting", result.Reason);
            Assert.NotNull(result.ConnectMs);
        }

        internal static int FreePort()
        {
            using var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            return ((IPEndPoint)probe.LocalEndpoint).Port;
        }
    }
}
