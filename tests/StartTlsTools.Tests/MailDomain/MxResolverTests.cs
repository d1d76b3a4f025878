using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using StartTlsTools.MailDomain;
using StartTlsTools.Resolution;

namespace StartTlsTools.Tests.MailDomain
{
    /// <summary>MX resolution as senders do it (RFC 5321 section 5.1, RFC 7505), on answers from a table.</summary>
    public sealed class MxResolverTests
    {
        private static Task<MxSet> Resolve(FakeDnsResolver dns, string domain = "example.test") => MxResolver.ResolveAsync(domain, dns, CancellationToken.None);

        [Fact]
        public async Task Mx_hosts_come_by_preference_with_their_addresses()
        {
            var dns = new FakeDnsResolver().Mx("example.test", (20, "b.example.test"), (10, "c.example.test"), (20, "a.example.test"))
                .A("a.example.test", "192.0.2.1").A("b.example.test", "192.0.2.2").A("c.example.test", "192.0.2.3");
            var set = await Resolve(dns);
            Assert.Equal(MxSetKind.Records, set.Kind);
            Assert.Equal(new[] { "c.example.test", "a.example.test", "b.example.test" }, set.Hosts.Select(h => h.Name));
            Assert.Equal("192.0.2.3", set.Hosts[0].Addresses.Single().ToString());
            Assert.Empty(set.Findings);
            Assert.All(set.Hosts, h => Assert.Empty(h.Findings));
        }

        [Fact]
        public async Task A_null_mx_means_no_mail_and_no_hosts()
        {
            var set = await Resolve(new FakeDnsResolver().Mx("example.test", (0, "")));
            Assert.Equal(MxSetKind.NullMx, set.Kind);
            Assert.Empty(set.Hosts);
            Assert.Equal("NullMx", set.Findings.Single().Id);
            var mixed = await Resolve(new FakeDnsResolver().Mx("example.test", (0, ""), (10, "mx.example.test")));
            Assert.Equal(MxSetKind.NullMx, mixed.Kind);
            Assert.Contains("beside other MX records", mixed.Summary);
        }

        [Fact]
        public async Task No_mx_records_make_the_domain_its_own_implicit_mx()
        {
            var set = await Resolve(new FakeDnsResolver().Empty("example.test", DnsRecordType.MX).A("example.test", "192.0.2.9"));
            Assert.Equal(MxSetKind.Implicit, set.Kind);
            Assert.Equal("example.test", set.Hosts.Single().Name);
            Assert.Equal(MailExchangerSource.ImplicitMx, set.Hosts[0].Source);
            Assert.Equal("ImplicitMx", set.Findings.Single().Id);
        }

        [Fact]
        public async Task A_cname_mx_is_a_finding_and_still_resolves()
        {
            var set = await Resolve(new FakeDnsResolver().Mx("example.test", (10, "alias.example.test")).Cname("alias.example.test", "real.example.test", "192.0.2.5"));
            MxHost host = set.Hosts.Single();
            Assert.True(host.IsCname);
            Assert.Equal("real.example.test", host.CanonicalName);
            Assert.Equal("192.0.2.5", host.Addresses.Single().ToString());
            Assert.Equal("MxIsCname", host.Findings.Single().Id);
        }

        [Fact]
        public async Task An_ip_literal_mx_is_a_finding_and_never_looked_up()
        {
            var dns = new FakeDnsResolver().Mx("example.test", (10, "192.0.2.7"));
            var set = await Resolve(dns);
            MxHost host = set.Hosts.Single();
            Assert.True(host.IsIpLiteral);
            Assert.Empty(host.Addresses);
            Assert.Equal("MxIsIpLiteral", host.Findings.Single().Id);
            Assert.DoesNotContain(dns.Asked, q => q.StartsWith("192.0.2.7"));
        }

        [Fact]
        public async Task An_mx_without_address_is_a_finding()
        {
            var set = await Resolve(new FakeDnsResolver().Mx("example.test", (10, "gone.example.test")));
            Assert.Equal("MxWithoutAddress", set.Hosts.Single().Findings.Single().Id);
            Assert.Equal(DnsLookupStatus.NameNotFound, set.Hosts[0].AddressLookup);
        }

        [Fact]
        public async Task Lookup_failures_are_data()
        {
            var timeout = await Resolve(new FakeDnsResolver().Fail("example.test", DnsRecordType.MX, DnsLookupStatus.Timeout));
            Assert.Equal(MxSetKind.LookupFailed, timeout.Kind);
            Assert.Equal("MxLookupFailed", timeout.Findings.Single().Id);

            var bogus = await Resolve(new FakeDnsResolver().Fail("example.test", DnsRecordType.MX, DnsLookupStatus.ServerFailure, DnssecStatus.Bogus));
            Assert.Equal("DnssecBogus", bogus.Findings.Single().Id);

            var missing = await Resolve(new FakeDnsResolver());
            Assert.Equal(MxSetKind.DomainNotFound, missing.Kind);
            Assert.Equal("DomainNotFound", missing.Findings.Single().Id);

            var hostFails = await Resolve(new FakeDnsResolver().Mx("example.test", (10, "mx.example.test"))
                .Fail("mx.example.test", DnsRecordType.A, DnsLookupStatus.Timeout).Fail("mx.example.test", DnsRecordType.AAAA, DnsLookupStatus.Timeout));
            Assert.Equal("MxLookupFailed", hostFails.Hosts.Single().Findings.Single().Id);
        }

        [Theory]
        [InlineData("mx.example.test", "mx.example.test", null)]
        [InlineData("127.0.0.1", "127.0.0.1:53", null)]
        [InlineData("127.0.0.1:5353", "127.0.0.1:5353", null)]
        [InlineData("::1", "[::1]:53", null)]
        [InlineData("[::1]:5353", "[::1]:5353", null)]
        [InlineData("127.0.0.1:0", null, "invalid port")]
        [InlineData("127.0.0.1:70000", null, "invalid port")]
        [InlineData("[::1", null, "without ']'")]
        [InlineData("1.2.3", null, "not an IP address")]
        public void Dns_server_parameters_parse(string text, string? expected, string? problem)
        {
            string? message = DnsServerEndpoint.TryParse(text, out var endpoint);
            if (text == "mx.example.test")
            {
                Assert.Contains("not an IP address", message);
                return;
            }
            if (problem != null) Assert.Contains(problem, message);
            else
            {
                Assert.Null(message);
                Assert.Equal(expected, DnsServerEndpoint.Format(endpoint));
            }
        }
    }
}
