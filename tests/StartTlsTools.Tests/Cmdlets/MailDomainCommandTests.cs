using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text.Json;
using StartTlsTools.Commands;
using StartTlsTools.Commands.Output;
using StartTlsTools.MailDomain;
using StartTlsTools.Tests.Integration;

namespace StartTlsTools.Tests.Cmdlets
{
    /// <summary>Resolve-MailExchanger, Get-MtaStsPolicy, Test-MailDomain, Test-StartTls -Dane and starttls domain, through their output seams, on the lab.</summary>
    [Collection("Lab")]
    public class MailDomainCommandTests
    {
        private static string Resolver => Lab.Current["LAB_DNS_RESOLVER"];
        private static string Name(string label) => label + "." + Lab.Current["LAB_DNS_ZONE"];

        [Theory]
        [InlineData("not a domain", null)]
        [InlineData("127.0.0.1", null)]
        [InlineData("good.lab.test", "dns.example")]
        [InlineData("good.lab.test", "127.0.0.1:99999")]
        public void Bad_input_is_an_invalid_parameter_error_before_any_lookup(string domain, string? dnsServer)
        {
            foreach (StartTlsCmdletBase command in new StartTlsCmdletBase[]
            {
                new ResolveMailExchangerCommand { Domain = domain, DnsServer = dnsServer },
                new GetMtaStsPolicyCommand { Domain = domain, DnsServer = dnsServer },
                new TestMailDomainCommand { Domain = domain, DnsServer = dnsServer },
            })
            {
                var output = new RecordingOutput();
                command.InvokeForTest(output);
                Assert.Empty(output.Objects);
                CmdletError error = Assert.Single(output.Errors);
                Assert.Equal("InvalidParameter", error.Id);
                Assert.Equal(ErrorCategory.InvalidArgument, error.Category);
                Assert.Equal(domain, error.Target);
            }
        }

        [Fact]
        public void Resolve_mail_exchanger_writes_hosts_that_bind_into_test_starttls()
        {
            var output = new RecordingOutput();
            new ResolveMailExchangerCommand { Domain = Name("good"), DnsServer = Resolver }.InvokeForTest(output);
            Assert.Empty(output.Errors);
            var hosts = output.Objects.Cast<MailExchanger>().ToList();
            Assert.Equal(new[] { Name("mx1"), Name("mx2") }, hosts.Select(h => h.HostName));
            Assert.All(hosts, h => Assert.Equal((25, StartTlsProtocol.Smtp), (h.Port, h.Protocol)));
            Assert.Equal(Lab.Current["LAB_MX1_ADDRESS"], hosts[0].IPAddresses.ToString());
            Assert.Equal(Resolution.DnssecStatus.Secure, hosts[0].MxDnssec);
        }

        [Fact]
        public void Resolve_mail_exchanger_warns_for_a_null_mx_and_reports_findings()
        {
            var nullMx = new RecordingOutput();
            new ResolveMailExchangerCommand { Domain = Name("nullmx"), DnsServer = Resolver }.InvokeForTest(nullMx);
            Assert.Empty(nullMx.Objects);
            Assert.Contains("Null MX", Assert.Single(nullMx.Warnings));

            var alias = new RecordingOutput();
            new ResolveMailExchangerCommand { Domain = Name("mx-cname"), DnsServer = Resolver }.InvokeForTest(alias);
            var host = Assert.IsType<MailExchanger>(Assert.Single(alias.Objects));
            Assert.True(host.IsCname);
            Assert.Equal("MxIsCname", host.FindingIds);

            var bogus = new RecordingOutput();
            new ResolveMailExchangerCommand { Domain = Name("bogus"), DnsServer = Resolver }.InvokeForTest(bogus);
            Assert.Empty(bogus.Objects);
            Assert.Equal("MxLookupFailed", Assert.Single(bogus.Errors).Id);
        }

        [Fact]
        public void Get_mta_sts_policy_writes_the_result_and_an_error_when_the_policy_is_broken()
        {
            var good = new RecordingOutput();
            new GetMtaStsPolicyCommand { Domain = Name("good"), DnsServer = Resolver, TrustedRootCertificate = new[] { Lab.Current.Ca } }.InvokeForTest(good);
            var policy = Assert.IsType<MtaStsPolicyResult>(Assert.Single(good.Objects));
            Assert.Equal(MtaStsStatus.Valid, policy.Status);
            Assert.Empty(good.Errors);

            var broken = new RecordingOutput();
            new GetMtaStsPolicyCommand { Domain = Name("sts-unreachable"), DnsServer = Resolver }.InvokeForTest(broken);
            Assert.Equal(MtaStsStatus.PolicyUnreachable, Assert.IsType<MtaStsPolicyResult>(Assert.Single(broken.Objects)).Status);
            Assert.Equal("MtaStsPolicyUnreachable", Assert.Single(broken.Errors).Id);

            var testing = new RecordingOutput();
            new GetMtaStsPolicyCommand { Domain = Name("sts-testing"), DnsServer = Resolver, TrustedRootCertificate = new[] { Lab.Current.Ca } }.InvokeForTest(testing);
            Assert.Contains("testing mode", Assert.Single(testing.Warnings));
        }

