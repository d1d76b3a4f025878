using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using StartTlsTools.MailDomain;
using StartTlsTools.Resolution;
using StartTlsTools.Transport;

namespace StartTlsTools.Tests.Integration
{
    /// <summary>
    /// The mail-domain checks against the lab's real NSD (signed lab.test), validating unbound, nginx (MTA-STS) and MX
    /// Postfix on port 25: every lab domain with its exact verdicts and findings. DnsClient only ever asks the lab resolver.
    /// </summary>
    public sealed class MailDomainLabTests
    {
        private static Lab L => Lab.Current;

        internal static IPEndPoint Resolver
        {
            get
            {
                string? problem = DnsServerEndpoint.TryParse(L["LAB_DNS_RESOLVER"], out IPEndPoint endpoint);
                Assert.Null(problem);
                L.LivePort("LAB_DNS_RESOLVER_PORT");
                return endpoint;
            }
        }

        internal static MailDomainTestOptions Options(string domain)
        {
            var options = new MailDomainTestOptions { Domain = domain, DnsServer = Resolver, EhloName = "client.lab.test", Timeout = TimeSpan.FromSeconds(10) };
            options.TrustedRoots.Add(L.Ca);
            return options;
        }

        private static async Task<IReadOnlyList<MailDomainResult>> Test(string label) =>
            await MailDomainTester.ForOptions(Options(label + "." + L["LAB_DNS_ZONE"])).TestAsync(Options(label + "." + L["LAB_DNS_ZONE"]));

        private static string Name(string label) => label + "." + L["LAB_DNS_ZONE"];

        /// <summary>
        /// The row's findings are exactly <paramref name="ids"/>, besides the Info StartTlsOptional that every lab MX gets:
        /// the domain test always checks enforcement, and the lab's Postfix MX accepts MAIL FROM in plaintext, as a public
        /// MX should (RFC 3207 section 4).
        /// </summary>
        private static void AssertFindings(MailDomainResult row, params string[] ids)
        {
            Assert.Equal(ids.OrderBy(i => i), row.Findings.Select(f => f.Id).Where(i => i != FindingAnalyzer.StartTlsOptional).OrderBy(i => i));
            if (row.Status == StartTlsStatus.Success)
            {
                Assert.False(row.TlsRequired, row.TlsRequiredEvidence);
                Assert.Equal(FindingSeverity.Info, Assert.Single(row.Findings, f => f.Id == FindingAnalyzer.StartTlsOptional).Severity);
            }
        }

        private static void AssertTested(MailDomainResult row, string host, string address)
        {
            Assert.Equal(Name(host), row.HostName);
            Assert.Equal(L[address], row.IPAddress);
            Assert.True(row.Status == StartTlsStatus.Success, row.Reason);
            Assert.Equal(TlsProtocolVersion.Tls13, row.TlsVersion);
            Assert.Equal(25, row.Port);
        }

        [Fact]
        public void Lab_env_lists_the_resolver_and_every_domain()
        {
            Assert.Equal(18, L["LAB_MAIL_DOMAINS"].Split(',').Length);
            Assert.StartsWith("127.", L["LAB_MX1_ADDRESS"]);
            Assert.NotEqual("127.0.0", string.Join(".", L["LAB_MX1_ADDRESS"].Split('.').Take(3)));
        }

