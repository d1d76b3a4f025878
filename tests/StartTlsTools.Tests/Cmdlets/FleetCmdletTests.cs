using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using StartTlsTools.Commands;
using StartTlsTools.Tests.Integration;
using StartTlsTools.Tests.Support;
using Xunit;

namespace StartTlsTools.Tests.Cmdlets
{
    /// <summary>
    /// Many targets through one cmdlet (-ThrottleLimit): the same results whatever the limit, the process-wide
    /// per-address cap counted by the server, and a cancelled 500-target run that leaves no socket open.
    /// </summary>
    [Collection("Lab")]
    public sealed class FleetCmdletTests
    {
        private static readonly (string PortKey, StartTlsProtocol Protocol)[] LabServices =
        {
            ("LAB_SMTP_PORT", StartTlsProtocol.Smtp),
            ("LAB_SMTP_PLAIN_PORT", StartTlsProtocol.Smtp),
            ("LAB_IMAP_PORT", StartTlsProtocol.Imap),
            ("LAB_POP3_PORT", StartTlsProtocol.Pop3),
            ("LAB_LDAP_PORT", StartTlsProtocol.Ldap),
            ("LAB_FTP_PORT", StartTlsProtocol.Ftp),
        };

        private static List<(string Host, int Port, StartTlsProtocol Protocol)> LabTargets()
        {
            var targets = new List<(string, int, StartTlsProtocol)>();
            for (int round = 0; round < 3; round++)
                foreach (var (key, protocol) in LabServices) targets.Add(("localhost", Lab.Current.LivePort(key), protocol));
            return targets;
        }

        private static RecordingOutput RunTestStartTls(IReadOnlyList<(string Host, int Port, StartTlsProtocol Protocol)> targets, int throttle,
            TestStartTlsCommand? command = null)
        {
            command ??= new TestStartTlsCommand();
            command.ThrottleLimit = throttle;
            command.EhloName = "client.lab.test";
            var output = new RecordingOutput();
            command.InvokeForTest(output, targets.Count, i =>
            {
                command.HostName = targets[i].Host;
                command.Port = targets[i].Port;
                command.Protocol = targets[i].Protocol;
            });
            return output;
        }

        [Fact]
        public void Throttle_1_and_16_give_the_same_results_and_1_keeps_input_order()
        {
            var targets = LabTargets();
            RecordingOutput serial = RunTestStartTls(targets, 1);
            RecordingOutput parallel = RunTestStartTls(targets, 16);

            static string Key(StartTlsResult r) => $"{r.HostName}:{r.Port}/{r.Protocol} {r.Status} offered={r.StartTlsOffered} tls={r.TlsVersion}";
            var serialResults = serial.Objects.Cast<StartTlsResult>().ToList();
            var parallelResults = parallel.Objects.Cast<StartTlsResult>().ToList();
            Assert.Equal(targets.Count, serialResults.Count);
            Assert.Equal(serialResults.Select(Key).OrderBy(k => k), parallelResults.Select(Key).OrderBy(k => k));
            // One at a time is today's behaviour: the results come in input order.
            Assert.Equal(targets.Select(t => (t.Port, t.Protocol)), serialResults.Select(r => (r.Port, r.Protocol)));
            Assert.Contains(serialResults, r => r.Status == StartTlsStatus.NotOffered);
            Assert.Contains(serialResults, r => r.Status == StartTlsStatus.Success);
            // One error per failed target, whatever the limit.
            Assert.Equal(serial.Errors.Select(e => e.Id).OrderBy(id => id), parallel.Errors.Select(e => e.Id).OrderBy(id => id));
            Assert.Empty(serial.Progress);
            Assert.NotEmpty(parallel.Progress);
        }

        [Fact]
        public void A_hundred_targets_on_one_address_never_open_more_than_the_cap_at_the_server()
        {
            using var server = new CountingSmtpServer(IPAddress.Parse("127.77.0.1"), greetingDelay: TimeSpan.FromMilliseconds(100));
            var targets = Enumerable.Range(0, 100).Select(_ => ("127.77.0.1", server.Port, StartTlsProtocol.Smtp)).ToList();

            RecordingOutput output = RunTestStartTls(targets, 32);

            var results = output.Objects.Cast<StartTlsResult>().ToList();
            Assert.Equal(100, results.Count);
            Assert.All(results, r => Assert.Equal(StartTlsStatus.NotOffered, r.Status));
            Assert.Equal(100, server.Accepted);
            Assert.InRange(server.MaxConcurrent, 1, Transport.HostConnectionLimiter.DefaultMaxPerHost);
        }