        [Fact]
        public void Test_mail_domain_writes_one_row_per_mx_address_and_an_error_for_a_failed_domain()
        {
            var output = new RecordingOutput();
            new TestMailDomainCommand { Domain = Name("sts-uncovered"), DnsServer = Resolver, EhloName = "client.lab.test", TrustedRootCertificate = new[] { Lab.Current.Ca } }.InvokeForTest(output);
            var rows = output.Objects.Cast<MailDomainResult>().ToList();
            Assert.Equal(2, rows.Count);
            // StartTlsOptional (Info): the domain test always checks enforcement, and the lab MX takes mail in plaintext.
            Assert.Equal("MtaStsMxNotCovered; StartTlsOptional", rows[1].FindingIds);
            Assert.Empty(output.Errors);
            Assert.Contains(output.Verbose, v => v.Contains("finding MtaStsMxNotCovered"));

            var bogus = new RecordingOutput();
            new TestMailDomainCommand { Domain = Name("bogus"), DnsServer = Resolver }.InvokeForTest(bogus);
            Assert.Single(bogus.Objects);
            Assert.Equal("DnssecBogus", Assert.Single(bogus.Errors).Id);
        }

        [Fact]
        public void Test_starttls_dane_fills_the_dane_fields_and_warns_on_a_mismatch()
        {
            foreach (var (host, expected) in new[] { ("mx1", DaneStatus.Matched), ("mx-mismatch", DaneStatus.Mismatch) })
            {
                var output = new RecordingOutput();
                new TestStartTlsCommand
                {
                    HostName = Name(host), Port = 25, DnsServer = Resolver, Dane = true, EhloName = "client.lab.test", TrustedRootCertificate = new[] { Lab.Current.Ca },
                }.InvokeForTest(output);
                var result = Assert.IsType<StartTlsResult>(Assert.Single(output.Objects));
                Assert.Equal(expected, result.DaneStatus);
                Assert.Equal(expected == DaneStatus.Mismatch, output.Warnings.Any(w => w.Contains("DANE mismatch")));
                Assert.Equal(expected == DaneStatus.Mismatch ? "DaneMismatch" : "", result.FindingIds);
            }
            var without = new RecordingOutput();
            new TestStartTlsCommand { HostName = Name("mx1"), Port = 25, DnsServer = Resolver, EhloName = "client.lab.test" }.InvokeForTest(without);
            Assert.Equal(DaneStatus.NotChecked, Assert.IsType<StartTlsResult>(Assert.Single(without.Objects)).DaneStatus);
        }

        [Fact]
        public void Get_tls_capability_and_injection_resolve_through_dns_server()
        {
            var injection = new RecordingOutput();
            new TestStartTlsInjectionCommand { HostName = Name("mx1"), DnsServer = Resolver, EhloName = "client.lab.test", WaitSeconds = 1 }.InvokeForTest(injection);
            var verdict = Assert.IsType<StartTlsInjectionResult>(Assert.Single(injection.Objects));
            Assert.Equal(Lab.Current["LAB_MX1_ADDRESS"], verdict.IPAddress);

            var bad = new RecordingOutput();
            new GetTlsCapabilityCommand { HostName = Name("mx1"), DnsServer = "not-an-address" }.InvokeForTest(bad);
            Assert.Equal("InvalidParameter", Assert.Single(bad.Errors).Id);
        }

        private static (int Exit, string Out, string Err) Cli(params string[] args)
        {
            var stdout = new StringWriter();
            var stderr = new StringWriter();
            int exit = StartTlsTools.Cli.Program.Run(args, stdout, stderr);
            return (exit, stdout.ToString(), stderr.ToString());
        }

        [Fact]
        public void Cli_domain_prints_json_rows_and_exits_by_findings()
        {
            var (exit, stdout, _) = Cli("domain", Name("good"), Name("dane-mismatch"), "--dns-server", Resolver, "--trusted-root", Lab.Current["LAB_CA"], "--ehlo-name", "client.lab.test", "--json");
            Assert.Equal(1, exit);
            using var json = JsonDocument.Parse(stdout);
            var rows = json.RootElement.EnumerateArray().ToList();
            Assert.Equal(3, rows.Count);
            Assert.Equal("Matched", rows[0].GetProperty("DaneStatus").GetString());
            Assert.Equal("Mismatch", rows[2].GetProperty("DaneStatus").GetString());
            Assert.Equal(JsonValueKind.Array, rows[0].GetProperty("MtaStsMxPatterns").ValueKind);

            var (goodExit, list, _) = Cli("domain", Name("good"), "--dns-server", Resolver, "--trusted-root", Lab.Current["LAB_CA"], "--ehlo-name", "client.lab.test");
            Assert.Equal(0, goodExit);
            Assert.Contains("DaneStatus", list);
            Assert.Contains("Matched", list);
        }

        [Fact]
        public void Cli_domain_rejects_bad_usage()
        {
            Assert.Equal(2, Cli("domain", "good.lab.test", "--dns-server", "resolver.example").Exit);
            Assert.Equal(2, Cli("domain", "not a domain", "--dns-server", "127.0.0.1").Exit);
            Assert.Equal(2, Cli("domain").Exit);
        }
    }
}