        [Fact]
        public async Task The_resolver_reports_secure_insecure_and_bogus_answers_and_refuses_the_outside()
        {
            var dns = new DnsClientResolver(Resolver, TimeSpan.FromSeconds(5));
            Assert.True(dns.TrustedToValidate);
            DnsAnswer secure = await dns.QueryAsync(Name("good"), DnsRecordType.MX, CancellationToken.None);
            Assert.Equal((DnsLookupStatus.Success, DnssecStatus.Secure), (secure.Status, secure.Dnssec));
            DnsAnswer insecure = await dns.QueryAsync(Name("insecure"), DnsRecordType.MX, CancellationToken.None);
            Assert.Equal((DnsLookupStatus.Success, DnssecStatus.Insecure), (insecure.Status, insecure.Dnssec));
            DnsAnswer bogus = await dns.QueryAsync(Name("bogus"), DnsRecordType.MX, CancellationToken.None);
            Assert.Equal((DnsLookupStatus.ServerFailure, DnssecStatus.Bogus), (bogus.Status, bogus.Dnssec));
            Assert.Contains("secure DS set", bogus.Reason);
            DnsAnswer missing = await dns.QueryAsync(Name("no-such-domain"), DnsRecordType.MX, CancellationToken.None);
            Assert.Equal((DnsLookupStatus.NameNotFound, DnssecStatus.Secure), (missing.Status, missing.Dnssec));
            DnsAnswer outside = await dns.QueryAsync("example.com", DnsRecordType.A, CancellationToken.None);
            Assert.Equal(DnsLookupStatus.Refused, outside.Status);
            DnsAnswer alias = await dns.QueryAsync(Name("mx-alias"), DnsRecordType.A, CancellationToken.None);
            Assert.Equal(new[] { Name("mx-alias"), Name("mx1") }, alias.CnameChain);
            Assert.Equal(L["LAB_MX1_ADDRESS"], alias.Addresses.Single().ToString());
        }

        [Fact]
        public async Task Good_two_mx_by_preference_dane_ee_mta_sts_enforce_and_tls_rpt()
        {
            var rows = await Test("good");
            Assert.Equal(2, rows.Count);
            AssertTested(rows[0], "mx1", "LAB_MX1_ADDRESS");
            AssertTested(rows[1], "mx2", "LAB_MX2_ADDRESS");
            Assert.Equal(new int?[] { 10, 20 }, rows.Select(r => r.Preference));
            foreach (var row in rows)
            {
                AssertFindings(row);
                Assert.Equal(DnssecStatus.Secure, row.MxDnssec);
                Assert.Equal(DaneStatus.Matched, row.DaneStatus);
                Assert.Equal(0, row.DaneMatchedDepth);
                Assert.StartsWith("3 1 1 ", row.DaneMatchedRecord);
                Assert.Equal((MtaStsStatus.Valid, (MtaStsMode?)MtaStsMode.Enforce, (bool?)true, (bool?)true), (row.MtaStsStatus, row.MtaStsMode, row.MtaStsMxCovered, row.MtaStsCompliant));
                Assert.Equal(TlsRptStatus.Valid, row.TlsRptStatus);
                Assert.Equal(2, row.TlsRptUris.Count);
                Assert.True(row.CertificateValid, row.CertificateError);
            }
        }

        [Fact]
        public async Task Dane_ta_matches_the_lab_ca_at_depth_one()
        {
            var row = Assert.Single(await Test("dane-ta"));
            AssertTested(row, "mx-ta", "LAB_MX2_ADDRESS");
            Assert.Equal((DaneStatus.Matched, (int?)1), (row.DaneStatus, row.DaneMatchedDepth));
            Assert.StartsWith("2 0 1 ", row.DaneMatchedRecord);
            Assert.Equal(MtaStsStatus.NotPublished, row.MtaStsStatus);
            AssertFindings(row);
        }

        [Fact]
        public async Task Dane_mismatch()
        {
            var row = Assert.Single(await Test("dane-mismatch"));
            AssertTested(row, "mx-mismatch", "LAB_MX1_ADDRESS");
            Assert.Equal(DaneStatus.Mismatch, row.DaneStatus);
            Assert.Null(row.DaneMatchedRecord);
            AssertFindings(row, "DaneMismatch");
        }

        [Fact]
        public async Task Dane_pkix_usage_is_unusable_for_smtp()
        {
            var row = Assert.Single(await Test("dane-pkix"));
            Assert.Equal(DaneStatus.NoUsableRecords, row.DaneStatus);
            AssertFindings(row, "DaneUsageUnusableForSmtp");
            Assert.Equal(FindingSeverity.Medium, row.Findings.Single(f => f.Id == "DaneUsageUnusableForSmtp").Severity);
        }