        [Fact]
        public void The_injection_probe_holds_a_slot_of_the_same_cap()
        {
            using var server = new CountingSmtpServer(IPAddress.Parse("127.77.0.3"), greetingDelay: TimeSpan.FromMilliseconds(50), offerStartTls: true,
                // The probe ends by dropping the connection (no QUIT), which the server learns a moment later: count after that moment.
                countAfter: TimeSpan.FromMilliseconds(100));
            var command = new TestStartTlsInjectionCommand { ThrottleLimit = 32, EhloName = "client.lab.test", WaitSeconds = 1 };
            var output = new RecordingOutput();
            command.InvokeForTest(output, 30, _ => { command.HostName = "127.77.0.3"; command.Port = server.Port; });

            Assert.Equal(30, output.Objects.Count);
            Assert.All(output.Objects.Cast<StartTlsInjectionResult>(), r => Assert.Equal(InjectionVerdict.NotVulnerable, r.Verdict));
            // The sanity run and the probe: two connections per target, both counted against the cap.
            Assert.Equal(60, server.Accepted);
            Assert.InRange(server.MaxConcurrent, 1, Transport.HostConnectionLimiter.DefaultMaxPerHost);
        }

        [Fact]
        public async Task Stopping_a_500_target_run_leaves_no_client_socket_open()
        {
            // Listens on every loopback address: 500 distinct addresses are 500 keys of the per-address cap, so 64 run at once.
            using var tarpit = new TarpitServer();
            var targets = Enumerable.Range(0, 500).Select(i => ($"127.78.{i / 250}.{i % 250 + 1}", tarpit.Port, StartTlsProtocol.Smtp)).ToList();
            var command = new TestStartTlsCommand { TimeoutSeconds = 120, GreetingTimeoutSeconds = 600 };
            RecordingOutput? output = null;
            var run = Task.Run(() => output = RunTestStartTls(targets, 64, command));

            // A hang guard, not a latency figure.
            Assert.True(await tarpit.WaitForAcceptedAsync(64, TimeSpan.FromSeconds(60)), $"only {tarpit.Accepted} connections reached the tarpit");
            command.StopForTest();
            Assert.Same(run, await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(60))));
            await run;

