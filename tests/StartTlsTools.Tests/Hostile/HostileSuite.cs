using System.Threading;
using System.Threading.Tasks;

namespace StartTlsTools.Tests.Hostile
{
    /// <summary>
    /// The hostile-server suite counts the process's descriptors around each case, so nothing else may run
    /// beside it: xunit runs collections with DisableParallelization alone, after the parallel ones.
    /// </summary>
    [CollectionDefinition(Name, DisableParallelization = true)]
    public sealed class HostileSuite : ICollectionFixture<HostileSuiteWarmUp>
    {
        public const string Name = "Hostile servers (no parallel tests: descriptor counts)";
    }

    /// <summary>
    /// The first socket and the first TLS handshake in a process open long-lived descriptors (the runtime's
    /// epoll engine, OpenSSL's state). Opening them once before any case keeps them out of the leak counts.
    /// </summary>
    public sealed class HostileSuiteWarmUp : IAsyncLifetime
    {
        public async Task InitializeAsync()
        {
            await using var server = new HostileServer(async (client, cancel) =>
            {
                await client.SendAsync("220 warm.example ESMTP\r\n", cancel);
                await client.ReadLineAsync(cancel);
                await client.SendAsync("250-warm.example\r\n250 STARTTLS\r\n", cancel);
                await client.ReadLineAsync(cancel);
                await client.SendAsync("220 Go ahead\r\n", cancel);
                await client.ReadSomeAsync(cancel);
            });
            await new StartTlsTester().TestAsync(new StartTlsTestOptions
            {
                HostName = "127.0.0.1",
                Port = server.Port,
                EhloName = "client.test",
                Timeout = HostileCase.DefaultTimeout,
            }, CancellationToken.None);
        }

        public Task DisposeAsync() => Task.CompletedTask;
    }
}