        [Fact]
        public async Task Tlsa_in_an_insecure_zone_is_not_used()
        {
            var row = Assert.Single(await Test("insecure"));
            AssertTested(row, "mx.insecure", "LAB_MX1_ADDRESS");
            Assert.Equal(DnssecStatus.Insecure, row.MxDnssec);
            Assert.Equal(DnssecStatus.Insecure, row.TlsaDnssec);
            Assert.Equal(DaneStatus.NotSecure, row.DaneStatus);
            Assert.Single(row.TlsaRecords);
            AssertFindings(row, "DaneRecordsNotSecure");
        }

        [Fact]
        public async Task A_bogus_zone_is_dnssec_bogus_and_nothing_is_connected()
        {
            var row = Assert.Single(await Test("bogus"));
            Assert.Equal("", row.HostName);
            Assert.Null(row.Status);
            Assert.Equal(DnssecStatus.Bogus, row.MxDnssec);
            Assert.Equal(MtaStsStatus.LookupFailed, row.MtaStsStatus);
            Assert.Equal(TlsRptStatus.LookupFailed, row.TlsRptStatus);
            AssertFindings(row, "DnssecBogus");
        }

        [Fact]
        public async Task Mta_sts_testing_mode_with_a_wildcard_pattern()
        {
            var row = Assert.Single(await Test("sts-testing"));
            Assert.Equal((MtaStsStatus.Valid, (MtaStsMode?)MtaStsMode.Testing, (bool?)true), (row.MtaStsStatus, row.MtaStsMode, row.MtaStsMxCovered));
            Assert.Equal("*.lab.test", row.MtaStsMxPatterns.Single());
            AssertFindings(row, "MtaStsTestingMode");
        }

        [Fact]
        public async Task Mta_sts_policy_missing_one_mx()
        {
            var rows = await Test("sts-uncovered");
            Assert.Equal(2, rows.Count);
            Assert.True(rows[0].MtaStsMxCovered);
            AssertFindings(rows[0]);
            Assert.False(rows[1].MtaStsMxCovered);
            AssertFindings(rows[1], "MtaStsMxNotCovered");
            Assert.Equal(FindingSeverity.High, rows[1].Findings.Single(f => f.Id == "MtaStsMxNotCovered").Severity);
        }

        [Theory]
        [InlineData("sts-unreachable", "MtaStsPolicyUnreachable", MtaStsStatus.PolicyUnreachable, "could not be reached")]
        [InlineData("sts-nopolicy", "MtaStsPolicyUnreachable", MtaStsStatus.PolicyUnreachable, "HTTP 404")]
        [InlineData("sts-malformed", "MtaStsPolicyInvalid", MtaStsStatus.PolicyInvalid, "mode 'enforced'")]
        public async Task Broken_mta_sts(string label, string finding, MtaStsStatus status, string reason)
        {
            var row = Assert.Single(await Test(label));
            AssertTested(row, "mx1", "LAB_MX1_ADDRESS");
            Assert.Equal(status, row.MtaStsStatus);
            Assert.Contains(reason, row.MtaStsReason);
            Assert.Null(row.MtaStsMxCovered);
            AssertFindings(row, finding);
        }

        [Fact]
        public async Task Mta_sts_enforce_with_a_certificate_not_valid_for_the_mx_name()
        {
            var row = Assert.Single(await Test("sts-badcert"));
            Assert.Equal(Name("mx-nosan"), row.HostName);
            Assert.True(row.MtaStsMxCovered);
            Assert.False(row.MtaStsCompliant);
            Assert.Equal(DaneStatus.NoRecords, row.DaneStatus);
            AssertFindings(row, "CertificateNameMismatch", "MtaStsCertificateNameMismatch");
        }