            Assert.NotNull(output);
            Assert.All(output!.Objects.Cast<StartTlsResult>(), r => Assert.Equal(StartTlsStatus.Cancelled, r.Status));
            Assert.True(output.Objects.Count < 500, "a stopped run must not go on starting targets");
            Assert.Empty(output.Errors);
            // The tarpit still holds its ends: a client socket still open would show as ESTABLISHED towards its port.
            Assert.Equal(0, await TcpTable.WaitForNoEstablishedClientsAsync(tarpit.Port, TimeSpan.FromSeconds(5)));
        }

        /// <summary>An SMTP server without STARTTLS that counts how many connections it holds at once.</summary>
        private sealed class CountingSmtpServer : IDisposable
        {
            private readonly TcpListener _listener;
            private readonly CancellationTokenSource _stop = new CancellationTokenSource();
            private readonly TimeSpan _greetingDelay;
            private readonly X509Certificate2? _certificate;
            private readonly TimeSpan _countAfter;
            private int _current, _max, _accepted;

            public CountingSmtpServer(IPAddress address, TimeSpan greetingDelay, bool offerStartTls = false, TimeSpan countAfter = default)
            {
                _greetingDelay = greetingDelay;
                _countAfter = countAfter;
                if (offerStartTls) _certificate = TestCertificates.ForServer(TestCertificates.CreateLeaf("counting.test"));
                _listener = new TcpListener(address, 0);
                _listener.Start(512);
                _ = AcceptLoopAsync();
            }

            public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;
            public int MaxConcurrent => Volatile.Read(ref _max);
            public int Accepted => Volatile.Read(ref _accepted);

            private async Task AcceptLoopAsync()
            {
                while (!_stop.IsCancellationRequested)
                {
                    TcpClient client;
                    try { client = await _listener.AcceptTcpClientAsync(); }
                    catch (Exception) { return; }
                    Interlocked.Increment(ref _accepted);
                    int now = Interlocked.Increment(ref _current);
                    if (_countAfter == TimeSpan.Zero) Record(now);
                    else _ = Task.Delay(_countAfter).ContinueWith(_ => Record(Volatile.Read(ref _current)));
                    _ = ServeAsync(client);
                }
            }

            private void Record(int now)
            {
                int seen;
                while (now > (seen = Volatile.Read(ref _max)) && Interlocked.CompareExchange(ref _max, now, seen) != seen) { }
            }

            private async Task ServeAsync(TcpClient client)
            {
                int counted = 1;
                // Before answering QUIT: the client frees its slot only after the 221, so the count never lags behind it.
                void Uncount() { if (Interlocked.Exchange(ref counted, 0) == 1) Interlocked.Decrement(ref _current); }
                try
                {
                    using (client)
                    {
                        Stream stream = client.GetStream();
                        var reader = new StreamReader(stream, Encoding.ASCII);
                        async Task Say(string line) { byte[] b = Encoding.ASCII.GetBytes(line + "\r\n"); await stream.WriteAsync(b, 0, b.Length); }
                        await Task.Delay(_greetingDelay, _stop.Token);
                        await Say("220 counting.test ESMTP");
                        string? line;
                        while ((line = await reader.ReadLineAsync()) != null)
                        {
                            string verb = line.Split(' ')[0].ToUpperInvariant();
                            if (verb == "EHLO") await Say(_certificate != null && !(stream is SslStream) ? "250-counting.test\r\n250 STARTTLS" : "250-counting.test\r\n250 PIPELINING");
                            else if (verb == "QUIT") { Uncount(); await Say("221 bye"); break; }
                            else if (verb == "STARTTLS" && _certificate != null && !(stream is SslStream))
                            {
                                await Say("220 go ahead");
                                // Whatever was pipelined behind STARTTLS stays in the old reader and is dropped, as RFC 3207 asks.
                                var tls = new SslStream(stream);
                                await tls.AuthenticateAsServerAsync(_certificate);
                                stream = tls;
                                reader = new StreamReader(stream, Encoding.ASCII);
                            }
                            else if (verb == "STARTTLS") await Say("502 not here");
                            else await Say("250 ok");
                        }
                    }
                }
                catch (Exception) { /* a client that went away */ }
                finally { Uncount(); }
            }

            public void Dispose()
            {
                _stop.Cancel();
                _listener.Stop();
            }
        }

        /// <summary>Accepts and never says a word, holding every connection until disposed.</summary>
        private sealed class TarpitServer : IDisposable
        {
            private readonly TcpListener _listener = new TcpListener(IPAddress.Any, 0);
            private readonly List<TcpClient> _held = new List<TcpClient>();

            public TarpitServer()
            {
                _listener.Start(1024);
                _ = AcceptLoopAsync();
            }

            public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;
            public int Accepted { get { lock (_held) return _held.Count; } }

            private async Task AcceptLoopAsync()
            {
                while (true)
                {
                    try
                    {
                        TcpClient client = await _listener.AcceptTcpClientAsync();
                        lock (_held) _held.Add(client);
                    }
                    catch (Exception) { return; }
                }
            }

            public async Task<bool> WaitForAcceptedAsync(int count, TimeSpan guard)
            {
                var deadline = DateTime.UtcNow + guard;
                while (Accepted < count && DateTime.UtcNow < deadline) await Task.Delay(20);
                return Accepted >= count;
            }

            public void Dispose()
            {
                _listener.Stop();
                lock (_held) foreach (TcpClient client in _held) client.Dispose();
            }
        }
    }

    /// <summary>The kernel's TCP table (/proc/net/tcp): which connections towards a port are still open at our end.</summary>
    internal static class TcpTable
    {
        private const string Established = "01";

        /// <summary>Connections to <paramref name="port"/> that are ESTABLISHED: the client end still has its socket.</summary>
        public static int EstablishedClientsTo(int port)
        {
            string hexPort = port.ToString("X4");
            int count = 0;
            foreach (string line in File.ReadLines("/proc/net/tcp").Skip(1))
            {
                string[] fields = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
                // fields[1] local address:port, fields[2] remote address:port, fields[3] state
                if (fields.Length > 3 && fields[2].EndsWith(":" + hexPort, StringComparison.Ordinal) && fields[3] == Established) count++;
            }
            return count;
        }

        public static async Task<int> WaitForNoEstablishedClientsAsync(int port, TimeSpan settle)
        {
            var deadline = DateTime.UtcNow + settle;
            int open;
            while ((open = EstablishedClientsTo(port)) > 0 && DateTime.UtcNow < deadline) await Task.Delay(50);
            return open;
        }
    }
}
