using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using StartTlsTools.Protocols;
using StartTlsTools.Tls;
using StartTlsTools.Transport;

namespace StartTlsTools.Probing
{
    /// <summary>The accepted suites and the summary of one scan.</summary>
    public sealed class TlsCapabilityReport
    {
        public TlsCapabilitySummary Summary { get; set; } = new TlsCapabilitySummary();
        public IReadOnlyList<TlsCipherSuiteResult> CipherSuites { get; set; } = new TlsCipherSuiteResult[0];
    }

    /// <summary>
    /// Enumerates the protocol versions, cipher suites and key-exchange groups a server accepts, with its own
    /// ClientHellos, through any registered STARTTLS dialect or implicit TLS. Per version it offers every suite
    /// (windows of at most 128), removes the one the server chose and repeats until the server refuses: the
    /// choices come in the server's preference order. One more probe, the accepted list reversed, shows whether the
    /// server enforces that order. Groups are found the same way (TLS 1.3 via HelloRetryRequest, TLS 1.2 via the
    /// ServerKeyExchange). Version chains run in parallel within the per-host connection cap. Never throws for
    /// anything the server does.
    /// </summary>
    public sealed class TlsCapabilityScanner
    {
        private static readonly TlsProtocolVersion[] ClassicVersions =
            { TlsProtocolVersion.Ssl3, TlsProtocolVersion.Tls10, TlsProtocolVersion.Tls11, TlsProtocolVersion.Tls12 };
        private static readonly int[] Tls13KeyShares = { 0x001D, 0x0017 };

        private readonly Func<string, Task<IPAddress[]>> _lookup;

        public TlsCapabilityScanner(Func<string, Task<IPAddress[]>>? lookup = null)
        {
            _lookup = lookup ?? NetworkConnector.SystemLookup;
        }

        public async Task<TlsCapabilityReport> ScanAsync(TlsCapabilityOptions options, CancellationToken cancel = default)
        {
            var problems = options.Validate();
            if (problems.Count > 0) throw new ArgumentException(string.Join(" ", problems), nameof(options));

            var clock = Stopwatch.StartNew();
            var summary = new TlsCapabilitySummary
            {
                HostName = options.HostName,
                Port = options.EffectivePort,
                Protocol = options.Protocol,
                ImplicitTls = options.ImplicitTls,
                StartedAt = DateTimeOffset.UtcNow,
                Status = TlsCapabilityStatus.ProtocolError,
            };
            var report = new TlsCapabilityReport { Summary = summary };
            Scan? scan = null;
            try
            {
                IPAddress[] addresses = await NetworkConnector.ResolveAsync(options.HostName, _lookup, options.Timeout, cancel).ConfigureAwait(false);
                IPAddress address = addresses[0];
                summary.IPAddress = address.ToString();
                string host = HostNameRules.Normalize(options.HostName);
                var context = new DialectContext(host, options.EhloName ?? HostNameRules.LocalHelloName(),
                    options.XmppDomain == null ? null : HostNameRules.Normalize(options.XmppDomain));
                var limiter = new HostConnectionLimiter(options.MaxConnectionsPerHost, TimeSpan.FromMilliseconds(options.ProbeDelayMilliseconds));
                var runner = new TlsProbeRunner(address, summary.Port, ProtocolRegistry.Get(options.Protocol), context, options.ImplicitTls, options.Timeout, limiter, cancel)
                {
                    GreetingTimeout = options.GreetingTimeout,
                    Retries = options.BusyRetries,
                    RetryDelay = options.BusyRetryDelay,
                };
                scan = new Scan(runner, HostNameRules.IsAddressLiteral(host) ? null : host.TrimEnd('.'));
                await scan.RunAsync().ConfigureAwait(false);
                Fill(report, scan, options);
            }
            catch (OperationCanceledException) when (cancel.IsCancellationRequested)
            {
                Fail(summary, TlsCapabilityStatus.Cancelled, "The scan was cancelled.");
            }
            catch (StepTimeoutException ex)
            {
                Fail(summary, TlsCapabilityStatus.Timeout, ex.Message);
            }
            catch (NameResolutionFailedException ex)
            {
                Fail(summary, TlsCapabilityStatus.NameResolutionFailed, ex.Message);
            }
            finally
            {
                summary.ConnectionsOpened = scan?.Runner.ConnectionsOpened ?? 0;
                summary.DurationMs = clock.Elapsed.TotalMilliseconds;
            }
            ServerText.MakeInert(report.Summary);
            foreach (var suite in report.CipherSuites) ServerText.MakeInert(suite);
            return report;
        }

