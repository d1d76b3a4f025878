using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using StartTlsTools.Tests.Support;

namespace StartTlsTools.Tests.Injection
{
    /// <summary>How the fake treats what the client pipelined behind STARTTLS.</summary>
    public enum PipelineBehaviour
    {
        /// <summary>Like a correct server: buffered plaintext is thrown away at the switch to TLS.</summary>
        Discard,
        /// <summary>Like Postfix before CVE-2011-0411 was fixed: the buffered command is executed, and answered over TLS.</summary>
        ExecuteOverTls,
        /// <summary>Answers the buffered command in plaintext, right behind its STARTTLS go-ahead, then discards it.</summary>
        AnswerInPlaintext,
        /// <summary>When a command was pipelined behind STARTTLS: completes the handshake and hangs up at once.</summary>
        DropWhenPipelined,
        /// <summary>When a command was pipelined: executes it, then floods endless reply lines over TLS.</summary>
        FloodWhenPipelined,
        /// <summary>Refuses STARTTLS on every connection (the sanity check fails).</summary>
        RefuseStartTls,
    }

    /// <summary>
    /// A small SMTP/IMAP/POP3 server on 127.0.0.1 that really does STARTTLS (SslStream as server, with a certificate
    /// made for the test) and reads the client's bytes into one buffer, as a line-buffered server does. It accepts
    /// any number of connections, one after the other, and counts them.
    /// </summary>
    internal sealed class FakeStartTlsServer : IAsyncDisposable
    {
        private static readonly Lazy<X509Certificate2> Certificate =
            new Lazy<X509Certificate2>(() => TestCertificates.ForServer(TestCertificates.CreateLeaf("localhost")));
        private readonly TcpListener _listener;
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();
        private readonly Task _run;
        private readonly StartTlsProtocol _protocol;
        private readonly PipelineBehaviour _behaviour;
        private int _accepted;

        public FakeStartTlsServer(StartTlsProtocol protocol, PipelineBehaviour behaviour)
        {
            _protocol = protocol;
            _behaviour = behaviour;
            _listener = new TcpListener(IPAddress.Loopback, 0);
            _listener.Start();
            Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
            _run = AcceptLoopAsync();
        }

        public int Port { get; }
        public int Accepted => Volatile.Read(ref _accepted);
        /// <summary>Every plaintext chunk that followed a STARTTLS command in the same read, per connection.</summary>
        public ConcurrentQueue<string> PipelinedAfterStartTls { get; } = new ConcurrentQueue<string>();