        [Theory]
        [InlineData("tlsrpt-bad", TlsRptStatus.Invalid, "TlsRptInvalid")]
        [InlineData("tlsrpt-missing", TlsRptStatus.NotPublished, "TlsRptMissing")]
        public async Task Tls_rpt_malformed_and_missing(string label, TlsRptStatus status, string finding)
        {
            var row = Assert.Single(await Test(label));
            Assert.Equal(status, row.TlsRptStatus);
            Assert.Equal(DaneStatus.Matched, row.DaneStatus);
            AssertFindings(row, finding);
        }

        [Fact]
        public async Task Null_mx()
        {
            var row = Assert.Single(await Test("nullmx"));
            Assert.Equal("", row.HostName);
            Assert.Null(row.Status);
            Assert.Empty(row.MailExchangers);
            AssertFindings(row, "NullMx");
        }

        [Fact]
        public async Task No_mx_is_the_implicit_mx()
        {
            var row = Assert.Single(await Test("implicit"));
            AssertTested(row, "implicit", "LAB_MX1_ADDRESS");
            Assert.Null(row.Preference);
            Assert.Equal(DaneStatus.Matched, row.DaneStatus);
            AssertFindings(row, "ImplicitMx");
        }

        [Fact]
        public async Task Mx_as_cname_is_a_finding_and_dane_follows_the_expanded_name()
        {
            var row = Assert.Single(await Test("mx-cname"));
            AssertTested(row, "mx-alias", "LAB_MX1_ADDRESS");
            Assert.Equal(DaneStatus.Matched, row.DaneStatus);
            AssertFindings(row, "MxIsCname");
        }

        [Fact]
        public async Task Mx_without_address()
        {
            var row = Assert.Single(await Test("mx-noaddr"));
            Assert.Equal(Name("mx-missing"), row.HostName);
            Assert.Null(row.IPAddress);
            Assert.Null(row.Status);
            AssertFindings(row, "MxWithoutAddress");
        }

        [Fact]
        public async Task Get_mta_sts_policy_reads_the_policy_nginx_serves()
        {
            var dns = new DnsClientResolver(Resolver, TimeSpan.FromSeconds(5));
            var roots = new X509Certificate2Collection { L.Ca };
            MtaStsPolicyResult result = await new MtaStsChecker(dns, dns.LookupHostAsync).CheckAsync(Name("good"), TimeSpan.FromSeconds(5), roots, CancellationToken.None);
            Assert.Equal(MtaStsStatus.Valid, result.Status);
            Assert.Equal(200, result.HttpStatus);
            Assert.Equal(L["LAB_MTA_STS_ADDRESS"], result.PolicyHostAddress);
            Assert.Equal("text/plain", result.ContentType);
            Assert.True(result.CertificateValid);
            Assert.Equal(86400, result.MaxAgeSeconds);
            Assert.Equal("20261202T000000", result.PolicyId);
            Assert.Empty(result.Findings);

            MtaStsPolicyResult untrusted = await new MtaStsChecker(dns, dns.LookupHostAsync).CheckAsync(Name("good"), TimeSpan.FromSeconds(5), new X509Certificate2Collection(), CancellationToken.None);
            Assert.Equal(MtaStsStatus.PolicyUnreachable, untrusted.Status);
            Assert.False(untrusted.CertificateValid);
        }

        [Fact]
        public async Task Test_starttls_dane_on_the_lab_mx()
        {
            var dns = new DnsClientResolver(Resolver, TimeSpan.FromSeconds(5));
            foreach (var (host, expected) in new[] { ("mx1", DaneStatus.Matched), ("mx-mismatch", DaneStatus.Mismatch), ("mx-pkix", DaneStatus.NoUsableRecords), ("mx-nosan", DaneStatus.NoRecords) })
            {
                var options = new StartTlsTestOptions { HostName = Name(host), Port = 25, EhloName = "client.lab.test", Timeout = TimeSpan.FromSeconds(10) };
                options.TrustedRoots.Add(L.Ca);
                StartTlsResult result = await new StartTlsTester(dns.LookupHostAsync).TestAsync(options);
                Assert.True(result.Status == StartTlsStatus.Success, result.Reason);
                await DaneForTest.CheckAsync(dns, result, CancellationToken.None);
                Assert.Equal(expected, result.DaneStatus);
                Assert.Equal(expected == DaneStatus.Mismatch, result.FindingIds.Contains("DaneMismatch"));
                // The chain the Postfix MX presents: its certificate and the lab CA, exactly.
                Assert.Equal(2, result.PresentedCertificates.Count);
                Assert.Equal(L.Ca.Thumbprint, result.PresentedCertificates[1].Thumbprint);
            }
        }

