using System;
using System.IO;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace StartTlsTools.Transport
{
    /// <summary>
    /// One connection to one server: bounded line reads, writes, the switch to TLS, the transcript and
    /// the byte counters. Every network step runs under its own timeout and the caller's cancellation;
    /// when either fires the connection is aborted, so no read can outlive it on any runtime.
    /// </summary>
    public sealed class ProtocolSession : IDisposable
    {
        public const int DefaultMaxLineLength = 16 * 1024;
        private static readonly Encoding Utf8 = new UTF8Encoding(false, false);

        private readonly Action _abort;
        private readonly CancellationToken _cancel;
        private readonly byte[] _buffer;
        private Stream _stream;
        private int _start;
        private int _end;
        private int _closedFlag;
        private IDisposable? _slot;
        private int _writes;
        private HandshakeBytesRecorder? _handshakeBytes;

        public ProtocolSession(Stream stream, Action abort, TimeSpan stepTimeout, CancellationToken cancel,
            TranscriptRecorder transcript, int maxLineLength = DefaultMaxLineLength)
        {
            _stream = stream;
            _abort = abort;
            StepTimeout = stepTimeout;
            _cancel = cancel;
            Transcript = transcript;
            MaxLineLength = maxLineLength;
            _buffer = new byte[maxLineLength + 2];
        }

        /// <summary>A session that owns a connected socket: aborting a step or disposing the session closes it.</summary>
        public static ProtocolSession OverSocket(System.Net.Sockets.Socket socket, TimeSpan stepTimeout, CancellationToken cancel, TranscriptRecorder transcript,
            TimeSpan? greetingTimeout = null) =>
            new ProtocolSession(new System.Net.Sockets.NetworkStream(socket, ownsSocket: true), socket.Dispose, stepTimeout, cancel, transcript)
            {
                GreetingTimeout = greetingTimeout,
            };

        public TimeSpan StepTimeout { get; }

        /// <summary>
        /// How long to wait for the server's first words (its greeting) before the client has said anything: tarpits and
        /// greet-pause hold a greeting back on purpose, and RFC 5321 section 4.5.3.2 gives clients 5 minutes for it. Null
        /// means the step timeout; it is never shorter than the step timeout.
        /// </summary>
        public TimeSpan? GreetingTimeout { get; set; }

        /// <summary>True until the client writes its first command: reads then wait for a greeting.</summary>
        public bool AwaitingGreeting => _writes == 0;

        private TimeSpan ReadTimeout => AwaitingGreeting && GreetingTimeout is TimeSpan greeting && greeting > StepTimeout ? greeting : StepTimeout;
        public int MaxLineLength { get; }
        public TranscriptRecorder Transcript { get; }
        public bool IsTls { get; private set; }
        public TranscriptPhase Phase => IsTls ? TranscriptPhase.Tls : TranscriptPhase.Plain;

        /// <summary>Bytes that crossed the wire in plaintext, before TLS.</summary>
        public long PlainBytesSent { get; private set; }
        public long PlainBytesReceived { get; private set; }
        /// <summary>Client writes made before TLS: each is one round trip in these lock-step protocols.</summary>
        public int PlainRoundTrips { get; private set; }

        /// <summary>The peer certificate and chain as seen during the handshake.</summary>
        public X509Certificate2? PeerCertificate { get; private set; }
        public X509Certificate2Collection PeerChain { get; } = new X509Certificate2Collection();
        /// <summary>
        /// Exactly what the server sent in its handshake, leaf first, nothing the local chain builder added (DANE
        /// matches against this, RFC 7671 section 5).
        /// </summary>
        internal System.Collections.Generic.List<X509Certificate2> PresentedChain { get; } = new System.Collections.Generic.List<X509Certificate2>();
        public SslStream? TlsStream => _stream as SslStream;

        /// <summary>Reads one line (LF-terminated, CR stripped). Throws StartTlsProtocolException past MaxLineLength.</summary>
        public Task<string> ReadLineAsync(string step) => RunReadAsync(step, async token =>
        {
            while (true)
            {
                int lf = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
                if (lf >= 0)
                {
                    int length = lf - _start;
                    if (length > 0 && _buffer[lf - 1] == (byte)'\r') length--;
                    // Server text is inert from here on: no control character reaches a dialect, a result or a console.
                    string line = ServerText.Inert(Utf8.GetString(_buffer, _start, length));
                    _start = lf + 1;
                    Transcript.Add(TranscriptDirection.Server, Phase, line);
                    return line;
                }
                if (_end - _start >= MaxLineLength)
                    throw new StartTlsProtocolException($"The server sent a line longer than {MaxLineLength} bytes (the line length limit) during {step}.");
                await FillAsync(step, token).ConfigureAwait(false);
            }
        });

        /// <summary>Reads exactly <paramref name="count"/> bytes, for binary dialects.</summary>
        public Task<byte[]> ReadBytesAsync(int count, string step)
        {
            if (count < 0 || count > MaxLineLength)
                throw new StartTlsProtocolException($"The server announced {count} bytes during {step}, over the {MaxLineLength}-byte record limit.");
            return ReadExactlyAsync(count, step);
        }

        /// <summary>
        /// Returns whatever bytes are buffered, or waits for the next read when none are: for dialects that are not
        /// line-based (XMPP's XML stream) and keep their own bounds. At most the session's buffer size per call. The
        /// caller records what it parsed in the transcript.
        /// </summary>
        public Task<byte[]> ReadAvailableAsync(string step) => RunReadAsync(step, async token =>
        {
            if (_end == _start) await FillAsync(step, token).ConfigureAwait(false);
            var result = new byte[_end - _start];
            Buffer.BlockCopy(_buffer, _start, result, 0, result.Length);
            _start = _end;
            return result;
        });

        /// <summary>
        /// Puts back bytes that a dialect took with ReadAvailableAsync but did not parse (what followed its last
        /// element), so that DiscardBufferedPlaintext still sees plaintext sent after a STARTTLS answer.
        /// </summary>
        public void Unread(byte[] bytes)
        {
            if (bytes.Length == 0) return;
            int buffered = _end - _start;
            if (bytes.Length + buffered > _buffer.Length)
                throw new StartTlsProtocolException($"The server sent more than {_buffer.Length} bytes past the element being read.");
            Buffer.BlockCopy(_buffer, _start, _buffer, bytes.Length, buffered);
            Buffer.BlockCopy(bytes, 0, _buffer, 0, bytes.Length);
            _start = 0;
            _end = bytes.Length + buffered;
        }

        /// <summary>Bound for <see cref="ReadRawBytesAsync"/>: one TLS record (2^14 + 2048 bytes plus its header).</summary>
        public const int MaxRawRead = 16384 + 2048 + 5;

        /// <summary>
        /// Reads exactly <paramref name="count"/> raw bytes (at most <see cref="MaxRawRead"/>) under the step timeout:
        /// how the cipher probe reads TLS records itself, after the STARTTLS go-ahead, instead of using SslStream.
        /// </summary>
        public Task<byte[]> ReadRawBytesAsync(int count, string step)
        {
            if (count < 0 || count > MaxRawRead)
                throw new StartTlsProtocolException($"The server announced {count} bytes during {step}, over the {MaxRawRead}-byte limit.");
            return ReadExactlyAsync(count, step);
        }

        /// <summary>Reads exactly <paramref name="count"/> bytes, already checked against the caller's bound.</summary>
        private Task<byte[]> ReadExactlyAsync(int count, string step) => RunReadAsync(step, async token =>
        {
            var result = new byte[count];
            int copied = 0;
            while (copied < count)
            {
                if (_end == _start) await FillAsync(step, token).ConfigureAwait(false);
                int n = Math.Min(count - copied, _end - _start);
                Buffer.BlockCopy(_buffer, _start, result, copied, n);
                _start += n;
                copied += n;
            }
            return result;
        });

        /// <summary>Sends one command line with CRLF. <paramref name="shownAs"/> replaces the text in the transcript (secrets).</summary>
        public Task WriteLineAsync(string line, string step, string? shownAs = null)
        {
            if (line.IndexOf('\r') >= 0 || line.IndexOf('\n') >= 0)
                throw new ArgumentException("A command line must not contain CR or LF.", nameof(line));
            return WriteAsync(Utf8.GetBytes(line + "\r\n"), step, shownAs ?? line);
        }

        /// <summary>Sends bytes exactly as given, in one write (one TCP segment where the stack allows).</summary>
        public Task WriteAsync(byte[] bytes, string step, string shownAs) => RunStepAsync(step, async token =>
        {
            _writes++;
            Transcript.Add(TranscriptDirection.Client, Phase, shownAs);
            if (!IsTls)
            {
                PlainBytesSent += bytes.Length;
                PlainRoundTrips++;
            }
            await _stream.WriteAsync(bytes, 0, bytes.Length, token).ConfigureAwait(false);
            await _stream.FlushAsync(token).ConfigureAwait(false);
            return true;
        });

        /// <summary>
        /// Set only by the opt-in injection probe: a command line sent in the same write as the STARTTLS
        /// command. Everything else in the product never pipelines.
        /// </summary>
        public string? InjectAfterStartTls { get; set; }

        /// <summary>Sends the protocol's STARTTLS command, with the injection probe's command behind it when one is set.</summary>
        public Task WriteStartTlsCommandAsync(string line, string step)
        {
            if (InjectAfterStartTls is not string injected) return WriteLineAsync(line, step);
            if (injected.IndexOf('\r') >= 0 || injected.IndexOf('\n') >= 0)
                throw new ArgumentException("An injected command must not contain CR or LF.", nameof(InjectAfterStartTls));
            return WriteAsync(Utf8.GetBytes(line + "\r\n" + injected + "\r\n"), step, line + " + (injected) " + injected);
        }

        /// <summary>How many bytes have been read from the connection but not yet consumed by a dialect.</summary>
        public int BufferedBytes => _end - _start;

        /// <summary>The plaintext bytes read but not yet consumed, as text (for evidence; it does not consume them).</summary>
        public string PeekBufferedText() => Utf8.GetString(_buffer, _start, _end - _start);

        /// <summary>Drops plaintext the server sent after its STARTTLS reply, so it can never be read as if it came over TLS.</summary>
        public int DiscardBufferedPlaintext()
        {
            int discarded = _end - _start;
            _start = _end = 0;
            return discarded;
        }

        /// <summary>
        /// The first bytes the server sent during the TLS handshake (at most <see cref="HandshakeBytesRecorder.Capacity"/>);
        /// empty before a handshake or when the server sent nothing. Non-TLS bytes here mean something answered in plaintext.
        /// </summary>
        public byte[] FirstHandshakeBytesReceived => _handshakeBytes?.Recorded ?? new byte[0];

        /// <summary>Runs the TLS handshake over this connection. The certificate is recorded, never silently trusted: the caller validates it.</summary>
        public async Task UpgradeToTlsAsync(string targetHost, string step)
        {
            if (IsTls) throw new InvalidOperationException("The session is already in TLS.");
            // The first bytes the handshake reads tell a TLS answer from plaintext sent where TLS must be (a middlebox).
            _handshakeBytes = new HandshakeBytesRecorder(_stream);
            var ssl = new SslStream(_handshakeBytes, false, RecordPeerCertificate);
            try
            {
                await RunStepAsync(step, async _ =>
                {
                    // SslProtocols.None lets the OS pick its best versions (TLS 1.3 where available).
                    await ssl.AuthenticateAsClientAsync(targetHost, null, SslProtocols.None, false).ConfigureAwait(false);
                    return true;
                }).ConfigureAwait(false);
            }
            catch (AuthenticationException ex)
            {
                throw new TlsHandshakeFailedException("The TLS handshake failed: " + Describe(ex), ex);
            }
            catch (StartTlsProtocolException ex)
            {
                throw new TlsHandshakeFailedException("The TLS handshake failed: " + ex.Message, ex);
            }
            _handshakeBytes.StopRecording();
            _stream = ssl;
            IsTls = true;
            Transcript.Add(TranscriptDirection.Client, TranscriptPhase.Tls, "(TLS handshake complete)");
        }

        private bool RecordPeerCertificate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
        {
            if (certificate != null) PeerCertificate = new X509Certificate2(certificate);
            if (PeerCertificate != null) PresentedChain.Add(PeerCertificate);
            if (chain != null)
            {
                // The runtime puts the certificates the server sent (beyond its own) in ExtraStore, in the order sent.
                foreach (var cert in chain.ChainPolicy.ExtraStore)
                    if (PeerCertificate == null || !System.Linq.Enumerable.SequenceEqual(cert.RawData, PeerCertificate.RawData)) PresentedChain.Add(cert);
                foreach (var cert in chain.ChainPolicy.ExtraStore) PeerChain.Add(cert);
                foreach (var element in chain.ChainElements) PeerChain.Add(element.Certificate);
            }
            // Accept here so that the handshake completes and everything else can still be diagnosed;
            // the engine validates the certificate itself and reports the outcome on the result.
            return true;
        }

        private static string Describe(Exception ex)
        {
            string text = ex.Message;
            for (var inner = ex.InnerException; inner != null; inner = inner.InnerException)
                if (!string.IsNullOrEmpty(inner.Message) && text.IndexOf(inner.Message, StringComparison.Ordinal) < 0) text += " " + inner.Message;
            return text;
        }

        private async Task FillAsync(string step, CancellationToken token)
        {
            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }
            int n = await _stream.ReadAsync(_buffer, _end, _buffer.Length - _end, token).ConfigureAwait(false);
            if (n <= 0) throw new ConnectionClosedException(step);
            if (!IsTls) PlainBytesReceived += n;
            _end += n;
        }

        /// <summary>A read: under the greeting timeout while the server has its first turn, else the step timeout.</summary>
        private Task<T> RunReadAsync<T>(string step, Func<CancellationToken, Task<T>> action)
        {
            return RunStepAsync(step, action, ReadTimeout, AwaitingGreeting);
        }

        /// <summary>
        /// Runs one network step under the step timeout and the caller's cancellation. Either aborts the
        /// connection (the only portable way to unblock a read on .NET Framework) and surfaces as
        /// StepTimeoutException or OperationCanceledException.
        /// </summary>
        public Task<T> RunStepAsync<T>(string step, Func<CancellationToken, Task<T>> action) => RunStepAsync(step, action, StepTimeout, false);

        private async Task<T> RunStepAsync<T>(string step, Func<CancellationToken, Task<T>> action, TimeSpan timeout, bool greeting)
        {
            _cancel.ThrowIfCancellationRequested();
            using (var cts = CancellationTokenSource.CreateLinkedTokenSource(_cancel))
            {
                cts.CancelAfter(timeout);
                using (cts.Token.Register(Abort))
                {
                    try
                    {
                        T value = await action(cts.Token).ConfigureAwait(false);
                        return value;
                    }
                    catch (Exception) when (cts.IsCancellationRequested)
                    {
                        _cancel.ThrowIfCancellationRequested();
                        throw greeting ? StepTimeoutException.Greeting(step, timeout) : new StepTimeoutException(step, timeout);
                    }
                    catch (IOException ex)
                    {
                        throw new ConnectionClosedException(step, ex);
                    }
                    catch (ObjectDisposedException ex)
                    {
                        throw new ConnectionClosedException(step, ex);
                    }
                }
            }
        }

        private void Abort()
        {
            if (Interlocked.Exchange(ref _closedFlag, 1) == 0) _abort();
        }

        /// <summary>Releases <paramref name="slot"/> (a per-host connection slot) when the session is disposed.</summary>
        public void ReleaseOnDispose(IDisposable slot) => _slot = slot;

        public void Dispose()
        {
            try { _stream.Dispose(); } catch (Exception) { /* closing a broken stream must not throw */ }
            Abort();
            Interlocked.Exchange(ref _slot, null)?.Dispose();
        }
    }
}