        private async Task AcceptLoopAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                Socket socket;
                try { socket = await _listener.AcceptSocketAsync(_stop.Token); }
                catch (Exception ex) when (ex is OperationCanceledException || ex is SocketException || ex is ObjectDisposedException) { return; }
                Interlocked.Increment(ref _accepted);
                using (socket)
                {
                    try { await ServeAsync(socket, _stop.Token); }
                    catch (Exception ex) when (ex is IOException || ex is SocketException || ex is OperationCanceledException || ex is ObjectDisposedException || ex is System.Security.Authentication.AuthenticationException) { }
                }
            }
        }

        private async Task ServeAsync(Socket socket, CancellationToken cancel)
        {
            var plain = new NetworkStream(socket, ownsSocket: false);
            var reader = new LineReader(plain);
            await SendAsync(plain, Greeting(), cancel);
            while (true)
            {
                string? line = await reader.ReadLineAsync(cancel);
                if (line == null) return;
                if (!IsStartTls(line, out string tag))
                {
                    string? reply = Reply(line, tls: false);
                    if (reply == null) return;
                    await SendAsync(plain, reply, cancel);
                    continue;
                }

                // Whatever arrived with STARTTLS in the same read (or right behind it) is the pipelined plaintext.
                if (reader.Buffered == 0 && socket.Poll(200_000, SelectMode.SelectRead) && socket.Available > 0) await reader.FillAsync(cancel);
                string pipelined = reader.TakeBuffered();
                PipelinedAfterStartTls.Enqueue(pipelined);
                if (_behaviour == PipelineBehaviour.RefuseStartTls)
                {
                    await SendAsync(plain, StartTlsRefusal(tag), cancel);
                    continue;
                }
                string goAhead = StartTlsGoAhead(tag);
                if (_behaviour == PipelineBehaviour.AnswerInPlaintext)
                    foreach (string command in Lines(pipelined)) goAhead += Reply(command, tls: false);
                await SendAsync(plain, goAhead, cancel);

                using var tls = new SslStream(plain, leaveInnerStreamOpen: true);
                await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = Certificate.Value }, cancel);
                if (_behaviour == PipelineBehaviour.DropWhenPipelined && pipelined.Length > 0) return;
                if (_behaviour == PipelineBehaviour.FloodWhenPipelined && pipelined.Length > 0)
                {
                    for (int i = 0; i < 100_000 && !cancel.IsCancellationRequested; i++) await SendAsync(tls, $"250-flood line {i}\r\n", cancel);
                    return;
                }
                var secure = new LineReader(tls);
                if (_behaviour == PipelineBehaviour.ExecuteOverTls) secure.Seed(pipelined);
                while (true)
                {
                    string? command = await secure.ReadLineAsync(cancel);
                    if (command == null) return;
                    string? reply = Reply(command, tls: true);
                    if (reply == null) return;
                    await SendAsync(tls, reply, cancel);
                    if (IsGoodbye(command)) return;
                }
            }
        }

        private static IEnumerable<string> Lines(string text) =>
            text.Split(new[] { "\r\n" }, StringSplitOptions.RemoveEmptyEntries);

        private string Greeting() => _protocol switch
        {
            StartTlsProtocol.Imap => "* OK [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED] fake ready\r\n",
            StartTlsProtocol.Pop3 => "+OK fake ready\r\n",
            _ => "220 fake.test ESMTP\r\n",
        };

        private bool IsStartTls(string line, out string tag)
        {
            string[] parts = line.Split(' ');
            tag = parts[0];
            return _protocol switch
            {
                StartTlsProtocol.Imap => parts.Length == 2 && parts[1].Equals("STARTTLS", StringComparison.OrdinalIgnoreCase),
                StartTlsProtocol.Pop3 => line.Equals("STLS", StringComparison.OrdinalIgnoreCase),
                _ => line.Equals("STARTTLS", StringComparison.OrdinalIgnoreCase),
            };
        }

        private string StartTlsGoAhead(string tag) => _protocol switch
        {
            StartTlsProtocol.Imap => tag + " OK Begin TLS negotiation now\r\n",
            StartTlsProtocol.Pop3 => "+OK Begin TLS negotiation\r\n",
            _ => "220 2.0.0 Ready to start TLS\r\n",
        };

        private string StartTlsRefusal(string tag) => _protocol switch
        {
            StartTlsProtocol.Imap => tag + " NO TLS unavailable\r\n",
            StartTlsProtocol.Pop3 => "-ERR TLS unavailable\r\n",
            _ => "454 4.7.0 TLS not available\r\n",
        };

        private bool IsGoodbye(string command) =>
            command.Equals("QUIT", StringComparison.OrdinalIgnoreCase) || command.EndsWith(" LOGOUT", StringComparison.OrdinalIgnoreCase);

        /// <summary>The reply to one command, or null to hang up.</summary>
        private string? Reply(string command, bool tls)
        {
            string[] parts = command.Split(' ');
            string verb = parts[0].ToUpperInvariant();
            switch (_protocol)
            {
                case StartTlsProtocol.Imap:
                    string tag = parts[0];
                    string imapVerb = parts.Length > 1 ? parts[1].ToUpperInvariant() : "";
                    return imapVerb switch
                    {
                        "CAPABILITY" => $"* CAPABILITY IMAP4rev1 {(tls ? "AUTH=PLAIN" : "STARTTLS LOGINDISABLED")}\r\n{tag} OK CAPABILITY completed\r\n",
                        "NOOP" => $"{tag} OK NOOP completed\r\n",
                        "LOGOUT" => $"* BYE fake logging out\r\n{tag} OK LOGOUT completed\r\n",
                        _ => $"{tag} BAD unknown command\r\n",
                    };
                case StartTlsProtocol.Pop3:
                    return verb switch
                    {
                        "CAPA" => tls ? "+OK Capability list follows\r\nUSER\r\nSASL PLAIN\r\n.\r\n" : "+OK Capability list follows\r\nSTLS\r\n.\r\n",
                        "QUIT" => "+OK bye\r\n",
                        _ => "-ERR unknown command\r\n",
                    };
                default:
                    return verb switch
                    {
                        "EHLO" => tls ? "250-fake.test\r\n250 AUTH PLAIN\r\n" : "250-fake.test\r\n250 STARTTLS\r\n",
                        "QUIT" => "221 2.0.0 Bye\r\n",
                        _ => "502 5.5.2 Command not recognized\r\n",
                    };
            }
        }

        private static Task SendAsync(Stream stream, string text, CancellationToken cancel) =>
            stream.WriteAsync(Encoding.ASCII.GetBytes(text), cancel).AsTask();

        public async ValueTask DisposeAsync()
        {
            _stop.Cancel();
            _listener.Stop();
            try { await _run.WaitAsync(TimeSpan.FromSeconds(5)); }
            finally
            {
                _listener.Server.Dispose();
                _stop.Dispose();
            }
        }

        /// <summary>A line reader that keeps what it has read beyond the line, as servers' input buffers do.</summary>
        private sealed class LineReader
        {
            private readonly Stream _stream;
            private readonly byte[] _buffer = new byte[64 * 1024];
            private int _start;
            private int _end;

            public LineReader(Stream stream) => _stream = stream;

            public int Buffered => _end - _start;

            public void Seed(string text)
            {
                byte[] bytes = Encoding.ASCII.GetBytes(text);
                Buffer.BlockCopy(bytes, 0, _buffer, 0, bytes.Length);
                _start = 0;
                _end = bytes.Length;
            }

            public string TakeBuffered()
            {
                string text = Encoding.ASCII.GetString(_buffer, _start, _end - _start);
                _start = _end = 0;
                return text;
            }

            public async Task<string?> ReadLineAsync(CancellationToken cancel)
            {
                while (true)
                {
                    int lf = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
                    if (lf >= 0)
                    {
                        string line = Encoding.ASCII.GetString(_buffer, _start, lf - _start).TrimEnd('\r');
                        _start = lf + 1;
                        return line;
                    }
                    if (await FillAsync(cancel) == 0) return null;
                }
            }

            public async Task<int> FillAsync(CancellationToken cancel)
            {
                if (_start > 0)
                {
                    Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                    _end -= _start;
                    _start = 0;
                }
                int n = await _stream.ReadAsync(_buffer.AsMemory(_end), cancel);
                _end += n;
                return n;
            }
        }
    }
}
