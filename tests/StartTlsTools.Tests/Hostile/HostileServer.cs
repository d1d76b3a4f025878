using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace StartTlsTools.Tests.Hostile
{
    /// <summary>
    /// A one-connection TCP server on 127.0.0.1 whose behaviour is a script. It accepts the first client,
    /// runs the script against it and closes it; disposing stops the script (through its token), the
    /// listener and the accepted socket, so a test never leaves a socket behind.
    /// </summary>
    internal sealed class HostileServer : IAsyncDisposable
    {
        private readonly TcpListener _listener;
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();
        private readonly Task _run;
        private HostileConnection? _connection;
        /// <summary>A script failure that was not the client hanging up: a bug in the test, reported by <see cref="DisposeAsync"/>.</summary>
        private Exception? _scriptError;

        public HostileServer(Func<HostileConnection, CancellationToken, Task> script)
        {
            _listener = new TcpListener(IPAddress.Loopback, 0);
            _listener.Start(backlog: 1);
            Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
            _run = RunAsync(script);
        }

        public int Port { get; }

        /// <summary>Every line the client sent, in order (valid once the server is disposed).</summary>
        public IReadOnlyList<string> ReceivedLines => _connection?.ReceivedLines ?? (IReadOnlyList<string>)Array.Empty<string>();

        private async Task RunAsync(Func<HostileConnection, CancellationToken, Task> script)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException || ex is SocketException || ex is ObjectDisposedException)
            {
                return; // Disposed before anyone connected.
            }
            using (socket)
            {
                _connection = new HostileConnection(socket);
                try
                {
                    await script(_connection, _stop.Token).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is OperationCanceledException || ex is SocketException || ex is IOException || ex is ObjectDisposedException)
                {
                    // The client hung up or the test is over: both are normal endings for a hostile script.
                }
                catch (Exception ex)
                {
                    _scriptError = ex;
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            _stop.Cancel();
            _listener.Stop();
            try
            {
                await _run.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
            }
            finally
            {
                _listener.Server.Dispose();
                _stop.Dispose();
            }
            if (_scriptError != null) throw new InvalidOperationException("The hostile server's script failed: " + _scriptError.Message, _scriptError);
        }
    }

    /// <summary>The server's side of one connection: raw socket access plus line helpers that record what the client said.</summary>
    internal sealed class HostileConnection
    {
        private static readonly Encoding Latin1 = Encoding.Latin1;
        private readonly List<string> _received = new List<string>();
        private readonly byte[] _buffer = new byte[64 * 1024];
        private int _start;
        private int _end;

        public HostileConnection(Socket socket) => Socket = socket;

        public Socket Socket { get; }

        public IReadOnlyList<string> ReceivedLines => _received;

        /// <summary>Whether the client has sent bytes that the script has not read yet (without blocking).</summary>
        public bool ClientHasSpoken => _end > _start || Socket.Available > 0;

        public Task SendAsync(string text, CancellationToken cancel) => SendAsync(Latin1.GetBytes(text), cancel);

        public async Task SendAsync(byte[] bytes, CancellationToken cancel)
        {
            int sent = 0;
            while (sent < bytes.Length)
                sent += await Socket.SendAsync(bytes.AsMemory(sent), SocketFlags.None, cancel).ConfigureAwait(false);
        }

        /// <summary>The next CRLF- or LF-terminated line from the client, or null when it closed the connection.</summary>
        public async Task<string?> ReadLineAsync(CancellationToken cancel)
        {
            while (true)
            {
                int lf = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
                if (lf >= 0)
                {
                    string line = Latin1.GetString(_buffer, _start, lf - _start).TrimEnd('\r');
                    _start = lf + 1;
                    _received.Add(line);
                    return line;
                }
                if (await FillAsync(cancel).ConfigureAwait(false) == 0) return null;
            }
        }

        /// <summary>Reads at least one byte of whatever the client sends next (e.g. a ClientHello); empty when it closed.</summary>
        public async Task<byte[]> ReadSomeAsync(CancellationToken cancel)
        {
            if (_end == _start && await FillAsync(cancel).ConfigureAwait(false) == 0) return Array.Empty<byte>();
            byte[] bytes = _buffer.AsSpan(_start, _end - _start).ToArray();
            _start = _end = 0;
            return bytes;
        }

        /// <summary>Reads until the client closes, recording its lines; for scripts that only wait for the goodbye.</summary>
        public async Task DrainAsync(CancellationToken cancel)
        {
            while (await ReadLineAsync(cancel).ConfigureAwait(false) != null) { }
        }

        /// <summary>Closes with RST instead of FIN: linger on, zero timeout.</summary>
        public void Reset()
        {
            Socket.LingerState = new LingerOption(true, 0);
            Socket.Close();
        }

        private async Task<int> FillAsync(CancellationToken cancel)
        {
            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }
            if (_end == _buffer.Length) throw new InvalidOperationException("The client sent a line longer than the test server's buffer.");
            int n = await Socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None, cancel).ConfigureAwait(false);
            _end += n;
            return n;
        }
    }
}