        /// <summary>
        /// Cross-check with ldns-dane (ldnsutils). It cannot speak STARTTLS, and the lab resolver is not on port 53 (its
        /// -r takes an address only), so it checks the lab's TLSA data, read from the lab DNS, against the same
        /// certificate and CA served by nginx over direct TLS (-t with the records, -a with nginx's address), and our
        /// matcher checks the chain nginx presented: both must agree on every record.
        /// </summary>
        [Fact]
        public async Task Dane_verdicts_agree_with_ldns_dane()
        {
            var dns = new DnsClientResolver(Resolver, TimeSpan.FromSeconds(5));
            string policyHost = Name("mta-sts.good");
            IReadOnlyList<X509Certificate2> chain = await PresentedChainAsync(IPAddress.Parse(L["LAB_MTA_STS_ADDRESS"]), 443, policyHost);
            Assert.Equal(2, chain.Count);
            foreach (string mx in new[] { "mx1", "mx-ta", "mx-mismatch", "mx-pkix" })
            {
                DnsAnswer tlsa = await dns.QueryAsync(DaneCheck.TlsaName(25, Name(mx)), DnsRecordType.TLSA, CancellationToken.None);
                TlsaRecord record = tlsa.TlsaRecords.Single();
                DaneVerdict ours = DaneMatcher.Match(new[] { record }, chain, new[] { policyHost }, smtpRules: false, pkixValid: true, DateTime.UtcNow);
                bool ldns = RunLdnsDane(policyHost, record);
                Assert.True(ldns == (ours.Status == DaneStatus.Matched), $"{mx} {record}: ldns-dane says {ldns}, we say {ours.Status} ({ours.Reason})");
            }
        }

        private static bool RunLdnsDane(string host, TlsaRecord record)
        {
            string file = Path.GetTempFileName();
            try
            {
                File.WriteAllText(file, $"_443._tcp.{host}. 300 IN TLSA {record}\n");
                var start = new ProcessStartInfo("ldns-dane") { RedirectStandardOutput = true, RedirectStandardError = true };
                foreach (string arg in new[] { "-t", file, "-f", L["LAB_CA"], "-a", L["LAB_MTA_STS_ADDRESS"], "verify", host, "443" }) start.ArgumentList.Add(arg);
                using Process process = Process.Start(start) ?? throw new InvalidOperationException("ldns-dane (ldnsutils) did not start; tests/lab/up.sh installs it");
                string output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
                Assert.True(process.WaitForExit(30_000), "ldns-dane did not finish");
                Assert.True(output.Contains("dane-validate"), "unexpected ldns-dane output: " + output);
                return process.ExitCode == 0;
            }
            finally
            {
                File.Delete(file);
            }
        }

        /// <summary>What a TLS server presents, through the engine's own session (so the same capture as STARTTLS).</summary>
        internal static async Task<IReadOnlyList<X509Certificate2>> PresentedChainAsync(IPAddress address, int port, string sni)
        {
            Socket socket = await NetworkConnector.ConnectAsync(new[] { address }, port, TimeSpan.FromSeconds(5), CancellationToken.None);
            using var session = ProtocolSession.OverSocket(socket, TimeSpan.FromSeconds(5), CancellationToken.None, new TranscriptRecorder(Stopwatch.StartNew()));
            await session.UpgradeToTlsAsync(sni, "the handshake");
            return session.PresentedChain.ToList();
        }
    }
}
