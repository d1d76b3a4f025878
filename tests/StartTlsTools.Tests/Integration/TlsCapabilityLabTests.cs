using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using StartTlsTools.Probing;
using Xunit.Abstractions;

namespace StartTlsTools.Tests.Integration
{
    /// <summary>
    /// Get-TlsCapability's engine against the lab's real servers. On the legacy Postfix (TLS 1.0 to 1.3 at
    /// @SECLEVEL=0) every reported (version, suite) pair is confirmed by a real handshake with `openssl s_client`
    /// pinned to that version and suite, and a sample of pairs OpenSSL knows but the scan did not report is
    /// confirmed refused the same way.
    /// </summary>
    [Collection("Lab")]
    public class TlsCapabilityLabTests
    {
        private static readonly Lazy<Task<TlsCapabilityReport>> LegacyStartTls = new Lazy<Task<TlsCapabilityReport>>(() => Scan("LAB_LEGACY_SMTP_PORT", false));
        private static readonly Lazy<Task<TlsCapabilityReport>> LegacyImplicit = new Lazy<Task<TlsCapabilityReport>>(() => Scan("LAB_LEGACY_SMTPS_PORT", true));
        private static readonly string[] OpenSslVersionFlags = { "TLSv1.0=-tls1", "TLSv1.1=-tls1_1", "TLSv1.2=-tls1_2", "TLSv1.3=-tls1_3" };
        private readonly ITestOutputHelper _output;

        public TlsCapabilityLabTests(ITestOutputHelper output) => _output = output;

        private static Task<TlsCapabilityReport> Scan(string portKey, bool implicitTls, StartTlsProtocol protocol = StartTlsProtocol.Smtp) =>
            new TlsCapabilityScanner().ScanAsync(new TlsCapabilityOptions
            {
                HostName = "127.0.0.1",
                Port = Lab.Current.LivePort(portKey),
                Protocol = protocol,
                ImplicitTls = implicitTls,
                EhloName = "client.lab.test",
            });

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public async Task Legacy_server_every_reported_pair_is_accepted_by_openssl_and_a_sample_of_the_rest_is_refused(bool implicitTls)
        {
            var report = await (implicitTls ? LegacyImplicit : LegacyStartTls).Value;
            int port = report.Summary.Port;
            Assert.Equal(TlsCapabilityStatus.Success, report.Summary.Status);
            Assert.Equal("TLSv1.0; TLSv1.1; TLSv1.2; TLSv1.3", report.Summary.VersionsAccepted);
            Assert.Equal(0, report.Summary.UntestedProbes);

            var reported = report.CipherSuites.Select(r => (r.TlsVersion, r.OpenSslName)).ToList();
            Assert.All(report.CipherSuites, r => Assert.NotEqual("", r.OpenSslName));
            Assert.Equal(reported.Count, reported.Distinct().Count());

            // Pairs OpenSSL can express but the scan did not report: a fixed, spread sample per version.
            var known = OpenSslCiphers();
            var refusedSample = new List<(string Version, string Name)>();
            foreach (string version in new[] { "TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3" })
            {
                var candidates = known
                    .Where(k => (version == "TLSv1.3") == k.Tls13 && (version == "TLSv1.2" || version == "TLSv1.3" || !k.Tls12Only))
                    .Select(k => k.Name)
                    .Where(n => !reported.Contains((version, n)))
                    .ToList();
                int step = Math.Max(1, candidates.Count / 6);
                refusedSample.AddRange(candidates.Where((_, i) => i % step == 0).Take(6).Select(n => (version, n)));
            }
            Assert.NotEmpty(refusedSample);

            var checks = reported.Select(p => (p.TlsVersion, p.OpenSslName, Expect: true))
                .Concat(refusedSample.Select(p => (TlsVersion: p.Version, OpenSslName: p.Name, Expect: false))).ToList();
            var mismatches = new List<string>();
            using var slots = new SemaphoreSlim(4);
            await Task.WhenAll(checks.Select(async check =>
            {
                await slots.WaitAsync();
                try
                {
                    bool accepted = await OpenSslAcceptsAsync(port, implicitTls, check.TlsVersion, check.OpenSslName);
                    if (accepted != check.Expect)
                        lock (mismatches) mismatches.Add($"{check.TlsVersion} {check.OpenSslName}: scan says {(check.Expect ? "accepted" : "not accepted")}, openssl s_client {(accepted ? "connected" : "failed")}");
                }
                finally { slots.Release(); }
            }));
            _output.WriteLine($"{reported.Count} reported pairs confirmed, {refusedSample.Count} unreported pairs checked.");
            Assert.True(mismatches.Count == 0, string.Join("\n", mismatches));
        }

