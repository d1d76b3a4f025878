using System;
using System.Collections.Generic;
using System.Threading.Tasks;

namespace StartTlsTools.Tests.Integration
{
    /// <summary>Compare-ImplicitVsStartTls's engine on the lab's real Postfix and Dovecot pairs of ports.</summary>
    [Collection("Lab")]
    public class CompareLabTests
    {
        private static ImplicitVsStartTlsOptions Options(StartTlsProtocol protocol, string startTlsKey, string implicitKey, int samples = 3)
        {
            var options = new ImplicitVsStartTlsOptions
            {
                HostName = "localhost",
                Protocol = protocol,
                Port = Lab.Current.LivePort(startTlsKey),
                ImplicitPort = Lab.Current.LivePort(implicitKey),
                Samples = samples,
                EhloName = "client.lab.test",
                Timeout = TimeSpan.FromSeconds(10),
            };
            options.TrustedRoots.Add(Lab.Current.Ca);
            return options;
        }

        public static IEnumerable<object[]> Pairs() => new[]
        {
            new object[] { StartTlsProtocol.Submission, "LAB_SUBMISSION_PORT", "LAB_SMTPS_PORT", "Postfix", "mail.lab.test", "STARTTLS", "RFC 8314 section 3.3" },
            new object[] { StartTlsProtocol.Imap, "LAB_IMAP_PORT", "LAB_IMAPS_PORT", "Dovecot", null!, "STARTTLS", "RFC 8314 section 3.2" },
            new object[] { StartTlsProtocol.Pop3, "LAB_POP3_PORT", "LAB_POP3S_PORT", "Dovecot", null!, "STLS", "RFC 8314 section 3.1" },
        };

        [Theory]
        [MemberData(nameof(Pairs))]
        public async Task Both_ports_measured_same_certificate_and_only_starttls_exposes_plaintext(
            StartTlsProtocol protocol, string startTlsKey, string implicitKey, string software, string? host, string startTlsKeyword, string rfc)
        {
            var c = await new ImplicitVsStartTlsComparer().CompareAsync(Options(protocol, startTlsKey, implicitKey));

            Assert.Equal(protocol, c.Protocol);
            Assert.Equal(3, c.Samples);
            Assert.Equal(Lab.Current.Port(startTlsKey), c.StartTlsPort);
            Assert.Equal(Lab.Current.Port(implicitKey), c.ImplicitPort);
            foreach (var (reachable, status, samples, median, min, max, version, cipher, thumbprint, valid) in new[]
            {
                (c.StartTlsReachable, c.StartTlsStatus, c.StartTlsSuccessfulSamples, c.StartTlsMedianMs, c.StartTlsMinMs, c.StartTlsMaxMs, c.StartTlsTlsVersion, c.StartTlsCipherSuite, c.StartTlsCertificateThumbprint, c.StartTlsCertificateValid),
                (c.ImplicitReachable, c.ImplicitStatus, c.ImplicitSuccessfulSamples, c.ImplicitMedianMs, c.ImplicitMinMs, c.ImplicitMaxMs, c.ImplicitTlsVersion, c.ImplicitCipherSuite, c.ImplicitCertificateThumbprint, c.ImplicitCertificateValid),
            })
            {
                Assert.True(reachable);
                Assert.Equal(StartTlsStatus.Success, status);
                Assert.Equal(3, samples);
                Assert.True(min > 0 && min <= median && median <= max, $"{min} <= {median} <= {max}");
                Assert.Equal(TlsProtocolVersion.Tls13, version);
                Assert.StartsWith("TLS_", cipher);
                Assert.Matches("^[0-9A-F]{40}$", thumbprint);
                Assert.True(valid);
            }
            Assert.Equal(c.StartTlsCertificateThumbprint, c.ImplicitCertificateThumbprint);
            Assert.True(c.SameCertificate);
            Assert.True(c.SameTlsVersion);
            Assert.True(c.SameCipherSuite);

            // STARTTLS: round trips and bytes in plaintext, and what they gave away.
            Assert.True(c.StartTlsRoundTrips > 0);
            Assert.True(c.StartTlsPlaintextBytesSent > 0);
            Assert.True(c.StartTlsPlaintextBytesReceived > 0);
            Assert.Contains(software, c.StartTlsExposedBanner);
            Assert.Equal(software, c.StartTlsExposedSoftware);
            Assert.Equal(host, c.StartTlsExposedHostName);
            Assert.Contains(startTlsKeyword, c.StartTlsExposedCapabilities?.ToString());

            // Implicit TLS: not one byte in plaintext, nothing exposed.
            Assert.Equal(0, c.ImplicitRoundTrips);
            Assert.Equal(0, c.ImplicitPlaintextBytesSent);
            Assert.Equal(0, c.ImplicitPlaintextBytesReceived);
            Assert.Null(c.ImplicitExposedBanner);
            Assert.Null(c.ImplicitExposedHostName);
            Assert.Null(c.ImplicitExposedSoftware);
            Assert.Null(c.ImplicitExposedCapabilities);

            Assert.Contains(rfc, c.Recommendation);
            Assert.StartsWith("Both work. Prefer implicit TLS on port " + c.ImplicitPort, c.Recommendation);
            Assert.True(c.TotalMs >= c.StartTlsMaxMs);
        }

