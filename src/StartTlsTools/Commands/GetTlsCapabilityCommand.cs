using System.Management.Automation;
using StartTlsTools.Commands.Output;
using StartTlsTools.Probing;

namespace StartTlsTools.Commands
{
    /// <summary>
    /// Get-TlsCapability: lists every (TLS version, cipher suite) a server accepts, with its own ClientHellos,
    /// through the protocol's STARTTLS preamble or implicit TLS. One object per accepted pair; with -Summary only
    /// the one summary object instead, so that each pipeline carries one type. Failures are data (Status/Reason on
    /// the summary) plus a non-terminating ErrorRecord.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "TlsCapability", HelpUri = "https://github.com/starttlstools/StartTlsTools/blob/main/docs/en-US/Get-TlsCapability.md", DefaultParameterSetName = SuitesSet)]
    [OutputType(typeof(TlsCipherSuiteResult), ParameterSetName = new[] { SuitesSet })]
    [OutputType(typeof(TlsCapabilitySummary), ParameterSetName = new[] { SummarySet })]
    public sealed class GetTlsCapabilityCommand : ServiceCmdletBase
    {
        private const string SuitesSet = "Suites";
        private const string SummarySet = "Summary";

        [Parameter]
        public SwitchParameter ImplicitTls { get; set; }

        [Parameter]
        [ValidateRange(1, TlsCapabilityOptions.MaxConnectionsLimit)]
        public int MaxConnectionsPerHost { get; set; } = Transport.HostConnectionLimiter.DefaultMaxPerHost;

        [Parameter]
        [ValidateRange(0, TlsCapabilityOptions.MaxProbeDelayMilliseconds)]
        public int ProbeDelayMilliseconds { get; set; }

        /// <summary>Writes the one summary object (versions, order, groups, certificate, findings) instead of the suites.</summary>
        [Parameter(Mandatory = true, ParameterSetName = SummarySet)]
        public SwitchParameter Summary { get; set; }

        /// <summary>The resolver for the host name, address[:port]; the system resolver when omitted.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? DnsServer { get; set; }

        protected override void ProcessRecord()
        {
            var options = FillTarget(new TlsCapabilityOptions
            {
                ImplicitTls = ImplicitTls.IsPresent,
                MaxConnectionsPerHost = MaxConnectionsPerHost,
                ProbeDelayMilliseconds = ProbeDelayMilliseconds,
            });
            var problems = new System.Collections.Generic.List<string>(options.Validate());
            if (DnsServerParameter.TryParse(DnsServer, out System.Net.IPEndPoint? dnsServer) is string dnsProblem) problems.Add(dnsProblem);
            if (RejectInvalid(problems)) return;

            string target = Describe(options);
            Output.WriteVerbose($"Enumerating TLS on {target} (at most {MaxConnectionsPerHost} connections at once).");
            string hostName = HostName;
            bool summaryOnly = Summary.IsPresent;
            RunTarget(target, async cancel =>
            {
                TlsCapabilityReport report = await new TlsCapabilityScanner(DnsServerParameter.HostLookup(dnsServer, options.Timeout)).ScanAsync(options, cancel).ConfigureAwait(false);
                return () => Write(report, target, hostName, summaryOnly);
            });
        }

        /// <summary>Runs on the pipeline thread when the target is done.</summary>
        private void Write(TlsCapabilityReport report, string target, string hostName, bool summaryOnly)
        {
            var summary = report.Summary;
            Output.WriteVerbose($"{target}: {summary.Status}, {summary.CipherSuitesAccepted} suite(s), {summary.ConnectionsOpened} connection(s) in {summary.DurationMs:0} ms. {summary.Reason}");
            if (summaryOnly) Output.WriteObject(summary);
            else foreach (var suite in report.CipherSuites) Output.WriteObject(suite);
            if (ErrorMap.For(summary.Status) is var (id, category) && summary.Status != TlsCapabilityStatus.Cancelled)
                Output.WriteError(new CmdletError(id, category, hostName, $"{target}: {summary.Reason}"));
        }
    }
}
