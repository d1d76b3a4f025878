using System;
using System.Management.Automation;
using StartTlsTools.Commands.Output;
using StartTlsTools.Probing;

namespace StartTlsTools.Commands
{
    /// <summary>
    /// Get-TlsCapability: lists every (TLS version, cipher suite) a server accepts, with its own ClientHellos,
    /// through the protocol's STARTTLS preamble or implicit TLS. One object per accepted pair; -Summary adds one
    /// summary object. Failures are data (Status/Reason on the summary) plus a non-terminating ErrorRecord.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "TlsCapability", HelpUri = "https://github.com/starttlstools/StartTlsTools/blob/main/docs/en-US/Get-TlsCapability.md")]
    [OutputType(typeof(TlsCipherSuiteResult))]
    [OutputType(typeof(TlsCapabilitySummary))]
    public sealed class GetTlsCapabilityCommand : StartTlsCmdletBase
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Host", "ComputerName", "CN", "NameExchange")]
        [ValidateNotNullOrEmpty]
        public string HostName { get; set; } = "";

        [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
        public StartTlsProtocol Protocol { get; set; } = StartTlsProtocol.Smtp;

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateRange(1, 65535)]
        public int Port { get; set; }

        [Parameter]
        public SwitchParameter ImplicitTls { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? EhloName { get; set; }

        [Parameter]
        [ValidateRange(StartTlsTestOptions.MinTimeoutSeconds, StartTlsTestOptions.MaxTimeoutSeconds)]
        public int TimeoutSeconds { get; set; } = 10;

        [Parameter]
        [ValidateRange(1, TlsCapabilityOptions.MaxConnectionsLimit)]
        public int MaxConnectionsPerHost { get; set; } = Transport.HostConnectionLimiter.DefaultMaxPerHost;

        [Parameter]
        [ValidateRange(0, TlsCapabilityOptions.MaxProbeDelayMilliseconds)]
        public int ProbeDelayMilliseconds { get; set; }

        /// <summary>Adds one summary object after the suites.</summary>
        [Parameter]
        public SwitchParameter Summary { get; set; }

        protected override void ProcessRecord()
        {
            var options = new TlsCapabilityOptions
            {
                HostName = HostName,
                Protocol = Protocol,
                Port = Port == 0 ? (int?)null : Port,
                ImplicitTls = ImplicitTls.IsPresent,
                EhloName = EhloName,
                Timeout = TimeSpan.FromSeconds(TimeoutSeconds),
                MaxConnectionsPerHost = MaxConnectionsPerHost,
                ProbeDelayMilliseconds = ProbeDelayMilliseconds,
            };
            var problems = options.Validate();
            if (problems.Count > 0)
            {
                Output.WriteError(new CmdletError(ErrorMap.InvalidParameterId, ErrorCategory.InvalidArgument, HostName, string.Join(" ", problems)));
                return;
            }

            string target = $"{Protocol} {(ImplicitTls ? "implicit TLS" : "STARTTLS")} {HostName}:{options.EffectivePort}";
            Output.WriteVerbose($"Enumerating TLS on {target} (at most {MaxConnectionsPerHost} connections at once).");
            TlsCapabilityReport report = Wait(new TlsCapabilityScanner().ScanAsync(options, StopToken));
            var summary = report.Summary;
            Output.WriteVerbose($"{target}: {summary.Status}, {summary.CipherSuitesAccepted} suite(s), {summary.ConnectionsOpened} connection(s) in {summary.DurationMs:0} ms. {summary.Reason}");

            foreach (var suite in report.CipherSuites) Output.WriteObject(suite);
            if (Summary) Output.WriteObject(summary);
            if (ErrorMap.For(summary.Status) is var (id, category) && summary.Status != TlsCapabilityStatus.Cancelled)
                Output.WriteError(new CmdletError(id, category, HostName, $"{target}: {summary.Reason}"));
        }
    }
}
