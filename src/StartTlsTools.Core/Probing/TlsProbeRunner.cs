using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using StartTlsTools.Protocols;
using StartTlsTools.Transport;

namespace StartTlsTools.Probing
{
    public enum ProbeKind
    {
        /// <summary>The server answered the ClientHello (ServerHello, alert or a hang-up): see the flight.</summary>
        Answered,
        /// <summary>The plaintext preamble ended without a STARTTLS go-ahead, for a reason retrying cannot fix.</summary>
        PreambleFailed,
        /// <summary>The probe could not be run (busy server after every retry, timeout, malformed answer).</summary>
        Untested,
    }

    public sealed class ProbeResult
    {
        public ProbeKind Kind { get; set; }
        public ServerFlight Flight { get; set; } = new ServerFlight();
        public StartTlsStatus? PreambleStatus { get; set; }
        /// <summary>Untested because a step (the connect included) ran out of time.</summary>
        public bool TimedOut { get; set; }
        public string? Reason { get; set; }
    }

    /// <summary>
    /// Runs one probe: a new TCP connection, the dialect's plaintext preamble up to the STARTTLS go-ahead (none in
    /// implicit mode), one raw ClientHello, the server's first flight, a close_notify, and goodbye. The handshake is
    /// never completed. Each connection holds a slot of the per-host limiter for as long as it is open; a busy server
    /// (421, "too many connections", refused or dropped connects) is retried with exponential backoff and then
    /// reported as Untested.
    /// </summary>
    public sealed class TlsProbeRunner
    {
        private static readonly Regex BusyAnswer = new Regex(@"\b421\b|too many|busy|try again|temporar|overload", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

        /// <summary>The per-scan limiter's only key: a scan has one target, so pacing needs no address.</summary>
        private const string PacingKey = "scan";

        private readonly IReadOnlyList<IPAddress> _addresses;
        private readonly int _port;
        private readonly IStartTlsDialect _dialect;
        private readonly DialectContext _context;
        private readonly bool _implicitTls;
        private readonly TimeSpan _timeout;
        private readonly HostConnectionLimiter _limiter;
        private readonly int _cap;
        private readonly HostConnectionLimiter? _pacing;
        private readonly CancellationToken _cancel;
        private IPAddress? _pinned;
        private int _connections;

        /// <summary>One address; every connection holds a slot of <paramref name="limiter"/> under its own cap (and pause).</summary>
        public TlsProbeRunner(IPAddress address, int port, IStartTlsDialect dialect, DialectContext context, bool implicitTls,
            TimeSpan timeout, HostConnectionLimiter limiter, CancellationToken cancel)
            : this(new[] { address }, port, dialect, context, implicitTls, timeout, limiter, limiter.MaxPerHost, null, cancel)
        {
        }

        /// <summary>
        /// Every resolved address, tried in turn until one accepts a connection; from then on every probe goes to that
        /// one (<see cref="Address"/>). Each connection holds a slot of <paramref name="limiter"/> (keyed by the
        /// address, admitted under <paramref name="cap"/>) and, when given, first waits for its turn in
        /// <paramref name="pacing"/> (this runner's own pause between connections).
        /// </summary>
        public TlsProbeRunner(IReadOnlyList<IPAddress> addresses, int port, IStartTlsDialect dialect, DialectContext context, bool implicitTls,
            TimeSpan timeout, HostConnectionLimiter limiter, int cap, HostConnectionLimiter? pacing, CancellationToken cancel)
        {
            if (addresses.Count == 0) throw new ArgumentException("At least one address.", nameof(addresses));
            if (cap < 1) throw new ArgumentOutOfRangeException(nameof(cap), cap, "At least one connection per host.");
            _addresses = addresses;
            _port = port;
            _dialect = dialect;
            _context = context;
            _implicitTls = implicitTls;
            _timeout = timeout;
            _limiter = limiter;
            _cap = cap;
            _pacing = pacing;
            _cancel = cancel;
        }

        /// <summary>The address that accepted the first connection, which every later probe uses; null until one did.</summary>
        public IPAddress? Address => Volatile.Read(ref _pinned);

        /// <summary>How long each probe waits for a greeting (see <see cref="ProtocolSession.GreetingTimeout"/>).</summary>
        public TimeSpan? GreetingTimeout { get; set; }

        /// <summary>Retries after a busy answer; the delay doubles each time.</summary>
        public int Retries { get; set; } = 3;
        public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(250);

        /// <summary>How many probes may run at once (the per-host cap).</summary>
        public int MaxParallel => _cap;

        /// <summary>Every TCP connection opened, retries included.</summary>
        public int ConnectionsOpened => Volatile.Read(ref _connections);

        public async Task<ProbeResult> ProbeAsync(byte[] clientHello, bool untilServerHelloDone, TlsProtocolVersion version)
        {
            ProbeResult result = new ProbeResult { Kind = ProbeKind.Untested };
            for (int attempt = 0; attempt <= Retries; attempt++)
            {
                if (attempt > 0) await Task.Delay(TimeSpan.FromMilliseconds(RetryDelay.TotalMilliseconds * (1 << (attempt - 1))), _cancel).ConfigureAwait(false);
                bool retry;
                (result, retry) = await OnceAsync(clientHello, untilServerHelloDone, version).ConfigureAwait(false);
                if (!retry) return result;
            }
            result.Kind = ProbeKind.Untested;
            result.Reason = $"{result.Reason} (still after {Retries} retries)";
            return result;
        }

        private async Task<(ProbeResult, bool retry)> OnceAsync(byte[] clientHello, bool untilServerHelloDone, TlsProtocolVersion version)
        {
            var result = new ProbeResult();
            using (_pacing == null ? null : await _pacing.AcquireAsync(PacingKey, _cancel).ConfigureAwait(false))
            {
                Socket socket;
                IDisposable slot;
                IPAddress? pinned = Address;
                try
                {
                    (socket, slot) = await NetworkConnector.ConnectAsync(pinned == null ? _addresses : new[] { pinned }, _port, _timeout,
                        _limiter, _cap, _cancel).ConfigureAwait(false);
                }
                catch (ConnectFailedException ex)
                {
                    return (Untested(result, ex.Message), true);
                }
                catch (StepTimeoutException ex)
                {
                    return (TimedOut(result, ex), true);
                }
                Interlocked.Increment(ref _connections);
                var transcript = new TranscriptRecorder(System.Diagnostics.Stopwatch.StartNew());
                using (var session = ProtocolSession.OverSocket(socket, _timeout, _cancel, transcript, GreetingTimeout))
                {
                    session.ReleaseOnDispose(slot);
                    // The first address to accept is the one scanned (a scan's first probe runs alone, so only one can win).
                    if (pinned == null) Interlocked.CompareExchange(ref _pinned, ((IPEndPoint)socket.RemoteEndPoint!).Address, null);
                    try
                    {
                        if (!_implicitTls)
                        {
                            PlainPhaseOutcome plain = await _dialect.NegotiateStartTlsAsync(session, _context).ConfigureAwait(false);
                            if (plain.StopStatus is StartTlsStatus stop)
                            {
                                string reason = plain.StopReason ?? stop.ToString();
                                if (IsBusy(plain)) return (Untested(result, "The server was busy: " + reason), true);
                                result.Kind = ProbeKind.PreambleFailed;
                                result.PreambleStatus = stop;
                                result.Reason = reason;
                                return (result, false);
                            }
                            session.DiscardBufferedPlaintext();
                        }
                    }
                    catch (StepTimeoutException ex) { return (TimedOut(result, ex), true); }
                    catch (StartTlsProtocolException ex) when (ex is ConnectionClosedException) { return (Untested(result, ex.Message), true); }
                    catch (StartTlsProtocolException ex)
                    {
                        result.Kind = ProbeKind.PreambleFailed;
                        result.PreambleStatus = StartTlsStatus.ProtocolError;
                        result.Reason = ex.Message;
                        return (result, false);
                    }

                    try
                    {
                        await session.WriteAsync(clientHello, "the ClientHello", "(ClientHello)").ConfigureAwait(false);
                        var reader = new ServerFlightReader(session.ReadRawBytesAsync);
                        result.Flight = await reader.ReadAsync(untilServerHelloDone).ConfigureAwait(false);
                        result.Kind = ProbeKind.Answered;
                    }
                    catch (ConnectionClosedException)
                    {
                        // Closing without an alert is how some servers refuse a ClientHello: an answer too.
                        result.Kind = ProbeKind.Answered;
                    }
                    catch (StepTimeoutException ex) { return (TimedOut(result, ex), true); }
                    catch (StartTlsProtocolException ex) { return (Untested(result, ex.Message), false); }

                    if (result.Flight.ServerHello != null && result.Flight.Alert == null && version != TlsProtocolVersion.Ssl2)
                    {
                        // Best effort: a clean goodbye for the server's log; the result is already complete.
                        try { await session.WriteAsync(ClientHelloBuilder.CloseNotify(version), "close_notify", "(close_notify)").ConfigureAwait(false); }
                        catch (Exception ex) when (ex is StartTlsProtocolException || ex is StepTimeoutException) { }
                    }
                    return (result, false);
                }
            }
        }

        /// <summary>
        /// A busy server (rate limit, closing) is worth retrying; a block list or a refused STARTTLS is not. The
        /// dialect's typed classification decides; a temporary refusal of STARTTLS (SMTP 454 "try again later")
        /// is recognised by its reply text, as before.
        /// </summary>
        private static bool IsBusy(PlainPhaseOutcome plain)
        {
            if (plain.StopStatus == StartTlsStatus.Unavailable)
                return plain.Unavailable == UnavailableKind.RateLimited || plain.Unavailable == UnavailableKind.Closing;
            return BusyAnswer.IsMatch((plain.StopReason ?? "") + " " + plain.StartTlsReply);
        }

        private static ProbeResult TimedOut(ProbeResult result, StepTimeoutException timeout)
        {
            result.TimedOut = true;
            return Untested(result, timeout.Message);
        }

        private static ProbeResult Untested(ProbeResult result, string reason)
        {
            result.Kind = ProbeKind.Untested;
            result.Reason = reason;
            return result;
        }
    }
}
