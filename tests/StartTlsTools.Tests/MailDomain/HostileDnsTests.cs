using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using StartTlsTools.MailDomain;
using StartTlsTools.Resolution;

namespace StartTlsTools.Tests.MailDomain
{
    /// <summary>
    /// The DnsClient resolver against DNS servers that time out, truncate, loop, fail or send garbage: every ending is a
    /// DnsAnswer (or the engines' Status), never an exception, and every lookup ends.
    /// </summary>
    public sealed class HostileDnsTests
    {
        private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(1);
        /// <summary>A hang guard, not a timing assertion: far above the 2 x timeout the resolver allows itself.</summary>
        private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);

        private static async Task<DnsAnswer> Ask(DnsMisbehaviour mode, DnsRecordType type = DnsRecordType.A, string name = "host.hostile.test")
        {
            using var server = new HostileDnsServer(mode);
            var resolver = new DnsClientResolver(server.EndPoint, Timeout);
            Assert.True(resolver.TrustedToValidate);
            Task<DnsAnswer> query = resolver.QueryAsync(name, type, CancellationToken.None);
            Assert.True(await Task.WhenAny(query, Task.Delay(HangGuard)) == query, $"{mode}: the lookup did not end");
            DnsAnswer answer = await query;
            Assert.True(server.Queries > 0, "the server was never asked");
            return answer;
        }

        [Fact]
        public async Task A_silent_server_is_a_timeout()
        {
            DnsAnswer answer = await Ask(DnsMisbehaviour.Silent);
            Assert.Equal(DnsLookupStatus.Timeout, answer.Status);
            Assert.Equal(DnssecStatus.Unknown, answer.Dnssec);
            Assert.Contains("No answer", answer.Reason);
        }

        [Fact]
        public async Task A_truncated_answer_is_fetched_again_over_tcp()
        {
            DnsAnswer answer = await Ask(DnsMisbehaviour.TruncatedThenTcp);
            Assert.Equal(DnsLookupStatus.Success, answer.Status);
            Assert.Equal(new[] { "127.0.0.1", "127.0.0.2", "127.0.0.3" }, answer.Addresses.Select(a => a.ToString()));
        }

        [Fact]
        public async Task A_truncated_answer_whose_tcp_retry_fails_is_data()
        {
            DnsAnswer answer = await Ask(DnsMisbehaviour.TruncatedTcpCloses);
            Assert.NotEqual(DnsLookupStatus.Success, answer.Status);
            Assert.Empty(answer.Addresses);
            Assert.NotEmpty(answer.Reason);
        }

        [Fact]
        public async Task Servfail_for_an_unsigned_name_is_a_server_failure_not_bogus()
        {
            DnsAnswer answer = await Ask(DnsMisbehaviour.ServFail, DnsRecordType.MX);
            Assert.Equal(DnsLookupStatus.ServerFailure, answer.Status);
            Assert.Equal(DnssecStatus.Unknown, answer.Dnssec);
            Assert.Contains("no secure DS or DNSKEY", answer.Reason);
        }

        [Fact]
        public async Task A_cname_loop_ends_with_no_records()
        {
            DnsAnswer answer = await Ask(DnsMisbehaviour.CnameLoop, name: "loop-a.test");
            Assert.Equal(DnsLookupStatus.NoRecords, answer.Status);
            Assert.Equal(new[] { "loop-a.test", "loop-b.test" }, answer.CnameChain);
        }

        [Fact]
        public async Task An_empty_answer_is_no_records()
        {
            DnsAnswer answer = await Ask(DnsMisbehaviour.Empty, DnsRecordType.TLSA, "_25._tcp.mx.hostile.test");
            Assert.Equal(DnsLookupStatus.NoRecords, answer.Status);
            Assert.Equal(DnssecStatus.Insecure, answer.Dnssec);
        }

        [Fact]
        public async Task An_oversized_answer_is_read_over_tcp_or_refused_as_data()
        {
            DnsAnswer answer = await Ask(DnsMisbehaviour.Oversized, DnsRecordType.TXT);
            if (answer.Status == DnsLookupStatus.Success) Assert.Equal(1500, answer.TextRecords.Count);
            else Assert.Equal(DnsLookupStatus.Failed, answer.Status);
        }

        [Fact]
        public async Task Garbage_is_a_failure_or_a_timeout()
        {
            DnsAnswer answer = await Ask(DnsMisbehaviour.Garbage);
            Assert.Contains(answer.Status, new[] { DnsLookupStatus.Failed, DnsLookupStatus.Timeout });
        }

        [Theory]
        [InlineData(DnsMisbehaviour.Silent, StartTlsStatus.Timeout)]
        [InlineData(DnsMisbehaviour.ServFail, StartTlsStatus.NameResolutionFailed)]
        [InlineData(DnsMisbehaviour.CnameLoop, StartTlsStatus.NameResolutionFailed)]
        public async Task The_engines_turn_resolver_failures_into_a_status(DnsMisbehaviour mode, StartTlsStatus expected)
        {
            using var server = new HostileDnsServer(mode);
            var resolver = new DnsClientResolver(server.EndPoint, Timeout);
            var options = new StartTlsTestOptions { HostName = "mx.hostile.test", Port = 25, Timeout = Timeout, EhloName = "client.test" };
            StartTlsResult result = await new StartTlsTester(resolver.LookupHostAsync).TestAsync(options);
            Assert.Equal(expected, result.Status);
            Assert.Contains("mx.hostile.test", result.Reason);
        }

        [Fact]
        public async Task The_domain_test_gives_findings_for_a_resolver_that_fails()
        {
            using var server = new HostileDnsServer(DnsMisbehaviour.ServFail);
            var tester = new MailDomainTester(new DnsClientResolver(server.EndPoint, Timeout));
            var rows = await tester.TestAsync(new MailDomainTestOptions { Domain = "hostile.test", Timeout = Timeout });
            MailDomainResult row = Assert.Single(rows);
            Assert.Equal("", row.HostName);
            Assert.Null(row.Status);
            Assert.Contains("MxLookupFailed", row.FindingIds);
            Assert.Equal(MtaStsStatus.LookupFailed, row.MtaStsStatus);
            Assert.Equal(TlsRptStatus.LookupFailed, row.TlsRptStatus);
        }

        [Fact]
        public async Task Cancellation_ends_a_lookup_against_a_silent_server()
        {
            using var server = new HostileDnsServer(DnsMisbehaviour.Silent);
            var resolver = new DnsClientResolver(server.EndPoint, TimeSpan.FromSeconds(60));
            using var cancel = new CancellationTokenSource();
            Task<DnsAnswer> query = resolver.QueryAsync("host.hostile.test", DnsRecordType.A, cancel.Token);
            cancel.Cancel();
            Assert.True(await Task.WhenAny(query, Task.Delay(HangGuard)) == query, "cancellation did not end the lookup");
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => query);
        }
    }
}
