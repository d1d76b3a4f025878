using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using StartTlsTools.Protocols;
using StartTlsTools.Tls;
using StartTlsTools.Transport;

namespace StartTlsTools
{
    /// <summary>
    /// The opt-in STARTTLS command-injection probe (CVE-2011-0411; "NO STARTTLS", USENIX Security 2021). First a
    /// normal STARTTLS test (the sanity check); then, on a second connection, the STARTTLS command with one
    /// harmless command behind it in the same write. After the handshake the probe sends nothing and listens: a
    /// reply over TLS can only answer the plaintext command, so the server is Vulnerable. Silence or a close is
    /// correct. The two connections run one after the other, never at once. Never throws for server behaviour.
    /// </summary>
    public sealed class InjectionTester
    {
        /// <summary>At most this many reply lines are kept as evidence; a flood is still just Vulnerable.</summary>
        public const int MaxEvidenceLines = 20;
        private const int MaxEvidenceLineLength = 200;
        private readonly Func<string, Task<IPAddress[]>> _lookup;
        private readonly HostConnectionLimiter _limiter;

        /// <param name="lookup">Name resolution; the system resolver unless a test supplies its own.</param>
        /// <param name="limiter">The per-host cap both connections (the sanity run's and the probe's) go through; the process-wide one by default.</param>
        public InjectionTester(Func<string, Task<IPAddress[]>>? lookup = null, HostConnectionLimiter? limiter = null)
        {
            _lookup = lookup ?? NetworkConnector.SystemLookup;
            _limiter = limiter ?? HostConnectionLimiter.Shared;
        }

        public async Task<StartTlsInjectionResult> TestAsync(InjectionTestOptions options, CancellationToken cancel = default)
        {
            var problems = options.Validate();
            if (problems.Count > 0) throw new ArgumentException(string.Join(" ", problems), nameof(options));

            StartTlsTestOptions target = options.Target;
            var clock = Stopwatch.StartNew();
            string helloName = target.EhloName ?? HostNameRules.LocalHelloName();
            var result = new StartTlsInjectionResult
            {
                HostName = target.HostName,
                Port = target.EffectivePort,
                Protocol = target.Protocol,
                StartedAt = DateTimeOffset.UtcNow,
                InjectedCommand = InjectionTestOptions.InjectionCommandFor(target.Protocol, helloName) ?? "",
                WaitSeconds = options.Wait.TotalSeconds,
            };

            // The sanity check: a plain STARTTLS that must work, or a silent probe would prove nothing.
            var sanityOptions = Copy(target, helloName);
            StartTlsResult sanity = await new StartTlsTester(_lookup, _limiter).TestAsync(sanityOptions, cancel).ConfigureAwait(false);
            result.SanityCheck = sanity.Status;
            result.SanityCheckReason = sanity.Reason;
            result.IPAddress = sanity.IPAddress;
            if (sanity.Status != StartTlsStatus.Success)
            {
                result.Status = sanity.Status;
                result.Verdict = InjectionVerdict.Inconclusive;
                result.Reason = $"The sanity STARTTLS test failed ({sanity.Status}), so the probe was not sent: {sanity.Reason}";
                result.TotalMs = clock.Elapsed.TotalMilliseconds;
                return ServerText.MakeInert(result);
            }

            await ProbeAsync(options, helloName, result, clock, cancel).ConfigureAwait(false);
            result.TotalMs = clock.Elapsed.TotalMilliseconds;
            return ServerText.MakeInert(result);
        }

