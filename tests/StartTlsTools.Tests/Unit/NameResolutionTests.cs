using System;
using System.Net;
using System.Net.Sockets;
using System.Threading.Tasks;

namespace StartTlsTools.Tests.Unit
{
    /// <summary>Resolution failures become data. The lookup is replaced: no test sends a DNS query off this machine.</summary>
    public class NameResolutionTests
    {
        [Fact]
        public async Task Unknown_name_is_name_resolution_failed_with_the_name()
        {
            var tester = new StartTlsTester(_ => Task.FromException<IPAddress[]>(new SocketException((int)SocketError.HostNotFound)));
            var result = await tester.TestAsync(new StartTlsTestOptions { HostName = "mx.nowhere.example." });

            Assert.Equal(StartTlsStatus.NameResolutionFailed, result.Status);
            Assert.Contains("'mx.nowhere.example'", result.Reason);
            Assert.Null(result.IPAddress);
        }

        [Fact]
        public async Task Name_with_no_addresses_is_name_resolution_failed()
        {
            var result = await new StartTlsTester(_ => Task.FromResult(Array.Empty<IPAddress>()))
                .TestAsync(new StartTlsTestOptions { HostName = "empty.example" });
            Assert.Equal(StartTlsStatus.NameResolutionFailed, result.Status);
            Assert.Contains("no addresses", result.Reason);
        }

        [Fact]
        public async Task Resolver_that_hangs_is_a_timeout()
        {
            var never = new TaskCompletionSource<IPAddress[]>();
            var result = await new StartTlsTester(_ => never.Task)
                .TestAsync(new StartTlsTestOptions { HostName = "slow.example", Timeout = TimeSpan.FromSeconds(1) });
            Assert.Equal(StartTlsStatus.Timeout, result.Status);
            Assert.Contains("name resolution of slow.example", result.Reason);
        }

        [Fact]
        public async Task Literals_never_reach_the_resolver()
        {
            int port = Integration.RealServerTests.FreePort();
            var result = await new StartTlsTester(_ => throw new InvalidOperationException("resolver called for a literal"))
                .TestAsync(new StartTlsTestOptions { HostName = "127.0.0.1", Port = port });
            Assert.Equal(StartTlsStatus.ConnectFailed, result.Status);
        }
    }
}
