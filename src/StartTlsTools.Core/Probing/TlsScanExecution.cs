using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;

namespace StartTlsTools.Probing
{
    /// <summary>
    /// Runs a <see cref="TlsScanPlan"/> through a <see cref="TlsProbeRunner"/> (which holds the per-host cap) and
    /// records what it learns in <see cref="Findings"/>. Per version it offers every suite (windows of at most 128),
    /// removes the one the server chose and repeats until the server refuses: the choices come in the server's
    /// preference order. Version chains run in parallel; the group and curve chains wait, through signals, for the
    /// version chain that can tell them where to start.
    /// </summary>
    internal sealed class TlsScanExecution
    {
        private readonly string? _serverName;
        // Signals between chains: each is set once, by the chain that knows, and always by the end of that chain.
        private readonly TaskCompletionSource<bool> _gate = NewSignal<bool>();
        private readonly TaskCompletionSource<bool> _tls13Supported = NewSignal<bool>();
        private readonly TaskCompletionSource<int?> _firstEcdheTls12 = NewSignal<int?>();

        public TlsScanExecution(TlsProbeRunner runner, string? serverName)
        {
            Runner = runner;
            _serverName = serverName;
        }

        public TlsProbeRunner Runner { get; }
        public TlsScanFindings Findings { get; } = new TlsScanFindings();

        private static TaskCompletionSource<T> NewSignal<T>() => new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task RunAsync()
        {
            Task gateChain = Guard(() => EnumerateAsync(TlsScanPlan.GateVersion, gateKeeper: true));
            bool go = await _gate.Task.ConfigureAwait(false);
            var chains = new List<Task> { gateChain };
            if (!go)
            {
                _tls13Supported.TrySetResult(false);
            }
            else
            {
                foreach (var version in TlsScanPlan.VersionsAfterGate)
                    chains.Add(Guard(() => EnumerateAsync(version, gateKeeper: false)));
                Task[] versionChains = chains.ToArray();
                chains.Add(Guard(Ssl2Async));
                chains.Add(Guard(Tls13GroupsAsync));
                chains.Add(Guard(() => EcdheCurvesAsync(versionChains)));
            }
            await Task.WhenAll(chains).ConfigureAwait(false);
        }

        /// <summary>Makes sure a chain's bug or cancellation can never leave the gate closed.</summary>
        private async Task Guard(Func<Task> chain)
        {
            try { await chain().ConfigureAwait(false); }
            finally { _gate.TrySetResult(false); }
        }

        /// <summary>
        /// One version: find a first accepted suite, then offer the same window reversed. A server that picks the
        /// same suite again enforces its order, and the rest is found one suite per probe in its preference order.
        /// A server that follows the client's order has just named a second accepted suite, and its remaining
        /// candidates are split into parts enumerated in parallel (ranks then follow the offered order).
        /// </summary>
        private async Task EnumerateAsync(TlsProtocolVersion version, bool gateKeeper)
        {
            var found = Findings.Get(version);
            try
            {
                var candidates = TlsScanPlan.Candidates(version);
                var remaining = new List<CipherSuite>(candidates);
                List<CipherSuite> window;
                SuiteAnswer first;
                bool openGate = gateKeeper;
                while (true)
                {
                    window = TlsScanPlan.Window(remaining);
                    first = await OfferAsync(version, window, openGate).ConfigureAwait(false);
                    openGate = false;
                    if (first.Kind != SuiteAnswerKind.Refused) break;
                    remaining.RemoveRange(0, window.Count);
                    if (remaining.Count == 0) return;
                }
                if (first.Kind != SuiteAnswerKind.Chosen) return;
                found.Add(first.Suite!, first.Detail);
                remaining.Remove(first.Suite!);

                SuiteAnswer second = await OfferAsync(version, TlsScanPlan.Reversed(window), false).ConfigureAwait(false);
                if (second.Kind == SuiteAnswerKind.Refused)
                    Findings.Untested.Enqueue($"{TlsConstants.Name(version)} server-order probe: the server refused suites it had just accepted.");
                bool clientOrder = second.Kind == SuiteAnswerKind.Chosen && second.Suite!.Code != first.Suite!.Code;
                if (clientOrder)
                {
                    found.Add(second.Suite!, second.Detail);
                    remaining.Remove(second.Suite!);
                    var parts = TlsScanPlan.SplitForClientOrder(remaining, Runner.MaxParallel);
                    await Task.WhenAll(parts.Select(part => ShrinkAsync(version, found, part))).ConfigureAwait(false);
                    var index = candidates.Select((c, i) => (c.Code, i)).ToDictionary(x => x.Code, x => x.i);
                    lock (found) found.Accepted.Sort((a, b) => index[a.Suite.Code].CompareTo(index[b.Suite.Code]));
                    found.ServerOrder = false;
                }
                else
                {
                    await ShrinkAsync(version, found, remaining).ConfigureAwait(false);
                    // Same pick from the reversed window: the server's order, if the window held two suites it accepts.
                    if (second.Kind == SuiteAnswerKind.Chosen && found.Accepted.Count(a => window.Contains(a.Suite)) >= 2) found.ServerOrder = true;
                }
            }
            finally
            {
                // Waiters learn "not found" only when the chain that could find it is over.
                if (version == TlsProtocolVersion.Tls12) _firstEcdheTls12.TrySetResult(null);
                if (version == TlsProtocolVersion.Tls13) _tls13Supported.TrySetResult(false);
            }
        }

