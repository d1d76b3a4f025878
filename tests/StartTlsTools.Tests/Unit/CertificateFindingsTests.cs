using System;
using System.Linq;
using System.Security.Cryptography.X509Certificates;
using StartTlsTools.Tests.Support;
using StartTlsTools.Tls;

namespace StartTlsTools.Tests.Unit
{
    /// <summary>
    /// Certificate findings from real certificates made on the fly, through the same CertificateInspector the
    /// engine uses after a handshake, then the analyzer. No network: the inspector needs only the certificates.
    /// </summary>
    public class CertificateFindingsTests
    {
        private const string Host = "mail.test.example";
        private static readonly Lazy<X509Certificate2> Ca = new Lazy<X509Certificate2>(() => TestCertificates.CreateCa());

        private static FindingList Inspect(X509Certificate2 leaf, bool trustCa = true, bool presentCa = false, string host = Host, int expiryDays = 30)
        {
            var result = new StartTlsResult { HostName = host, Port = 25, Status = StartTlsStatus.Success, TlsEstablished = true, TlsVersion = TlsProtocolVersion.Tls13 };
            var roots = new X509Certificate2Collection();
            if (trustCa) roots.Add(Ca.Value);
            var presented = new X509Certificate2Collection();
            if (presentCa) presented.Add(Ca.Value);
            CertificateInspector.Inspect(leaf, presented, roots, host, DateTime.UtcNow, result);
            return FindingAnalyzer.Analyze(result, new FindingOptions { ExpiryWarningDays = expiryDays });
        }

        private static string[] Ids(FindingList findings) => findings.Select(f => f.Id).ToArray();

        [Fact]
        public void Good_certificate_from_a_trusted_ca_has_no_findings()
        {
            using var leaf = TestCertificates.CreateLeaf(issuer: Ca.Value);
            Assert.Empty(Inspect(leaf));
        }

        [Fact]
        public void Expired_certificate()
        {
            using var leaf = TestCertificates.CreateLeaf(issuer: Ca.Value, notBefore: TestCertificates.Now.AddDays(-100), notAfter: TestCertificates.Now.AddDays(-2));
            var ids = Ids(Inspect(leaf));
            Assert.Contains("CertificateExpired", ids);
            Assert.DoesNotContain("CertificateExpiringSoon", ids);
            Assert.DoesNotContain("CertificateChainInvalid", ids); // the dates are reported once, by the date check
        }

        [Fact]
        public void Expired_leaf_from_a_root_the_user_trusts_is_expired_and_nothing_else()
        {
            // The bug: the OS-store pass failed for two reasons (no trusted root here, and the date), so the user's
            // root was never tried, and a complete chain was reported as CertificateChainIncomplete as well.
            using var leaf = TestCertificates.CreateLeaf(issuer: Ca.Value, notBefore: TestCertificates.Now.AddDays(-100), notAfter: TestCertificates.Now.AddDays(-2));
            var ids = Ids(Inspect(leaf, trustCa: true));
            Assert.Equal(new[] { "CertificateExpired" }, ids);
            // The same with the root sent along by the server.
            Assert.Equal(new[] { "CertificateExpired" }, Ids(Inspect(leaf, trustCa: true, presentCa: true)));
        }

        [Fact]
        public void A_certificate_name_that_spells_a_chain_flag_does_not_change_the_finding()
        {
            // The bug: the analyzer read the chain status back out of "[i] {Subject}: {flags}" text, and the subject
            // is the server's to choose. An untrusted chain whose CA calls itself ": PartialChain ..." is still untrusted.
            using var evilCa = TestCertificates.CreateCa("CN=Evil CA: PartialChain here");
            using var leaf = TestCertificates.CreateLeaf(issuer: evilCa);
            var result = new StartTlsResult { HostName = Host, Port = 25, Status = StartTlsStatus.Success, TlsEstablished = true };
            CertificateInspector.Inspect(leaf, new X509Certificate2Collection(evilCa), new X509Certificate2Collection(), Host, DateTime.UtcNow, result);
            var ids = Ids(FindingAnalyzer.Analyze(result));
            Assert.Contains("CertificateUntrusted", ids);
            Assert.DoesNotContain("CertificateChainIncomplete", ids);
        }