        private static void Fill(TlsCapabilityReport report, Scan scan, TlsCapabilityOptions options)
        {
            var summary = report.Summary;
            var rows = new List<TlsCipherSuiteResult>();
            foreach (var version in scan.Versions.OrderByDescending(v => v.Version))
            {
                int rank = 0;
                foreach (var found in version.Accepted)
                {
                    var s = found.Suite;
                    rows.Add(new TlsCipherSuiteResult
                    {
                        HostName = options.HostName,
                        Port = summary.Port,
                        Protocol = options.Protocol,
                        ImplicitTls = options.ImplicitTls,
                        TlsVersion = TlsConstants.Name(version.Version),
                        CipherSuite = s.IanaName,
                        OpenSslName = s.OpenSslName,
                        Code = s.CodeText,
                        KeyExchange = s.KeyExchange,
                        Authentication = s.Authentication,
                        Encryption = s.Encryption,
                        Bits = s.Bits,
                        Mode = s.Mode,
                        Mac = s.Mac,
                        ForwardSecrecy = s.ForwardSecrecy,
                        Rating = s.Rating,
                        PreferenceRank = ++rank,
                        KeyExchangeDetail = found.Detail,
                    });
                }
            }
            report.CipherSuites = rows;

            var accepted = scan.Versions.Where(v => v.Accepted.Count > 0).OrderBy(v => v.Version).ToList();
            summary.VersionsAccepted = Join(accepted.Select(v => TlsConstants.Name(v.Version)));
            summary.LowestVersion = accepted.Count > 0 ? TlsConstants.Name(accepted[0].Version) : null;
            summary.HighestVersion = accepted.Count > 0 ? TlsConstants.Name(accepted[accepted.Count - 1].Version) : null;
            summary.CipherSuitesAccepted = rows.Count;
            summary.ServerOrder = Join(accepted.Where(v => v.ServerOrder.HasValue)
                .Select(v => TlsConstants.Name(v.Version) + "=" + (v.ServerOrder == true ? "Server" : "Client")));
            summary.Tls13Groups = Join(scan.Tls13Groups.Select(g => NamedGroupRegistry.Get(g).Name));
            summary.EcdheCurves = Join(scan.EcdheCurves.Select(g => NamedGroupRegistry.Get(g).Name));
            summary.WeakestRating = rows.Count > 0 ? rows.Min(r => r.Rating) : (CipherRating?)null;
            summary.Findings = CapabilityFindingAnalyzer.Analyze(summary, rows);
            if (scan.CertificateChainDer is IReadOnlyList<byte[]> chain)
            {
                try
                {
                    DescribeCertificate(summary, chain, options);
                }
                catch (System.Security.Cryptography.CryptographicException ex)
                {
                    scan.Untested.Enqueue("The server's certificate could not be decoded: " + ex.Message);
                }
            }
            var untested = scan.Untested.ToArray();
            summary.UntestedProbes = untested.Length;
            summary.UntestedDetail = untested.Length == 0 ? null : string.Join(" | ", untested);

            if (scan.FatalStatus is TlsCapabilityStatus fatal)
                Fail(summary, fatal, scan.FatalReason ?? fatal.ToString());
            else if (accepted.Count == 0 && untested.Length == 0)
                Fail(summary, TlsCapabilityStatus.NoTls, "The server accepted none of the offered protocol versions and cipher suites.");
            else if (untested.Length > 0)
                Fail(summary, TlsCapabilityStatus.Incomplete, $"{untested.Length} probe(s) could not be run; the lists may be incomplete. First: {untested[0]}");
            else
            {
                summary.Status = TlsCapabilityStatus.Success;
                summary.Reason = $"{rows.Count} cipher suite(s) accepted over {summary.VersionsAccepted}.";
            }
        }

        private static string? Join(IEnumerable<string> items)
        {
            var list = items.ToList();
            return list.Count == 0 ? null : string.Join(StartTlsResult.ListSeparator, list);
        }