        /// <summary>Offers a shrinking list: remove each chosen suite (or each refused window) until nothing is left.</summary>
        private async Task ShrinkAsync(TlsProtocolVersion version, VersionFindings found, List<CipherSuite> part)
        {
            while (part.Count > 0)
            {
                var window = TlsScanPlan.Window(part);
                SuiteAnswer answer = await OfferAsync(version, window, false).ConfigureAwait(false);
                switch (answer.Kind)
                {
                    case SuiteAnswerKind.Chosen:
                        found.Add(answer.Suite!, answer.Detail);
                        part.Remove(answer.Suite!);
                        break;
                    case SuiteAnswerKind.Refused:
                        part.RemoveRange(0, window.Count);
                        break;
                    default:
                        return;
                }
            }
        }

        /// <summary>One probe offering <paramref name="window"/>; records what it teaches beyond the choice (certificate, support).</summary>
        private async Task<SuiteAnswer> OfferAsync(TlsProtocolVersion version, List<CipherSuite> window, bool openGate)
        {
            ProbeResult probe = await ProbeAsync(TlsScanPlan.SuiteOffer(version, window, _serverName)).ConfigureAwait(false);
            if (openGate) OpenGate(probe);
            if (!Usable(probe, $"{TlsConstants.Name(version)} probe offering {window.Count} suites")) return new SuiteAnswer(SuiteAnswerKind.Stop);
            SuiteAnswer answer = TlsScanPlan.ReadSuiteAnswer(version, window, probe.Flight);
            if (answer.Problem != null) Findings.Untested.Enqueue(answer.Problem);
            if (answer.Kind != SuiteAnswerKind.Chosen) return answer;
            if (version == TlsProtocolVersion.Tls13) _tls13Supported.TrySetResult(true);
            if (version == TlsProtocolVersion.Tls12 && TlsScanPlan.IsEcdhe(answer.Suite!)) _firstEcdheTls12.TrySetResult(answer.Suite!.Code);
            Findings.RecordCertificate(probe.Flight.CertificateChainDer);
            return answer;
        }

        private async Task Ssl2Async()
        {
            var kits = CipherSuiteRegistry.Ssl2Kits.Select(k => k.Code).ToList();
            ProbeResult probe = await Runner.ProbeAsync(ClientHelloBuilder.BuildSsl2(kits), false, TlsProtocolVersion.Ssl2).ConfigureAwait(false);
            if (!Usable(probe, "SSLv2 probe")) return;
            var hello = probe.Flight.Ssl2ServerHello;
            if (hello == null) return;
            if (hello.CertificateDer != null) Findings.RecordCertificate(new[] { hello.CertificateDer });
            var found = Findings.Get(TlsProtocolVersion.Ssl2);
            foreach (int code in hello.CipherKits) found.Add(CipherSuiteRegistry.GetSsl2(code), null);
        }

        /// <summary>TLS 1.3 groups: the server names its choice in a HelloRetryRequest; remove it and repeat.</summary>
        private async Task Tls13GroupsAsync()
        {
            if (!await _tls13Supported.Task.ConfigureAwait(false)) return;
            var remaining = TlsScanPlan.Tls13GroupCandidates();
            bool withShares = false;
            while (remaining.Count > 0)
            {
                ProbeResult probe = await ProbeAsync(TlsScanPlan.Tls13GroupOffer(remaining, withShares, _serverName)).ConfigureAwait(false);
                if (!Usable(probe, "TLSv1.3 group probe")) return;
                var hello = probe.Flight.ServerHello;
                if (hello == null || hello.Version != TlsProtocolVersion.Tls13 && !hello.IsHelloRetryRequest)
                {
                    if (!withShares && Findings.Tls13Groups.Count == 0) { withShares = true; continue; }
                    return;
                }
                if (!(hello.KeyShareGroup is int group) || !remaining.Contains(group))
                {
                    Findings.Untested.Enqueue($"TLSv1.3 group probe: the server picked a group that was not offered ({hello.KeyShareGroup?.ToString("X4") ?? "none"}).");
                    return;
                }
                Findings.Tls13Groups.Add(group);
                remaining.Remove(group);
            }
        }