        /// <summary>The same comparison on the other protocols that have both ports: slapd, vsftpd, INN and Prosody.</summary>
        [Theory]
        [InlineData(StartTlsProtocol.Ldap, "LAB_LDAP_PORT", "LAB_LDAPS_PORT", "1.3.6.1.4.1.1466.20037")]
        [InlineData(StartTlsProtocol.Ftp, "LAB_FTP_PORT", "LAB_FTPS_PORT", "AUTH TLS")]
        [InlineData(StartTlsProtocol.Nntp, "LAB_NNTP_PORT", "LAB_NNTPS_PORT", "STARTTLS")]
        [InlineData(StartTlsProtocol.Xmpp, "LAB_XMPP_PORT", "LAB_XMPPS_PORT", "starttls")]
        public async Task Other_protocols_with_both_ports_compare_the_same_way(StartTlsProtocol protocol, string startTlsKey, string implicitKey, string startTlsKeyword)
        {
            var c = await new ImplicitVsStartTlsComparer().CompareAsync(Options(protocol, startTlsKey, implicitKey, samples: 2));

            Assert.True(c.StartTlsReachable, c.StartTlsReason);
            Assert.True(c.ImplicitReachable, c.ImplicitReason);
            Assert.Equal(2, c.StartTlsSuccessfulSamples);
            Assert.Equal(2, c.ImplicitSuccessfulSamples);
            Assert.True(c.SameCertificate);
            Assert.Equal(TlsProtocolVersion.Tls13, c.StartTlsTlsVersion);
            Assert.Equal(TlsProtocolVersion.Tls13, c.ImplicitTlsVersion);
            Assert.True(c.StartTlsRoundTrips > 0);
            Assert.True(c.StartTlsPlaintextBytesReceived > 0);
            Assert.Contains(startTlsKeyword, c.StartTlsExposedCapabilities?.ToString());
            Assert.Equal(0, c.ImplicitRoundTrips);
            Assert.Equal(0, c.ImplicitPlaintextBytesSent);
            Assert.Equal(0, c.ImplicitPlaintextBytesReceived);
            Assert.Null(c.ImplicitExposedCapabilities);
            Assert.StartsWith("Both work. Prefer implicit TLS on port " + c.ImplicitPort, c.Recommendation);
        }

        [Fact]
        public async Task Implicit_port_without_tls_leaves_starttls_as_the_only_option()
        {
            // The plaintext-only Postfix port stands in for an implicit-TLS port that does not speak TLS.
            var c = await new ImplicitVsStartTlsComparer().CompareAsync(Options(StartTlsProtocol.Submission, "LAB_SUBMISSION_PORT", "LAB_SMTP_PLAIN_PORT", samples: 2));

            Assert.True(c.StartTlsReachable);
            Assert.Equal(2, c.StartTlsSuccessfulSamples);
            Assert.False(c.ImplicitReachable);
            Assert.NotEqual(StartTlsStatus.Success, c.ImplicitStatus);
            Assert.False(string.IsNullOrEmpty(c.ImplicitReason));
            // A side stops at its first failure.
            Assert.Equal(0, c.ImplicitSuccessfulSamples);
            Assert.Null(c.ImplicitMedianMs);
            Assert.Null(c.SameCertificate);
            Assert.StartsWith("STARTTLS is the only option", c.Recommendation);
            Assert.Contains("strip", c.Recommendation);
            Assert.Contains("RFC 8314 section 3.3", c.Recommendation);
        }
    }
}
