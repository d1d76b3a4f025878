using System;
using System.Diagnostics;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using StartTlsTools.Protocols;
using StartTlsTools.Transport;

namespace StartTlsTools.Probing
{
    /// <summary>
    /// Enumerates the protocol versions, cipher suites and key-exchange groups a server accepts, with its own
    /// ClientHellos, through any registered STARTTLS dialect or implicit TLS. The parts: <see cref="TlsScanPlan"/>
    /// decides what to offer, <see cref="TlsScanExecution"/> runs the probes through <see cref="TlsProbeRunner"/> and
    /// <see cref="TlsCapabilityReportBuilder"/> writes the report. The first resolved address that accepts a
    /// connection is the one scanned; every probe holds a slot of <see cref="HostConnectionLimiter.Shared"/>, so
    /// concurrent scans and tests of one address share its cap. Never throws for anything the server does.
    /// </summary>
    public sealed class TlsCapabilityScanner
    {
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
            TlsProbeRunner? runner = null;
            try
            {
                IPAddress[] addresses = await NetworkConnector.ResolveAsync(options.HostName, _lookup, options.Timeout, cancel).ConfigureAwait(false);
                string host = HostNameRules.Normalize(options.HostName);
                var context = new DialectContext(host, options.EhloName ?? HostNameRules.LocalHelloName(),
                    options.XmppDomain == null ? null : HostNameRules.Normalize(options.XmppDomain));
                // The pause between probes is this scan's own politeness; the cap is shared with everyone in the process.
                var pacing = options.ProbeDelayMilliseconds > 0
                    ? new HostConnectionLimiter(options.MaxConnectionsPerHost, TimeSpan.FromMilliseconds(options.ProbeDelayMilliseconds))
                    : null;
                runner = new TlsProbeRunner(addresses, summary.Port, ProtocolRegistry.Get(options.Protocol), context, options.ImplicitTls, options.Timeout,
                    HostConnectionLimiter.Shared, options.MaxConnectionsPerHost, pacing, cancel)
                {
                    GreetingTimeout = options.GreetingTimeout,
                    Retries = options.BusyRetries,
                    RetryDelay = options.BusyRetryDelay,
                };
                var execution = new TlsScanExecution(runner, TlsScanPlan.ServerName(host));
                await execution.RunAsync().ConfigureAwait(false);
                TlsCapabilityReportBuilder.Fill(report, execution.Findings, options);
            }
            catch (OperationCanceledException) when (cancel.IsCancellationRequested)
            {
                TlsCapabilityReportBuilder.Fail(summary, TlsCapabilityStatus.Cancelled, "The scan was cancelled.");
            }
            catch (StepTimeoutException ex)
            {
                TlsCapabilityReportBuilder.Fail(summary, TlsCapabilityStatus.Timeout, ex.Message);
            }
            catch (NameResolutionFailedException ex)
            {
                TlsCapabilityReportBuilder.Fail(summary, TlsCapabilityStatus.NameResolutionFailed, ex.Message);
            }
            finally
            {
                // The address that accepted the first connection; none when no address did.
                summary.IPAddress = runner?.Address?.ToString();
                summary.ConnectionsOpened = runner?.ConnectionsOpened ?? 0;
                summary.DurationMs = clock.Elapsed.TotalMilliseconds;
            }
            ServerText.MakeInert(report.Summary);
            foreach (var suite in report.CipherSuites) ServerText.MakeInert(suite);
            return report;
        }
    }
}