        /// <summary>The certificate a probe saw, validated as Test-StartTls validates it (chain with the user's roots, dates, name).</summary>
        private static void DescribeCertificate(TlsCapabilitySummary summary, IReadOnlyList<byte[]> chainDer, TlsCapabilityOptions options)
        {
            var presented = new X509Certificate2Collection();
            try
            {
                foreach (byte[] der in chainDer) presented.Add(new X509Certificate2(der));
                var inspected = new StartTlsResult();
                CertificateInspector.Inspect(presented[0], presented, options.TrustedRoots, HostNameRules.Normalize(options.HostName), DateTime.UtcNow, inspected);
                summary.CertificateSubject = inspected.CertificateSubject;
                summary.CertificateIssuer = inspected.CertificateIssuer;
                summary.CertificateThumbprint = inspected.CertificateThumbprint;
                summary.CertificateNotAfter = inspected.CertificateNotAfter;
                summary.CertificateValid = inspected.CertificateValid;
                summary.CertificateError = inspected.CertificateError;
            }
            finally
            {
                foreach (X509Certificate2 certificate in presented) certificate.Dispose();
            }
        }

        private static void Fail(TlsCapabilitySummary summary, TlsCapabilityStatus status, string reason)
        {
            summary.Status = status;
            summary.Reason = reason;
        }

        internal sealed class AcceptedSuite
        {
            public AcceptedSuite(CipherSuite suite, string? detail) { Suite = suite; Detail = detail; }
            public CipherSuite Suite { get; }
            public string? Detail { get; }
        }

        internal sealed class VersionScan
        {
            public VersionScan(TlsProtocolVersion version) { Version = version; }
            public TlsProtocolVersion Version { get; }
            public List<AcceptedSuite> Accepted { get; } = new List<AcceptedSuite>();
            /// <summary>True: the server picks by its own order; false: it follows ours; null: not measurable.</summary>
            public bool? ServerOrder { get; set; }
        }

        /// <summary>The state of one scan: the probe chains and what they found.</summary>
        private sealed class Scan
        {
            private readonly string? _serverName;
            private readonly TaskCompletionSource<bool> _gate = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            private readonly TaskCompletionSource<bool> _tls13Supported = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            private readonly TaskCompletionSource<int?> _firstEcdheTls12 = new TaskCompletionSource<int?>(TaskCreationOptions.RunContinuationsAsynchronously);
            private IReadOnlyList<byte[]>? _certificate;

            public Scan(TlsProbeRunner runner, string? serverName)
            {
                Runner = runner;
                _serverName = serverName;
                foreach (var v in new[] { TlsProtocolVersion.Ssl2 }.Concat(ClassicVersions).Concat(new[] { TlsProtocolVersion.Tls13 }))
                    Versions.Add(new VersionScan(v));
            }

            public TlsProbeRunner Runner { get; }
            public List<VersionScan> Versions { get; } = new List<VersionScan>();
            public List<int> Tls13Groups { get; } = new List<int>();
            public List<int> EcdheCurves { get; } = new List<int>();
            public ConcurrentQueue<string> Untested { get; } = new ConcurrentQueue<string>();
            public TlsCapabilityStatus? FatalStatus { get; private set; }
            public string? FatalReason { get; private set; }
            /// <summary>The first certificate chain a probe saw, leaf first (TLS 1.2 and below, SSL 2.0).</summary>
            public IReadOnlyList<byte[]>? CertificateChainDer => Volatile.Read(ref _certificate);

            private VersionScan Get(TlsProtocolVersion v) => Versions.First(x => x.Version == v);

            public async Task RunAsync()
            {
                // TLS 1.2 goes first, alone: its first probe shows whether the preamble works at all, so a server
                // without STARTTLS costs one connection, not eight.
                Task tls12 = Guard(() => EnumerateAsync(TlsProtocolVersion.Tls12, gateKeeper: true));
                bool go = await _gate.Task.ConfigureAwait(false);
                var chains = new List<Task> { tls12 };
                if (!go) _tls13Supported.TrySetResult(false);
                if (go)
                {
                    chains.Add(Guard(() => EnumerateAsync(TlsProtocolVersion.Tls13, gateKeeper: false)));
                    chains.Add(Guard(() => EnumerateAsync(TlsProtocolVersion.Tls11, gateKeeper: false)));
                    chains.Add(Guard(() => EnumerateAsync(TlsProtocolVersion.Tls10, gateKeeper: false)));
                    chains.Add(Guard(() => EnumerateAsync(TlsProtocolVersion.Ssl3, gateKeeper: false)));
                    chains.Add(Guard(Ssl2Async));
                    chains.Add(Guard(Tls13GroupsAsync));
                    chains.Add(Guard(() => EcdheCurvesAsync(chains.Take(5).ToArray())));
                }
                await Task.WhenAll(chains).ConfigureAwait(false);
            }

