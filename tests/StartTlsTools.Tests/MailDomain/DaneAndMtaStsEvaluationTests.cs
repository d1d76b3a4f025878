using System;
using System.Linq;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using StartTlsTools.MailDomain;
using StartTlsTools.Resolution;
using StartTlsTools.Tests.Support;

namespace StartTlsTools.Tests.MailDomain
{
    /// <summary>What the domain test makes of TLSA answers and of a test result: DANE status, MTA-STS per MX, findings.</summary>
    public sealed class DaneAndMtaStsEvaluationTests
    {
        private static readonly X509Certificate2 Ca = TestCertificates.CreateCa("CN=Evaluation CA");
        private static readonly X509Certificate2 Leaf = TestCertificates.CreateLeaf("mx.example.test", Ca);
        private static TlsaRecord EeRecord => new TlsaRecord(3, 1, 1, SHA256.HashData(DaneMatcher.SubjectPublicKeyInfo(Leaf)!));

        private static StartTlsResult Upgraded(TlsProtocolVersion version = TlsProtocolVersion.Tls13, bool certificateValid = true) => new StartTlsResult
        {
            HostName = "mx.example.test",
            Port = 25,
            Protocol = StartTlsProtocol.Smtp,
            Status = StartTlsStatus.Success,
            TlsEstablished = true,
            StartTlsOffered = true,
            TlsVersion = version,
            CertificateValid = certificateValid,
            CertificateError = certificateValid ? null : "The name 'mx.example.test' is not in the certificate's subject alternative names.",
            PresentedCertificates = new[] { Leaf, Ca },
        };

        private static async Task<(StartTlsResult Result, System.Collections.Generic.List<Finding> Findings)> Dane(FakeDnsResolver dns, StartTlsResult? result = null)
        {
            result ??= Upgraded();
            TlsaLookup lookup = await DaneCheck.LookupAsync(dns, "mx.example.test", 25, null, CancellationToken.None);
            return (result, DaneCheck.Apply(lookup, result, smtpRules: true, DateTime.UtcNow));
        }

        [Fact]
        public async Task A_secure_matching_record_gives_matched_and_no_finding()
        {
            var (result, findings) = await Dane(new FakeDnsResolver().Tlsa("_25._tcp.mx.example.test", DnssecStatus.Secure, EeRecord));
            Assert.Equal(DaneStatus.Matched, result.DaneStatus);
            Assert.Equal(0, result.DaneMatchedDepth);
            Assert.Equal(EeRecord.ToString(), result.DaneMatchedRecord);
            Assert.Empty(findings);
        }

        [Fact]
        public async Task A_non_loopback_resolver_with_the_ad_bit_is_relied_on_with_a_finding()
        {
            var dns = new FakeDnsResolver { TrustedToValidate = false }
                .Add("_25._tcp.mx.example.test", DnsRecordType.TLSA, a => { a.TlsaRecords = new[] { EeRecord }; a.AuthenticatedData = true; }, DnsLookupStatus.Success, DnssecStatus.Unknown);
            var (result, findings) = await Dane(dns);
            Assert.Equal(DaneStatus.Matched, result.DaneStatus);
            Assert.Equal("DaneResolverNotLocal", findings.Single().Id);

            var clear = new FakeDnsResolver { TrustedToValidate = false }
                .Add("_25._tcp.mx.example.test", DnsRecordType.TLSA, a => a.TlsaRecords = new[] { EeRecord }, DnsLookupStatus.Success, DnssecStatus.Unknown);
            var (notSecure, notSecureFindings) = await Dane(clear);
            Assert.Equal(DaneStatus.NotSecure, notSecure.DaneStatus);
            Assert.Equal("DaneRecordsNotSecure", notSecureFindings.Single().Id);
        }

        [Theory]
        [InlineData(DnsLookupStatus.ServerFailure, DnssecStatus.Bogus, "DnssecBogus")]
        [InlineData(DnsLookupStatus.Timeout, DnssecStatus.Unknown, "DaneLookupFailed")]
        public async Task A_failed_tlsa_lookup_is_data_and_a_finding(DnsLookupStatus status, DnssecStatus dnssec, string finding)
        {
            var (result, findings) = await Dane(new FakeDnsResolver().Fail("_25._tcp.mx.example.test", DnsRecordType.TLSA, status, dnssec));
            Assert.Equal(DaneStatus.LookupFailed, result.DaneStatus);
            Assert.Equal(finding, findings.Single().Id);
        }

        [Fact]
        public async Task No_records_and_no_tls_are_not_findings()
        {
            var (none, noneFindings) = await Dane(new FakeDnsResolver().Empty("_25._tcp.mx.example.test", DnsRecordType.TLSA));
            Assert.Equal(DaneStatus.NoRecords, none.DaneStatus);
            Assert.Empty(noneFindings);

            var notUp = new StartTlsResult { HostName = "mx.example.test", Port = 25, Status = StartTlsStatus.NotOffered };
            var (untested, untestedFindings) = await Dane(new FakeDnsResolver().Tlsa("_25._tcp.mx.example.test", DnssecStatus.Secure, EeRecord), notUp);
            Assert.Equal(DaneStatus.NotChecked, untested.DaneStatus);
            Assert.Contains("no TLS handshake", untested.DaneReason);
            Assert.Empty(untestedFindings);
        }

