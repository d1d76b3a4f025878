using System;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using StartTlsTools.Probing;

namespace StartTlsTools.Tests.Hostile
{
    /// <summary>
    /// Get-TlsCapability's politeness against a fake SMTP server that says 421 (busy): busy probes are retried
    /// with backoff and, when the server stays busy, reported as untested — never dropped, never counted as refusals.
    /// </summary>
    public sealed class BusyServerCapabilityTests
    {
        /// <summary>
        /// Many connections: connection n is told "421 Too many connections" when <paramref name="busy"/> says so;
        /// otherwise it gets a normal EHLO/STARTTLS preamble and a handshake_failure alert for its ClientHello.
        /// </summary>
        private sealed class BusySmtpServer : IAsyncDisposable
        {
            private readonly TcpListener _listener = new TcpListener(IPAddress.Loopback, 0);
            private readonly CancellationTokenSource _stop = new CancellationTokenSource();
            private readonly Func<int, bool> _busy;
            private readonly Task _accepting;
            private int _connections;
            private int _helloes;

            public BusySmtpServer(Func<int, bool> busy)
            {
                _busy = busy;
                _listener.Start();
                Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
                _accepting = AcceptLoopAsync();
            }

            public int Port { get; }
            public int Connections => Volatile.Read(ref _connections);
            public int ClientHellos => Volatile.Read(ref _helloes);

            private async Task AcceptLoopAsync()
            {
                while (!_stop.IsCancellationRequested)
                {
                    Socket socket;
                    try { socket = await _listener.AcceptSocketAsync(_stop.Token); }
                    catch (Exception ex) when (ex is OperationCanceledException || ex is SocketException || ex is ObjectDisposedException) { return; }
                    int n = Interlocked.Increment(ref _connections);
                    _ = ServeAsync(socket, n);
                }
            }

            private async Task ServeAsync(Socket socket, int n)
            {
                using (socket)
                using (var stream = new NetworkStream(socket))
                {
                    try
                    {
                        if (_busy(n))
                        {
                            await Send(stream, "421 4.7.0 busy.test Error: too many connections from 127.0.0.1\r\n");
                            return;
                        }
                        await Send(stream, "220 busy.test ESMTP\r\n");
                        await ReadLine(stream);
                        await Send(stream, "250-busy.test\r\n250 STARTTLS\r\n");
                        await ReadLine(stream);
                        await Send(stream, "220 2.0.0 Ready to start TLS\r\n");
                        var header = new byte[5];
                        await stream.ReadExactlyAsync(header, _stop.Token);
                        await stream.ReadExactlyAsync(new byte[(header[3] << 8) | header[4]], _stop.Token);
                        Interlocked.Increment(ref _helloes);
                        await stream.WriteAsync(new byte[] { 21, 3, 3, 0, 2, 2, 40 }, _stop.Token);
                        await stream.FlushAsync(_stop.Token);
                        var rest = new byte[64];
                        while (await stream.ReadAsync(rest, _stop.Token) > 0) { }
                    }
                    catch (Exception ex) when (ex is IOException || ex is OperationCanceledException || ex is SocketException || ex is EndOfStreamException) { }
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

        private static TlsCapabilityOptions Options(int port) => new TlsCapabilityOptions
        {
            HostName = "127.0.0.1",
            Port = port,
            EhloName = "client.test",
            Timeout = TimeSpan.FromSeconds(5),
            BusyRetries = 3,
            BusyRetryDelay = TimeSpan.FromMilliseconds(5),
        };

        [Fact]
        public async Task Server_that_stays_busy_is_reported_untested_after_the_retries()
        {
            await using var server = new BusySmtpServer(_ => true);
            var report = await new TlsCapabilityScanner().ScanAsync(Options(server.Port));

            var summary = report.Summary;
            Assert.Equal(TlsCapabilityStatus.Incomplete, summary.Status);
            Assert.Equal(1, summary.UntestedProbes);
            Assert.Contains("too many connections", summary.UntestedDetail);
            Assert.Contains("3 retries", summary.UntestedDetail);
            // The first probe and its three retries; nothing else was tried against a busy server.
            Assert.Equal(4, summary.ConnectionsOpened);
            Assert.Equal(4, server.Connections);
            Assert.Empty(report.CipherSuites);
        }

        [Fact]
        public async Task Busy_answers_in_between_are_retried_and_every_probe_still_gets_its_answer()
        {
            // Every third connection is turned away; every ClientHello that arrives is refused with an alert.
            await using var server = new BusySmtpServer(n => n % 3 == 0);
            var report = await new TlsCapabilityScanner().ScanAsync(Options(server.Port));

            var summary = report.Summary;
            Assert.Equal(TlsCapabilityStatus.NoTls, summary.Status);
            Assert.Equal(0, summary.UntestedProbes);
            Assert.Null(summary.UntestedDetail);
            Assert.Equal(server.Connections, summary.ConnectionsOpened);
            Assert.True(summary.ConnectionsOpened > server.ClientHellos, "no busy connection was counted");
            // One refused window per version offered, SSLv2 included: TLS 1.2 needs three windows of 128.
            Assert.True(server.ClientHellos >= 6, $"{server.ClientHellos} ClientHellos");
        }

        [Fact]
        public async Task Server_without_starttls_stops_the_scan_after_one_connection()
        {
            await using var hostile = new HostileServer(async (client, cancel) =>
            {
                await client.SendAsync("220 plain.test ESMTP\r\n", cancel);
                await client.ReadLineAsync(cancel);
                await client.SendAsync("250-plain.test\r\n250 8BITMIME\r\n", cancel);
                await client.ReadLineAsync(cancel);
            });
            var report = await new TlsCapabilityScanner().ScanAsync(Options(hostile.Port));
            Assert.Equal(TlsCapabilityStatus.NotOffered, report.Summary.Status);
            Assert.Equal(1, report.Summary.ConnectionsOpened);
        }
    }
}