        [Fact]
        public async Task Legacy_server_summary_has_groups_curves_order_and_certificate()
        {
            var summary = (await LegacyStartTls.Value).Summary;
            Assert.Contains("x25519", summary.Tls13Groups);
            Assert.Contains("secp256r1", summary.EcdheCurves);
            Assert.Contains("TLSv1.2=", summary.ServerOrder);
            Assert.Equal("CN=mail.lab.test, O=StartTlsTools lab", summary.CertificateSubject);
            Assert.Equal(CipherRating.Insecure, summary.WeakestRating);
            // What that means for security: legacy versions and insecure suites accepted, as findings.
            Assert.Contains(CapabilityFindingAnalyzer.LegacyVersionAccepted, summary.FindingIds);
            Assert.Contains(CapabilityFindingAnalyzer.InsecureCipherSuitesAccepted, summary.FindingIds);
            Assert.Equal(FindingSeverity.High, summary.Findings[0].Severity);
            Assert.DoesNotContain(CapabilityFindingAnalyzer.Tls13NotSupported, summary.FindingIds);
            Assert.Equal((await LegacyStartTls.Value).CipherSuites.Count, summary.CipherSuitesAccepted);
        }

        [Theory]
        [InlineData(false, "Client")]
        [InlineData(true, "Server")]
        public async Task Server_order_is_detected_and_openssl_agrees_on_the_first_two_ranks(bool implicitTls, string expected)
        {
            // The legacy implicit listener sets tls_preempt_cipherlist=yes (server order); the STARTTLS one does not.
            var report = await (implicitTls ? LegacyImplicit : LegacyStartTls).Value;
            Assert.Equal(string.Join("; ", new[] { "TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3" }.Select(v => v + "=" + expected)), report.Summary.ServerOrder);
            foreach (string version in new[] { "TLSv1.2", "TLSv1.3" })
            {
                var top = report.CipherSuites.Where(r => r.TlsVersion == version).OrderBy(r => r.PreferenceRank).Take(2).Select(r => r.OpenSslName).ToList();
                // Offer rank 2 before rank 1: a server with its own order still picks rank 1, one that follows the client picks rank 2.
                string picked = await OpenSslNegotiatedAsync(report.Summary.Port, implicitTls, version, top[1] + ":" + top[0]);
                Assert.Equal(implicitTls ? top[0] : top[1], picked);
            }
        }

        [Fact]
        public async Task Implicit_and_starttls_listeners_of_the_same_server_give_the_same_set()
        {
            var a = (await LegacyStartTls.Value).CipherSuites.Select(r => r.TlsVersion + " " + r.Code).OrderBy(x => x);
            var b = (await LegacyImplicit.Value).CipherSuites.Select(r => r.TlsVersion + " " + r.Code).OrderBy(x => x);
            Assert.Equal(a, b);
        }

        [Fact]
        public async Task Normal_postfix_accepts_exactly_tls12_and_tls13_with_plausible_suites_and_few_connections()
        {
            var report = await Scan("LAB_SMTP_PORT", false);
            var summary = report.Summary;
            Assert.Equal(TlsCapabilityStatus.Success, summary.Status);
            Assert.Equal("TLSv1.2; TLSv1.3", summary.VersionsAccepted);
            Assert.Equal(new[] { "TLSv1.2", "TLSv1.3" }, report.CipherSuites.Select(r => r.TlsVersion).Distinct().OrderBy(v => v));
            Assert.Contains(report.CipherSuites, r => r.TlsVersion == "TLSv1.3" && r.CipherSuite == "TLS_AES_256_GCM_SHA384" && r.Rating == CipherRating.Recommended);
            Assert.Contains(report.CipherSuites, r => r.TlsVersion == "TLSv1.2" && r.CipherSuite == "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384");
            Assert.DoesNotContain(report.CipherSuites, r => r.Encryption == "RC4" || r.Encryption == "3DES-CBC" || r.Bits < 112);
            Assert.Contains(report.CipherSuites, r => r.KeyExchangeDetail == "ECDH x25519" || r.KeyExchangeDetail == "ECDH secp256r1");
            Assert.Equal(Enumerable.Range(1, report.CipherSuites.Count(r => r.TlsVersion == "TLSv1.2")),
                report.CipherSuites.Where(r => r.TlsVersion == "TLSv1.2").Select(r => r.PreferenceRank));

            // The connection budget: accepted + 1 per version (six versions), the group and curve probes, a small constant.
            int groups = summary.Tls13Groups!.Split(';').Length + summary.EcdheCurves!.Split(';').Length;
            int budget = report.CipherSuites.Count + 6 + groups + 2 + 8;
            Assert.True(summary.ConnectionsOpened <= budget, $"{summary.ConnectionsOpened} connections, budget {budget}");
            Assert.True(summary.ConnectionsOpened >= report.CipherSuites.Count + 2);

            // The lab's normal Postfix accepts TLS 1.2 and 1.3 only: no legacy-version finding. Its one High finding is
            // Postfix's opportunistic-TLS default, which accepts anonymous DH suites (smtpd_tls_exclude_ciphers is empty).
            Assert.DoesNotContain(CapabilityFindingAnalyzer.LegacyVersionAccepted, summary.FindingIds);
            Assert.Equal(new[] { CapabilityFindingAnalyzer.InsecureCipherSuitesAccepted },
                summary.Findings.Where(f => f.Severity >= FindingSeverity.High).Select(f => f.Id));
            Assert.All(report.CipherSuites.Where(r => r.Rating == CipherRating.Insecure), r => Assert.Equal("anon", r.Authentication));
        }

