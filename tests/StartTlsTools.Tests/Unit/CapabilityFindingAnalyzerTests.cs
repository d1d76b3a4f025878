using System.Collections.Generic;
using System.Linq;
using StartTlsTools.Probing;
using Xunit;

namespace StartTlsTools.Tests.Unit
{
    public class CapabilityFindingAnalyzerTests
    {
        private static TlsCipherSuiteResult Row(string version, string ianaName)
        {
            var suite = CipherSuiteRegistry.All.First(s => s.IanaName == ianaName);
            return new TlsCipherSuiteResult { TlsVersion = version, CipherSuite = suite.IanaName, Rating = suite.Rating };
        }

        private static FindingList Analyze(string? serverOrder, params TlsCipherSuiteResult[] rows) =>
            CapabilityFindingAnalyzer.Analyze(new TlsCapabilitySummary { ServerOrder = serverOrder }, rows);

        [Fact]
        public void Modern_server_has_no_findings()
        {
            var findings = Analyze("TLSv1.2=Server; TLSv1.3=Client",
                Row("TLSv1.3", "TLS_AES_256_GCM_SHA384"), Row("TLSv1.2", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"));
            Assert.Empty(findings);
        }

        [Fact]
        public void Nothing_accepted_is_no_finding()
        {
            Assert.Empty(Analyze(null));
        }

        [Theory]
        [InlineData("TLSv1.0", FindingSeverity.High)]
        [InlineData("TLSv1.1", FindingSeverity.High)]
        [InlineData("SSLv3", FindingSeverity.Critical)]
        public void Legacy_versions_are_found_with_their_severity(string version, FindingSeverity severity)
        {
            var findings = Analyze(null, Row("TLSv1.3", "TLS_AES_128_GCM_SHA256"), Row(version, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"));
            var legacy = Assert.Single(findings, f => f.Id == CapabilityFindingAnalyzer.LegacyVersionAccepted);
            Assert.Equal(severity, legacy.Severity);
            Assert.Contains(version, legacy.Detail);
            Assert.Equal(findings.Max(f => f.Severity), findings[0].Severity);
        }

        [Fact]
        public void Missing_tls13_is_low()
        {
            var finding = Assert.Single(Analyze(null, Row("TLSv1.2", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256")));
            Assert.Equal(CapabilityFindingAnalyzer.Tls13NotSupported, finding.Id);
            Assert.Equal(FindingSeverity.Low, finding.Severity);
        }

        [Fact]
        public void Insecure_and_weak_suites_are_counted_and_named_and_client_order_then_matters()
        {
            var rows = new List<TlsCipherSuiteResult>
            {
                Row("TLSv1.3", "TLS_AES_128_GCM_SHA256"),
                Row("TLSv1.2", "TLS_RSA_WITH_RC4_128_SHA"),
                Row("TLSv1.2", "TLS_RSA_WITH_3DES_EDE_CBC_SHA"),
                Row("TLSv1.2", "TLS_RSA_WITH_AES_128_GCM_SHA256"),
            };
            var findings = Analyze("TLSv1.2=Client; TLSv1.3=Client", rows.ToArray());

            var insecure = Assert.Single(findings, f => f.Id == CapabilityFindingAnalyzer.InsecureCipherSuitesAccepted);
            Assert.Equal(FindingSeverity.High, insecure.Severity);
            Assert.StartsWith("1 accepted", insecure.Detail);
            Assert.Contains("TLS_RSA_WITH_RC4_128_SHA", insecure.Detail);
            var weak = Assert.Single(findings, f => f.Id == CapabilityFindingAnalyzer.WeakCipherSuitesAccepted);
            Assert.StartsWith("2 accepted", weak.Detail);
            Assert.Contains(findings, f => f.Id == CapabilityFindingAnalyzer.ClientCipherOrder && f.Severity == FindingSeverity.Info);
            Assert.Equal(FindingSeverity.High, findings[0].Severity);
        }

        [Fact]
        public void Client_order_alone_is_not_a_finding_when_every_suite_is_good()
        {
            var findings = Analyze("TLSv1.3=Client", Row("TLSv1.3", "TLS_AES_128_GCM_SHA256"), Row("TLSv1.3", "TLS_CHACHA20_POLY1305_SHA256"));
            Assert.Empty(findings);
        }
    }
}