            /// <summary>Makes sure a chain's bug or cancellation can never leave the gate closed.</summary>
            private async Task Guard(Func<Task> chain)
            {
                try { await chain().ConfigureAwait(false); }
                finally { _gate.TrySetResult(false); }
            }

            private enum OfferKind { Chosen, Refused, VersionOff, Stop }

            private sealed class Offer
            {
                public OfferKind Kind;
                public CipherSuite? Suite;
                public string? Detail;
            }

            /// <summary>
            /// One version: find a first accepted suite, then offer the same window reversed. A server that picks the
            /// same suite again enforces its order, and the rest is found one suite per probe in its preference order.
            /// A server that follows the client's order has just named a second accepted suite, and its remaining
            /// candidates are split into parts enumerated in parallel (ranks then follow the offered order).
            /// </summary>
            private async Task EnumerateAsync(TlsProtocolVersion version, bool gateKeeper)
            {
                var scan = Get(version);
                try
                {
                    var candidates = CipherSuiteRegistry.ForVersion(version).ToList();
                    var remaining = new List<CipherSuite>(candidates);
                    List<CipherSuite> window;
                    Offer first;
                    bool openGate = gateKeeper;
                    while (true)
                    {
                        window = remaining.Take(ClientHelloBuilder.MaxSuitesPerHello).ToList();
                        first = await OfferAsync(version, window, openGate).ConfigureAwait(false);
                        openGate = false;
                        if (first.Kind != OfferKind.Refused) break;
                        remaining.RemoveRange(0, window.Count);
                        if (remaining.Count == 0) return;
                    }
                    if (first.Kind != OfferKind.Chosen) return;
                    Accept(scan, first);
                    remaining.Remove(first.Suite!);

                    var reversed = Enumerable.Reverse(window).ToList();
                    Offer second = await OfferAsync(version, reversed, false).ConfigureAwait(false);
                    if (second.Kind == OfferKind.Refused)
                        Untested.Enqueue($"{TlsConstants.Name(version)} server-order probe: the server refused suites it had just accepted.");
                    bool clientOrder = second.Kind == OfferKind.Chosen && second.Suite!.Code != first.Suite!.Code;
                    if (clientOrder)
                    {
                        Accept(scan, second);
                        remaining.Remove(second.Suite!);
                        // Each part ends with one refusal, so no more parts than windows of 128 need (at least 2 for
                        // some parallelism): the scan is bound by the server's CPU, not by the length of one chain.
                        int parts = Math.Min(Runner.MaxParallel, Math.Max(2, (remaining.Count + 127) / 128));
                        var split = Enumerable.Range(0, Math.Max(1, parts))
                            .Select(p => remaining.Where((_, i) => i % Math.Max(1, parts) == p).ToList()).Where(l => l.Count > 0).ToList();
                        await Task.WhenAll(split.Select(part => ShrinkAsync(version, scan, part))).ConfigureAwait(false);
                        var index = candidates.Select((c, i) => (c.Code, i)).ToDictionary(x => x.Code, x => x.i);
                        lock (scan) scan.Accepted.Sort((a, b) => index[a.Suite.Code].CompareTo(index[b.Suite.Code]));
                        scan.ServerOrder = false;
                    }
                    else
                    {
                        await ShrinkAsync(version, scan, remaining).ConfigureAwait(false);
                        // Same pick from the reversed window: the server's order, if the window held two suites it accepts.
                        if (second.Kind == OfferKind.Chosen && scan.Accepted.Count(a => window.Contains(a.Suite)) >= 2) scan.ServerOrder = true;
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
            private async Task ShrinkAsync(TlsProtocolVersion version, VersionScan scan, List<CipherSuite> part)
            {
                while (part.Count > 0)
                {
                    var window = part.Take(ClientHelloBuilder.MaxSuitesPerHello).ToList();
                    Offer offer = await OfferAsync(version, window, false).ConfigureAwait(false);
                    switch (offer.Kind)
                    {
                        case OfferKind.Chosen:
                            Accept(scan, offer);
                            part.Remove(offer.Suite!);
                            break;
                        case OfferKind.Refused:
                            part.RemoveRange(0, window.Count);
                            break;
                        default:
                            return;
                    }
                }
            }

            private static void Accept(VersionScan scan, Offer offer)
            {
                lock (scan) scan.Accepted.Add(new AcceptedSuite(offer.Suite!, offer.Detail));
            }

            /// <summary>One probe offering <paramref name="window"/>; records what it teaches beyond the choice (certificate, support).</summary>
            private async Task<Offer> OfferAsync(TlsProtocolVersion version, List<CipherSuite> window, bool openGate)
            {
                ProbeResult probe = await ProbeAsync(version, window.Select(s => s.Code).ToList(), AllGroups(version), KeyShares(version)).ConfigureAwait(false);
                if (openGate) OpenGate(probe);
                if (!Usable(probe, $"{TlsConstants.Name(version)} probe offering {window.Count} suites")) return new Offer { Kind = OfferKind.Stop };
                var hello = probe.Flight.ServerHello;
                if (hello == null)
                    // protocol_version (or an SSLv2 answer) means the version is off: no need to offer the rest.
                    return new Offer { Kind = probe.Flight.Alert?.Description == 70 || probe.Flight.Ssl2ServerHello != null ? OfferKind.VersionOff : OfferKind.Refused };
                if (!hello.IsHelloRetryRequest && hello.Version != version) return new Offer { Kind = OfferKind.VersionOff };
                var chosen = window.FirstOrDefault(s => s.Code == hello.CipherSuite);
                if (chosen == null)
                {
                    Untested.Enqueue($"{TlsConstants.Name(version)}: the server chose suite 0x{hello.CipherSuite:X4}, which was not offered; enumeration of this version stopped.");
                    return new Offer { Kind = OfferKind.Stop };
                }
                if (version == TlsProtocolVersion.Tls13) _tls13Supported.TrySetResult(true);
                if (version == TlsProtocolVersion.Tls12 && chosen.KeyExchange.StartsWith("ECDHE", StringComparison.Ordinal))
                    _firstEcdheTls12.TrySetResult(chosen.Code);
                RecordCertificate(probe.Flight.CertificateChainDer);
                return new Offer { Kind = OfferKind.Chosen, Suite = chosen, Detail = probe.Flight.KeyExchange?.Describe() };
            }

            private async Task Ssl2Async()
            {
                var kits = CipherSuiteRegistry.Ssl2Kits.ToList();
                ProbeResult probe = await Runner.ProbeAsync(ClientHelloBuilder.BuildSsl2(kits.Select(k => k.Code).ToList()), false, TlsProtocolVersion.Ssl2).ConfigureAwait(false);
                if (!Usable(probe, "SSLv2 probe")) return;
                var hello = probe.Flight.Ssl2ServerHello;
                if (hello == null) return;
                if (hello.CertificateDer != null) RecordCertificate(new[] { hello.CertificateDer });
                var scan = Get(TlsProtocolVersion.Ssl2);
                foreach (int code in hello.CipherKits)
                    scan.Accepted.Add(new AcceptedSuite(CipherSuiteRegistry.GetSsl2(code), null));
            }

            /// <summary>
            /// TLS 1.3 groups: offer the remaining groups with no key share, so the server names its choice in a
            /// HelloRetryRequest; remove it and repeat. Servers that reject an empty key_share get shares for x25519 and P-256.
            /// </summary>
            private async Task Tls13GroupsAsync()
            {
                if (!await _tls13Supported.Task.ConfigureAwait(false)) return;
                var suites = CipherSuiteRegistry.ForVersion(TlsProtocolVersion.Tls13).Select(s => s.Code).ToList();
                var remaining = NamedGroupRegistry.Tls13Candidates.Select(g => g.Code).ToList();
                bool withShares = false;
                while (remaining.Count > 0)
                {
                    var shares = withShares ? Tls13KeyShares.Where(remaining.Contains).ToList() : new List<int>();
                    ProbeResult probe = await ProbeAsync(TlsProtocolVersion.Tls13, suites, remaining, shares).ConfigureAwait(false);
                    if (!Usable(probe, "TLSv1.3 group probe")) return;
                    var hello = probe.Flight.ServerHello;
                    if (hello == null || hello.Version != TlsProtocolVersion.Tls13 && !hello.IsHelloRetryRequest)
                    {
                        if (!withShares && Tls13Groups.Count == 0) { withShares = true; continue; }
                        return;
                    }
                    if (!(hello.KeyShareGroup is int group) || !remaining.Contains(group))
                    {
                        Untested.Enqueue($"TLSv1.3 group probe: the server picked a group that was not offered ({hello.KeyShareGroup?.ToString("X4") ?? "none"}).");
                        return;
                    }
                    Tls13Groups.Add(group);
                    remaining.Remove(group);
                }
            }

            /// <summary>ECDHE curves below TLS 1.3: one accepted ECDHE suite, the remaining curves; the ServerKeyExchange names the pick.</summary>
            private async Task EcdheCurvesAsync(Task[] versionChains)
            {
                TlsProtocolVersion version = TlsProtocolVersion.Tls12;
                int? suite = await _firstEcdheTls12.Task.ConfigureAwait(false);
                if (suite == null)
                {
                    await Task.WhenAll(versionChains).ConfigureAwait(false);
                    var older = Versions.Where(v => v.Version >= TlsProtocolVersion.Ssl3 && v.Version <= TlsProtocolVersion.Tls11)
                        .OrderByDescending(v => v.Version)
                        .Select(v => new { v.Version, Suite = v.Accepted.FirstOrDefault(a => a.Suite.KeyExchange.StartsWith("ECDHE", StringComparison.Ordinal)) })
                        .FirstOrDefault(x => x.Suite != null);
                    if (older == null) return;
                    version = older.Version;
                    suite = older.Suite!.Suite.Code;
                }
                var remaining = NamedGroupRegistry.Tls12Curves.Select(g => g.Code).ToList();
                while (remaining.Count > 0)
                {
                    ProbeResult probe = await ProbeAsync(version, new[] { suite.Value }, remaining, new int[0]).ConfigureAwait(false);
                    if (!Usable(probe, $"{TlsConstants.Name(version)} curve probe")) return;
                    int? group = probe.Flight.KeyExchange?.NamedGroup;
                    if (probe.Flight.ServerHello == null || group == null) return;
                    if (!remaining.Contains(group.Value))
                    {
                        Untested.Enqueue($"{TlsConstants.Name(version)} curve probe: the server picked curve 0x{group:X4}, which was not offered.");
                        return;
                    }
                    EcdheCurves.Add(group.Value);
                    remaining.Remove(group.Value);
                }
            }

            private Task<ProbeResult> ProbeAsync(TlsProtocolVersion version, IReadOnlyList<int> suites, IReadOnlyList<int> groups, IReadOnlyList<int> keyShares)
            {
                var hello = ClientHelloBuilder.Build(new ClientHelloSpec
                {
                    Version = version,
                    CipherSuites = suites,
                    Groups = groups,
                    KeyShareGroups = keyShares,
                    ServerName = _serverName,
                });
                return Runner.ProbeAsync(hello, version != TlsProtocolVersion.Tls13, version);
            }

            private static IReadOnlyList<int> AllGroups(TlsProtocolVersion version) =>
                (version == TlsProtocolVersion.Tls13 ? NamedGroupRegistry.Tls13Candidates : NamedGroupRegistry.Tls12Curves).Select(g => g.Code).ToList();

            private static IReadOnlyList<int> KeyShares(TlsProtocolVersion version) =>
                version == TlsProtocolVersion.Tls13 ? Tls13KeyShares : new int[0];

            private void OpenGate(ProbeResult probe)
            {
                if (probe.Kind == ProbeKind.PreambleFailed)
                {
                    FatalStatus = MapPreamble(probe.PreambleStatus);
                    FatalReason = probe.Reason;
                }
                else if (probe.Kind == ProbeKind.Untested && Runner.ConnectionsOpened == 0)
                {
                    FatalStatus = probe.TimedOut ? TlsCapabilityStatus.Timeout : TlsCapabilityStatus.ConnectFailed;
                    FatalReason = probe.Reason;
                }
                _gate.TrySetResult(probe.Kind == ProbeKind.Answered);
            }

            /// <summary>True when the probe produced an answer to learn from; otherwise records why not.</summary>
            private bool Usable(ProbeResult probe, string what)
            {
                if (probe.Kind == ProbeKind.Answered) return true;
                if (probe.Kind == ProbeKind.PreambleFailed && FatalStatus != null) return false;
                Untested.Enqueue($"{what}: {probe.Reason}");
                return false;
            }

            private void RecordCertificate(IReadOnlyList<byte[]> chain)
            {
                if (chain.Count > 0) Interlocked.CompareExchange(ref _certificate, chain, null);
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
}