        [Fact]
        public async Task A_name_whose_first_address_refuses_is_scanned_at_its_second_with_the_same_results()
        {
            // The lab listens on 127.0.0.1 only: 127.3.2.1 refuses the connect, and the scan moves on to the lab.
            int port = Lab.Current.LivePort("LAB_SMTP_PORT");
            var scanner = new TlsCapabilityScanner(_ => Task.FromResult(new[] { System.Net.IPAddress.Parse("127.3.2.1"), System.Net.IPAddress.Loopback }));
            var report = await scanner.ScanAsync(new TlsCapabilityOptions { HostName = "mail.lab.test", Port = port, EhloName = "client.lab.test" });
            var direct = await Scan("LAB_SMTP_PORT", false);

            Assert.Equal(TlsCapabilityStatus.Success, report.Summary.Status);
            Assert.Equal("127.0.0.1", report.Summary.IPAddress);
            Assert.Equal("CN=mail.lab.test, O=StartTlsTools lab", report.Summary.CertificateSubject);
            Assert.Equal(direct.Summary.VersionsAccepted, report.Summary.VersionsAccepted);
            Assert.Equal(direct.CipherSuites.Select(r => r.TlsVersion + " " + r.Code).OrderBy(x => x),
                report.CipherSuites.Select(r => r.TlsVersion + " " + r.Code).OrderBy(x => x));
        }

        [Fact]
        public async Task Imap_through_dovecot_starttls_reaches_tls()
        {
            var report = await Scan("LAB_IMAP_PORT", false, StartTlsProtocol.Imap);
            Assert.Equal(TlsCapabilityStatus.Success, report.Summary.Status);
            Assert.Contains("TLSv1.3", report.Summary.VersionsAccepted);
            Assert.Contains(report.CipherSuites, r => r.TlsVersion == "TLSv1.2" && r.ForwardSecrecy);
            Assert.Equal("CN=mail.lab.test, O=StartTlsTools lab", report.Summary.CertificateSubject);
        }

        [Fact]
        public async Task Server_without_starttls_is_not_offered_after_one_connection()
        {
            var report = await Scan("LAB_SMTP_PLAIN_PORT", false);
            Assert.Equal(TlsCapabilityStatus.NotOffered, report.Summary.Status);
            Assert.Equal(1, report.Summary.ConnectionsOpened);
            Assert.Empty(report.CipherSuites);
        }

        private sealed record OpenSslCipher(string Name, bool Tls13, bool Tls12Only);

        /// <summary>Every suite this machine's OpenSSL can offer, from `openssl ciphers -v`.</summary>
        private static List<OpenSslCipher> OpenSslCiphers()
        {
            var (_, output) = RunOpenSsl("ciphers -v ALL:COMPLEMENTOFALL:@SECLEVEL=0", "");
            return output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                .Where(f => f.Length > 2)
                .Select(f => new OpenSslCipher(f[0], f[1] == "TLSv1.3", f[1] == "TLSv1.2"))
                .ToList();
        }

        private static async Task<bool> OpenSslAcceptsAsync(int port, bool implicitTls, string version, string name) =>
            await OpenSslNegotiatedAsync(port, implicitTls, version, name) == name;

        /// <summary>The suite `openssl s_client` negotiated offering <paramref name="cipherList"/> at one version, or "" when the handshake failed.</summary>
        private static Task<string> OpenSslNegotiatedAsync(int port, bool implicitTls, string version, string cipherList) => Task.Run(() =>
        {
            string flag = OpenSslVersionFlags.First(f => f.StartsWith(version + "=", StringComparison.Ordinal)).Split('=')[1];
            string pin = version == "TLSv1.3" ? $"-ciphersuites {cipherList}" : $"-cipher {cipherList}:@SECLEVEL=0";
            string starttls = implicitTls ? "" : "-starttls smtp -name client.lab.test ";
            var (_, output) = RunOpenSsl($"s_client -connect 127.0.0.1:{port} {starttls}{flag} {pin} -brief", "");
            // -brief prints "Ciphersuite: NAME" once the handshake completed.
            var match = System.Text.RegularExpressions.Regex.Match(output, @"(?m)^Ciphersuite: (\S+)\r?$");
            return match.Success ? match.Groups[1].Value : "";
        });

        private static (int Exit, string Output) RunOpenSsl(string arguments, string stdin)
        {
            var info = new ProcessStartInfo("openssl", arguments)
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            using var process = Process.Start(info)!;
            process.StandardInput.Write(stdin);
            process.StandardInput.Close();
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(20000))
            {
                process.Kill();
                throw new TimeoutException("openssl " + arguments + " did not finish within 20 s");
            }
            return (process.ExitCode, stdout.Result + stderr.Result);
        }
    }
}