        [Fact]
        public void Not_yet_valid_certificate()
        {
            using var leaf = TestCertificates.CreateLeaf(issuer: Ca.Value, notBefore: TestCertificates.Now.AddDays(3), notAfter: TestCertificates.Now.AddDays(300));
            Assert.Contains("CertificateNotYetValid", Ids(Inspect(leaf)));
        }

        [Fact]
        public void Certificate_expiring_within_the_threshold()
        {
            using var leaf = TestCertificates.CreateLeaf(issuer: Ca.Value, notAfter: TestCertificates.Now.AddDays(12));
            Assert.Equal(new[] { "CertificateExpiringSoon" }, Ids(Inspect(leaf)));
            Assert.Empty(Inspect(leaf, expiryDays: 7));
        }

        [Fact]
        public void Wrong_name()
        {
            using var leaf = TestCertificates.CreateLeaf("other.test.example", issuer: Ca.Value);
            var finding = Assert.Single(Inspect(leaf));
            Assert.Equal("CertificateNameMismatch", finding.Id);
            Assert.Contains("other.test.example", finding.Detail);
        }

        [Fact]
        public void Self_signed_certificate()
        {
            using var leaf = TestCertificates.CreateLeaf();
            var ids = Ids(Inspect(leaf, trustCa: false));
            Assert.Contains("CertificateSelfSigned", ids);
            Assert.DoesNotContain("CertificateUntrusted", ids);
            // Pinned by the user as a trusted root, the same certificate is fine.
            var result = new StartTlsResult { HostName = Host, TlsEstablished = true };
            CertificateInspector.Inspect(leaf, new X509Certificate2Collection(), new X509Certificate2Collection(leaf), Host, DateTime.UtcNow, result);
            Assert.DoesNotContain(FindingAnalyzer.Analyze(result), f => f.Id == "CertificateSelfSigned");
        }

        [Fact]
        public void Chain_ending_in_an_unknown_root_is_untrusted()
        {
            using var leaf = TestCertificates.CreateLeaf(issuer: Ca.Value);
            var ids = Ids(Inspect(leaf, trustCa: false, presentCa: true));
            Assert.Contains("CertificateUntrusted", ids);
            Assert.DoesNotContain("CertificateChainIncomplete", ids);
        }

        [Fact]
        public void Chain_without_its_issuer_is_incomplete()
        {
            using var leaf = TestCertificates.CreateLeaf(issuer: Ca.Value);
            var ids = Ids(Inspect(leaf, trustCa: false, presentCa: false));
            Assert.Contains("CertificateChainIncomplete", ids);
            Assert.DoesNotContain("CertificateUntrusted", ids);
        }

        [Fact]
        public void Rsa_1024_key()
        {
            using var leaf = TestCertificates.CreateLeaf(issuer: Ca.Value, keyBits: 1024);
            var finding = Assert.Single(Inspect(leaf), f => f.Id == "CertificateWeakKey");
            Assert.Contains("1024-bit", finding.Detail);
            using var good = TestCertificates.CreateLeaf(issuer: Ca.Value, keyBits: 2048);
            Assert.DoesNotContain(Inspect(good), f => f.Id == "CertificateWeakKey");
        }

        [Fact]
        public void Sha1_signed_certificate()
        {
            using var leaf = TestCertificates.CreateLeaf(issuer: Ca.Value, hash: "SHA1");
            var finding = Assert.Single(Inspect(leaf), f => f.Id == "CertificateWeakSignature");
            Assert.Equal(FindingSeverity.Medium, finding.Severity);
            Assert.Contains("sha1", finding.Detail, StringComparison.OrdinalIgnoreCase);
        }
    }
}