        [Fact]
        public async Task A_secure_cname_moves_the_tlsa_lookup_to_its_target_first()
        {
            var dns = new FakeDnsResolver().Tlsa("_25._tcp.real.example.test", DnssecStatus.Secure, EeRecord);
            var address = new DnsAnswer("mx.example.test", DnsRecordType.A, DnsLookupStatus.Success, DnssecStatus.Secure, "") { CnameChain = new[] { "mx.example.test", "real.example.test" } };
            TlsaLookup lookup = await DaneCheck.LookupAsync(dns, "mx.example.test", 25, address, CancellationToken.None);
            Assert.Equal("_25._tcp.real.example.test", lookup.Answer.Name);
            Assert.Equal(new[] { "real.example.test", "mx.example.test" }, lookup.ReferenceNames);

            var insecureAlias = new DnsAnswer("mx.example.test", DnsRecordType.A, DnsLookupStatus.Success, DnssecStatus.Insecure, "") { CnameChain = new[] { "mx.example.test", "real.example.test" } };
            TlsaLookup original = await DaneCheck.LookupAsync(dns, "mx.example.test", 25, insecureAlias, CancellationToken.None);
            Assert.Equal("_25._tcp.mx.example.test", original.Answer.Name);
        }

        [Fact]
        public async Task Dane_for_test_starttls_skips_addresses_and_adds_findings()
        {
            var literal = new StartTlsResult { HostName = "192.0.2.1", Port = 25 };
            await DaneForTest.CheckAsync(new FakeDnsResolver(), literal, CancellationToken.None);
            Assert.Equal(DaneStatus.NotChecked, literal.DaneStatus);
            Assert.Contains("host name", literal.DaneReason);

            var result = Upgraded();
            result.Findings = new FindingList(new[] { new Finding("CipherSuiteWeak", FindingSeverity.Low, "t", "d", "r") });
            await DaneForTest.CheckAsync(new FakeDnsResolver().Tlsa("_25._tcp.mx.example.test", DnssecStatus.Secure, new TlsaRecord(3, 1, 1, new byte[32])), result, CancellationToken.None);
            Assert.Equal(DaneStatus.Mismatch, result.DaneStatus);
            Assert.Equal("DaneMismatch; CipherSuiteWeak", result.FindingIds);
        }

        private static MtaStsPolicyResult Policy(string text)
        {
            var parsed = MtaStsPolicy.Parse(text);
            return new MtaStsPolicyResult { Status = parsed.IsValid ? MtaStsStatus.Valid : MtaStsStatus.PolicyInvalid, Mode = parsed.Mode, Parsed = parsed };
        }

        [Fact]
        public void Mta_sts_per_mx_needs_a_pattern_tls_12_and_a_valid_certificate()
        {
            var enforce = Policy("version: STSv1\nmode: enforce\nmx: *.example.test\nmax_age: 86400");
            var ok = MtaStsChecker.EvaluateMx(enforce, "mx.example.test", Upgraded());
            Assert.Equal((true, true), (ok.Covered, ok.Compliant));
            Assert.Empty(ok.Findings);

            var old = MtaStsChecker.EvaluateMx(enforce, "mx.example.test", Upgraded(TlsProtocolVersion.Tls11));
            Assert.False(old.Compliant);
            Assert.Equal("MtaStsTlsRequirementNotMet", old.Findings.Single().Id);

            var badCert = MtaStsChecker.EvaluateMx(enforce, "mx.example.test", Upgraded(certificateValid: false));
            Assert.Equal("MtaStsCertificateNameMismatch", badCert.Findings.Single().Id);

            var noTls = MtaStsChecker.EvaluateMx(enforce, "mx.example.test", new StartTlsResult { Status = StartTlsStatus.NotOffered, Reason = "no STARTTLS" });
            Assert.Equal("MtaStsTlsRequirementNotMet", noTls.Findings.Single().Id);

            var uncovered = MtaStsChecker.EvaluateMx(enforce, "mx.other.test", Upgraded());
            Assert.False(uncovered.Covered);
            Assert.Equal(FindingSeverity.High, uncovered.Findings.Single().Severity);
        }

        [Fact]
        public void Mta_sts_testing_lowers_coverage_and_none_asks_nothing()
        {
            var testing = MtaStsChecker.EvaluateMx(Policy("version: STSv1\nmode: testing\nmx: a.example.test\nmax_age: 1"), "mx.example.test", Upgraded());
            Assert.Equal(FindingSeverity.Medium, testing.Findings.Single().Severity);
            var none = MtaStsChecker.EvaluateMx(Policy("version: STSv1\nmode: none\nmax_age: 1"), "mx.example.test", Upgraded(TlsProtocolVersion.Tls10, false));
            Assert.Empty(none.Findings);
            var invalid = MtaStsChecker.EvaluateMx(Policy("mode: enforce"), "mx.example.test", Upgraded());
            Assert.Null(invalid.Covered);
            Assert.Null(invalid.Compliant);
        }

        [Fact]
        public async Task The_domain_test_reports_an_ip_literal_mx_without_connecting()
        {
            var dns = new FakeDnsResolver().Mx("literal.example.test", (10, "192.0.2.7")).Txt("_smtp._tls.literal.example.test", "v=TLSRPTv1; rua=mailto:a@example.test");
            var rows = await new MailDomainTester(dns).TestAsync(new MailDomainTestOptions { Domain = "literal.example.test", Timeout = TimeSpan.FromSeconds(2) });
            MailDomainResult row = Assert.Single(rows);
            Assert.Equal("192.0.2.7", row.HostName);
            Assert.Null(row.Status);
            Assert.Equal("MxIsIpLiteral", row.FindingIds);
            Assert.Equal(MtaStsStatus.NotPublished, row.MtaStsStatus);
        }
    }
}