        private async Task ProbeAsync(InjectionTestOptions options, string helloName, StartTlsInjectionResult result, Stopwatch clock, CancellationToken cancel)
        {
            StartTlsTestOptions target = options.Target;
            IStartTlsDialect dialect = ProtocolRegistry.Get(target.Protocol);
            var context = new DialectContext(HostNameRules.Normalize(target.HostName), helloName);
            var transcript = new TranscriptRecorder(clock);
            // Cancelled when the quiet wait ends: that aborts the connection, which is how the probe stops listening.
            using var listening = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            ProtocolSession? session = null;
            var lines = new List<string>();
            try
            {
                IPAddress[] addresses = await NetworkConnector.ResolveAsync(target.HostName, _lookup, target.Timeout, cancel).ConfigureAwait(false);
                (Socket socket, IDisposable slot) = await NetworkConnector.ConnectAsync(addresses, result.Port, target.Timeout, _limiter, _limiter.MaxPerHost, cancel).ConfigureAwait(false);
                session = ProtocolSession.OverSocket(socket, target.Timeout, listening.Token, transcript, target.GreetingTimeout);
                session.ReleaseOnDispose(slot);
                result.IPAddress = ((IPEndPoint)socket.RemoteEndPoint!).Address.ToString();
                session.InjectAfterStartTls = result.InjectedCommand;

                PlainPhaseOutcome plain = await dialect.NegotiateStartTlsAsync(session, context).ConfigureAwait(false);
                result.StartTlsReply = plain.StartTlsReply;
                if (plain.StopStatus is StartTlsStatus stop)
                {
                    result.Status = stop;
                    // The sanity run was accepted; refusing only the pipelined STARTTLS is a defence, not a failure.
                    bool refusedPipelined = stop == StartTlsStatus.Refused && plain.StartTlsReply != null;
                    result.Verdict = refusedPipelined ? InjectionVerdict.NotVulnerable : InjectionVerdict.Inconclusive;
                    result.Reason = refusedPipelined
                        ? $"The server refused STARTTLS when a command was pipelined behind it ('{Shorten(plain.StartTlsReply!)}'), which protects against the injection."
                        : $"The probe connection stopped before TLS ({stop}): {plain.StopReason}";
                    return;
                }

                result.PlaintextEvidence = session.PeekBufferedText() is { Length: > 0 } early ? Shorten(early) : null;
                result.PlaintextBytesDiscardedAtUpgrade = session.DiscardBufferedPlaintext();
                await session.UpgradeToTlsAsync(context.HostName, "the TLS handshake").ConfigureAwait(false);
                result.TlsVersion = NegotiatedTls.Version(session.TlsStream!.SslProtocol);
                result.CipherSuite = NegotiatedTls.CipherSuiteName(session.TlsStream!);
                result.Status = StartTlsStatus.Success;

                listening.CancelAfter(options.Wait);
                string ending = await ListenAsync(session, lines, cancel).ConfigureAwait(false);
                Decide(result, lines, ending);
            }
            catch (Exception ex) when (FailureClassifier.TryClassify(ex, cancel, out StartTlsStatus status, out string reason))
            {
                if (status == StartTlsStatus.HandshakeFailed)
                {
                    // The sanity handshake worked, so the pipelined bytes broke this one: the server fed them to its TLS
                    // layer as handshake data (Dovecot does: "wrong version number") or hung up. Either way no TLS session
                    // exists in which the command could run. A plaintext answer would be a separate bug, in the transcript.
                    result.Status = StartTlsStatus.HandshakeFailed;
                    result.Verdict = InjectionVerdict.NotVulnerable;
                    result.Reason = "The server rejected the TLS handshake that followed the pipelined command (it treated the buffered plaintext " +
                        "as TLS data, or hung up), so the command could not run inside TLS. " + reason;
                }
                else if (status == StartTlsStatus.Timeout) Inconclusive(result, status, "The probe connection timed out: " + reason);
                else if (status == StartTlsStatus.ProtocolError && !(ex is StartTlsProtocolException)) Inconclusive(result, status, $"The probe connection failed: {ex.Message}");
                else Inconclusive(result, status, reason);
            }
            finally
            {
                session?.Dispose();
                if (target.IncludeTranscript) result.Transcript = transcript.ToString();
            }
        }

        /// <summary>Reads over TLS, sending nothing, until the wait ends, the server closes, or enough evidence is in.</summary>
        private static async Task<string> ListenAsync(ProtocolSession session, List<string> lines, CancellationToken cancel)
        {
            try
            {
                while (lines.Count < MaxEvidenceLines)
                    lines.Add(await session.ReadLineAsync("the quiet wait after the handshake").ConfigureAwait(false));
                return "enough";
            }
            catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
            {
                return "wait";
            }
            catch (StepTimeoutException)
            {
                return "wait"; // the per-step timeout is shorter than the wait: it ended the wait, nothing more
            }
            catch (ConnectionClosedException)
            {
                return "closed";
            }
        }

        private static void Decide(StartTlsInjectionResult result, List<string> lines, string ending)
        {
            result.LinesReceivedOverTls = lines.Count;
            string plaintextNote = result.PlaintextBytesDiscardedAtUpgrade > 0
                ? $" Separately, the server sent {result.PlaintextBytesDiscardedAtUpgrade} plaintext bytes after its STARTTLS reply (it answered the injected command before TLS): '{result.PlaintextEvidence}'."
                : "";
            if (lines.Count > 0)
            {
                result.Verdict = InjectionVerdict.Vulnerable;
                result.Evidence = string.Join(" | ", lines.Select(Shorten));
                result.Reason = $"Over TLS, without being asked, the server answered '{result.InjectedCommand}', which was sent in plaintext before the handshake: " +
                    Shorten(lines[0]) + "." + plaintextNote;
                return;
            }
            result.Verdict = InjectionVerdict.NotVulnerable;
            result.Reason = (ending == "closed"
                ? "The server closed the connection after the handshake without answering the pipelined command."
                : $"Nothing arrived over TLS within {result.WaitSeconds:0.#} s: the server discarded the pipelined command.") + plaintextNote;
        }

        private static void Inconclusive(StartTlsInjectionResult result, StartTlsStatus status, string reason)
        {
            result.Status = status;
            result.Verdict = InjectionVerdict.Inconclusive;
            result.Reason = reason;
        }

        private static StartTlsTestOptions Copy(StartTlsTestOptions target, string helloName)
        {
            var copy = target.CopyTargetTo(new StartTlsTestOptions { ExpiryWarningDays = target.ExpiryWarningDays });
            copy.EhloName = helloName;
            return copy;
        }

        private static string Shorten(string text) => text.Length <= MaxEvidenceLineLength ? text : text.Substring(0, MaxEvidenceLineLength - 3) + "...";
    }
}
