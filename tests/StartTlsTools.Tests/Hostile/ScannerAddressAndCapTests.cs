using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using StartTlsTools.Probing;

namespace StartTlsTools.Tests.Hostile
{
    /// <summary>
    /// Get-TlsCapability's connections: every resolved address is tried until one accepts, and concurrent scans of
    /// one address share the process-wide per-address cap. The server is an in-process fake SMTP server on its own
    /// loopback address (not 127.0.0.1, which other tests share), so its count of open connections is ours alone.
    /// </summary>
    public sealed class ScannerAddressAndCapTests
    {
        /// <summary>
        /// SMTP up to the STARTTLS go-ahead, then a handshake_failure alert for every ClientHello after a short hold
        /// (so that probes overlap). It counts the connections it is serving: from accept to just before its alert,
        /// a span inside the client's hold of its limiter slot, so its peak can never exceed the client's.
        /// </summary>
        private sealed class CountingSmtpServer : IAsyncDisposable
        {
            private readonly TcpListener _listener;
            private readonly CancellationTokenSource _stop = new CancellationTokenSource();
            private readonly Task _accepting;
            private int _open, _peak, _connections;

            public CountingSmtpServer(IPAddress address)
            {
                _listener = new TcpListener(address, 0);
                _listener.Start();
                Address = address;
                Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
                _accepting = AcceptLoopAsync();
            }

            public IPAddress Address { get; }
            public int Port { get; }
            public int Peak => Volatile.Read(ref _peak);
            public int Connections => Volatile.Read(ref _connections);

            private async Task AcceptLoopAsync()
            {
                while (!_stop.IsCancellationRequested)
                {
                    Socket socket;
                    try { socket = await _listener.AcceptSocketAsync(_stop.Token); }
                    catch (Exception ex) when (ex is OperationCanceledException || ex is SocketException || ex is ObjectDisposedException) { return; }
                    Interlocked.Increment(ref _connections);
                    int now = Interlocked.Increment(ref _open);
                    int seen;
                    while ((seen = Volatile.Read(ref _peak)) < now && Interlocked.CompareExchange(ref _peak, now, seen) != seen) { }
                    _ = ServeAsync(socket);
                }
            }

            private async Task ServeAsync(Socket socket)
            {
                bool counted = true;
                void Done()
                {
                    if (counted) Interlocked.Decrement(ref _open);
                    counted = false;
                }
                using (socket)
                using (var stream = new NetworkStream(socket))
                {
                    try
                    {
                        await Send(stream, "220 count.test ESMTP\r\n");
                        await ReadLine(stream);
                        await Send(stream, "250-count.test\r\n250 STARTTLS\r\n");
                        await ReadLine(stream);
                        await Send(stream, "220 2.0.0 Ready to start TLS\r\n");
                        var header = new byte[5];
                        await stream.ReadExactlyAsync(header, _stop.Token);
                        await stream.ReadExactlyAsync(new byte[(header[3] << 8) | header[4]], _stop.Token);
                        await Task.Delay(30, _stop.Token);
                        Done();
                        await stream.WriteAsync(new byte[] { 21, 3, 3, 0, 2, 2, 40 }, _stop.Token);
                        await stream.FlushAsync(_stop.Token);
                    }
                    catch (Exception ex) when (ex is IOException || ex is OperationCanceledException || ex is SocketException || ex is EndOfStreamException) { }
                    finally { Done(); }
                }
            }

            private Task Send(NetworkStream stream, string text) => stream.WriteAsync(Encoding.ASCII.GetBytes(text), _stop.Token).AsTask();

            private async Task ReadLine(NetworkStream stream)
            {
                var one = new byte[1];
                while (await stream.ReadAsync(one, _stop.Token) == 1 && one[0] != '\n') { }
            }

            public async ValueTask DisposeAsync()
            {
                _stop.Cancel();
                _listener.Stop();
                await _accepting;
                _stop.Dispose();
            }
        }

        private static TlsCapabilityOptions Options(string host, int port, int cap = HostConnectionLimiterDefault) => new TlsCapabilityOptions
        {
            HostName = host,
            Port = port,
            EhloName = "client.test",
            Timeout = TimeSpan.FromSeconds(5),
            MaxConnectionsPerHost = cap,
            BusyRetries = 1,
            BusyRetryDelay = TimeSpan.FromMilliseconds(5),
        };

        private const int HostConnectionLimiterDefault = Transport.HostConnectionLimiter.DefaultMaxPerHost;

        [Fact]
        public async Task Two_concurrent_scans_of_one_address_never_exceed_the_cap_at_the_server()
        {
            await using var server = new CountingSmtpServer(IPAddress.Parse("127.77.0.1"));
            const int cap = 2;
            var scans = Enumerable.Range(0, 2)
                .Select(_ => new TlsCapabilityScanner().ScanAsync(Options("127.77.0.1", server.Port, cap)))
                .ToArray();
            var reports = await Task.WhenAll(scans);

            // Every ClientHello was refused: both scans ran to the end, with no probe lost to the cap.
            Assert.All(reports, r => Assert.Equal(TlsCapabilityStatus.NoTls, r.Summary.Status));
            Assert.Equal(reports.Sum(r => r.Summary.ConnectionsOpened), server.Connections);
            Assert.True(server.Peak <= cap, $"{server.Peak} connections were open at once; the shared cap is {cap}.");
            Assert.Equal(0, Transport.HostConnectionLimiter.Shared.OpenNow("127.77.0.1"));
        }

        [Fact]
        public async Task An_address_that_refuses_the_connect_is_passed_over_for_the_next()
        {
            await using var server = new CountingSmtpServer(IPAddress.Parse("127.77.0.2"));
            // Nothing listens on 127.3.2.1 at this port: the server's bind on 127.77.0.2 would have failed against a wildcard listener.
            var silent = IPAddress.Parse("127.3.2.1");
            var scanner = new TlsCapabilityScanner(_ => Task.FromResult(new[] { silent, server.Address }));
            var report = await scanner.ScanAsync(Options("two-addresses.test", server.Port));

            Assert.Equal(TlsCapabilityStatus.NoTls, report.Summary.Status);
            Assert.Equal("127.77.0.2", report.Summary.IPAddress);
            Assert.Equal(0, report.Summary.UntestedProbes);
            Assert.Equal(server.Connections, report.Summary.ConnectionsOpened);
            Assert.True(server.Connections >= 6, $"{server.Connections} connections: the scan did not go past the first probe");
        }

        [Fact]
        public async Task When_no_address_accepts_the_scan_fails_to_connect_and_names_each_address()
        {
            using var probe = new TcpListener(IPAddress.Parse("127.77.0.3"), 0);
            probe.Start();
            int port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            var scanner = new TlsCapabilityScanner(_ => Task.FromResult(new[] { IPAddress.Parse("127.3.2.1"), IPAddress.Parse("127.3.2.2") }));
            var report = await scanner.ScanAsync(Options("nobody.test", port));

            Assert.Equal(TlsCapabilityStatus.ConnectFailed, report.Summary.Status);
            Assert.Contains("127.3.2.1", report.Summary.Reason);
            Assert.Contains("127.3.2.2", report.Summary.Reason);
            Assert.Equal(0, report.Summary.ConnectionsOpened);
            Assert.Null(report.Summary.IPAddress);
        }
    }
}