        /// <summary>ECDHE curves below TLS 1.3, with the first ECDHE suite TLS 1.2 accepted (or, failing that, an older version's).</summary>
        private async Task EcdheCurvesAsync(Task[] versionChains)
        {
            TlsProtocolVersion version = TlsProtocolVersion.Tls12;
            int? suite = await _firstEcdheTls12.Task.ConfigureAwait(false);
            if (suite == null)
            {
                await Task.WhenAll(versionChains).ConfigureAwait(false);
                var older = Findings.Versions.Where(v => v.Version >= TlsProtocolVersion.Ssl3 && v.Version <= TlsProtocolVersion.Tls11)
                    .OrderByDescending(v => v.Version)
                    .Select(v => new { v.Version, Suite = v.Accepted.FirstOrDefault(a => TlsScanPlan.IsEcdhe(a.Suite)) })
                    .FirstOrDefault(x => x.Suite != null);
                if (older == null) return;
                version = older.Version;
                suite = older.Suite!.Suite.Code;
            }
            var remaining = TlsScanPlan.CurveCandidates();
            while (remaining.Count > 0)
            {
                ProbeResult probe = await ProbeAsync(TlsScanPlan.CurveOffer(version, suite.Value, remaining, _serverName)).ConfigureAwait(false);
                if (!Usable(probe, $"{TlsConstants.Name(version)} curve probe")) return;
                int? group = probe.Flight.KeyExchange?.NamedGroup;
                if (probe.Flight.ServerHello == null || group == null) return;
                if (!remaining.Contains(group.Value))
                {
                    Findings.Untested.Enqueue($"{TlsConstants.Name(version)} curve probe: the server picked curve 0x{group:X4}, which was not offered.");
                    return;
                }
                Findings.EcdheCurves.Add(group.Value);
                remaining.Remove(group.Value);
            }
        }

        /// <summary>Below TLS 1.3 the probe reads on to ServerHelloDone, for the certificate and the ServerKeyExchange.</summary>
        private Task<ProbeResult> ProbeAsync(ClientHelloSpec spec) =>
            Runner.ProbeAsync(ClientHelloBuilder.Build(spec), spec.Version != TlsProtocolVersion.Tls13, spec.Version);

        private void OpenGate(ProbeResult probe)
        {
            if (probe.Kind == ProbeKind.PreambleFailed)
            {
                Findings.FatalStatus = MapPreamble(probe.PreambleStatus);
                Findings.FatalReason = probe.Reason;
            }
            else if (probe.Kind == ProbeKind.Untested && Runner.ConnectionsOpened == 0)
            {
                Findings.FatalStatus = probe.TimedOut ? TlsCapabilityStatus.Timeout : TlsCapabilityStatus.ConnectFailed;
                Findings.FatalReason = probe.Reason;
            }
            _gate.TrySetResult(probe.Kind == ProbeKind.Answered);
        }

        /// <summary>True when the probe produced an answer to learn from; otherwise records why not.</summary>
        private bool Usable(ProbeResult probe, string what)
        {
            if (probe.Kind == ProbeKind.Answered) return true;
            if (probe.Kind == ProbeKind.PreambleFailed && Findings.FatalStatus != null) return false;
            Findings.Untested.Enqueue($"{what}: {probe.Reason}");
            return false;
        }

        private static TlsCapabilityStatus MapPreamble(StartTlsStatus? status)
        {
            switch (status)
            {
                case StartTlsStatus.NotOffered: return TlsCapabilityStatus.NotOffered;
                case StartTlsStatus.Refused: return TlsCapabilityStatus.Refused;
                case StartTlsStatus.Timeout: return TlsCapabilityStatus.Timeout;
                case StartTlsStatus.Unavailable: return TlsCapabilityStatus.Unavailable;
                default: return TlsCapabilityStatus.ProtocolError;
            }
        }
    }
}
