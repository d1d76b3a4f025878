using System;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using StartTlsTools.Tls;

namespace StartTlsTools.Tests.Unit
{
    public class HostnameMatcherTests
    {
        [Theory]
        [InlineData("mail.contoso.com", "mail.contoso.com", true)]
        [InlineData("MAIL.contoso.com", "mail.CONTOSO.com", true)]
        [InlineData("*.contoso.com", "mail.contoso.com", true)]
        [InlineData("*.contoso.com", "a.b.contoso.com", false)]
        [InlineData("*.contoso.com", "contoso.com", false)]
        [InlineData("*.com", "contoso.com", false)]
        [InlineData("mail.contoso.com.", "mail.contoso.com", true)]
        [InlineData("mail.contoso.com", "mail.contoso.org", false)]
        public void Patterns_follow_rfc6125(string pattern, string host, bool expected) =>
            Assert.Equal(expected, HostnameMatcher.MatchesPattern(pattern, host));

        [Fact]
        public void Reads_dns_and_ip_subject_alternative_names_and_matches_by_them()
        {
            using var cert = SelfSigned("CN=ignored.example", san =>
            {
                san.AddDnsName("mail.contoso.com");
                san.AddDnsName("*.mx.contoso.com");
                san.AddIpAddress(IPAddress.Parse("192.0.2.25"));
                san.AddIpAddress(IPAddress.Parse("2001:db8::25"));
            });
            var names = HostnameMatcher.ReadSubjectAltNames(cert);
            Assert.Equal(new[] { "mail.contoso.com", "*.mx.contoso.com" }, names.Dns);
            Assert.Equal(2, names.IPAddresses.Count);
            Assert.True(HostnameMatcher.Matches(cert, "mail.contoso.com"));
            Assert.True(HostnameMatcher.Matches(cert, "a.mx.contoso.com"));
            Assert.True(HostnameMatcher.Matches(cert, "192.0.2.25"));
            Assert.True(HostnameMatcher.Matches(cert, "[2001:db8::25]"));
            Assert.False(HostnameMatcher.Matches(cert, "192.0.2.26"));
            // With DNS SANs present the common name must not be used (RFC 6125 6.4.4).
            Assert.False(HostnameMatcher.Matches(cert, "ignored.example"));
        }

        [Fact]
        public void Falls_back_to_the_common_name_only_without_dns_sans()
        {
            using var cert = SelfSigned("CN=legacy.contoso.com", null);
            Assert.True(HostnameMatcher.Matches(cert, "legacy.contoso.com"));
            Assert.False(HostnameMatcher.Matches(cert, "other.contoso.com"));
        }

        internal static X509Certificate2 SelfSigned(string subject, Action<SubjectAlternativeNameBuilder>? addNames)
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
            if (addNames != null)
            {
                var builder = new SubjectAlternativeNameBuilder();
                addNames(builder);
                request.CertificateExtensions.Add(builder.Build());
            }
            return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        }
    }
}
