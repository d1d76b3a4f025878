using System;
using System.Management.Automation;
using System.Security.Cryptography.X509Certificates;
using StartTlsTools.Commands.Output;

namespace StartTlsTools.Commands
{
    /// <summary>
    /// Test-StartTlsInjection: the opt-in STARTTLS command-injection probe (CVE-2011-0411, "NO STARTTLS"). A cmdlet of
    /// its own rather than a switch on Test-StartTls because it deliberately pipelines, which Test-StartTls never does,
    /// opens two connections, and answers a different question (a verdict, not a TLS inventory).
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "StartTlsInjection", HelpUri = "https://github.com/starttlstools/StartTlsTools/blob/main/docs/en-US/Test-StartTlsInjection.md")]
    [OutputType(typeof(StartTlsInjectionResult))]
    [OutputType(typeof(bool))]
    public sealed class TestStartTlsInjectionCommand : StartTlsCmdletBase
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

        /// <summary>How long to listen over TLS, sending nothing, for an answer to the injected command.</summary>
        [Parameter]
        [ValidateRange(InjectionTestOptions.MinWaitSeconds, InjectionTestOptions.MaxWaitSeconds)]
        public int WaitSeconds { get; set; } = InjectionTestOptions.DefaultWaitSeconds;

        [Parameter]
        [ValidateRange(StartTlsTestOptions.MinTimeoutSeconds, StartTlsTestOptions.MaxTimeoutSeconds)]
        public int TimeoutSeconds { get; set; } = 10;

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? EhloName { get; set; }

        [Parameter]
        public X509Certificate2[]? TrustedRootCertificate { get; set; }

        [Parameter]
        public SwitchParameter IncludeTranscript { get; set; }

        /// <summary>Returns only $true (NotVulnerable) or $false (Vulnerable or Inconclusive).</summary>
        [Parameter]
        public SwitchParameter Quiet { get; set; }

        protected override void ProcessRecord()
        {
            var options = new InjectionTestOptions
            {
                Target = new StartTlsTestOptions
                {
                    HostName = HostName,
                    Protocol = Protocol,
                    Port = Port == 0 ? (int?)null : Port,
                    Timeout = TimeSpan.FromSeconds(TimeoutSeconds),
                    EhloName = EhloName,
                    IncludeTranscript = IncludeTranscript.IsPresent,
                },
                Wait = TimeSpan.FromSeconds(WaitSeconds),
            };
            if (TrustedRootCertificate != null) options.Target.TrustedRoots.AddRange(TrustedRootCertificate);

            var problems = options.Validate();
            if (problems.Count > 0)
            {
                // Bad input never reaches the network.
                Output.WriteError(new CmdletError(ErrorMap.InvalidParameterId, ErrorCategory.InvalidArgument, HostName, string.Join(" ", problems)));
                if (Quiet) Output.WriteObject(false);
                return;
            }

            string target = $"{Protocol} {HostName}:{options.Target.EffectivePort}";
            Output.WriteVerbose($"Probing {target} for STARTTLS command injection: a sanity STARTTLS first, then STARTTLS with '{InjectionTestOptions.InjectionCommandFor(Protocol, options.Target.EhloName ?? "(this computer)")}' pipelined, listening {WaitSeconds} s over TLS.");
            StartTlsInjectionResult result = Wait(new InjectionTester().TestAsync(options, StopToken));
            Output.WriteVerbose($"{target}: {result.Verdict}. {result.Reason}");

            if (Quiet)
            {
                Output.WriteObject(result.IsNotVulnerable);
                return;
            }
            Output.WriteObject(result);
            if (result.Status == StartTlsStatus.Cancelled) return;
            if (result.Verdict == InjectionVerdict.Vulnerable)
                Output.WriteWarning($"{target} is vulnerable to STARTTLS command injection: {result.Reason}");
            else if (result.Verdict == InjectionVerdict.Inconclusive && ErrorMap.For(result.Status) is var (id, category))
                Output.WriteError(new CmdletError(id, category, HostName, $"{target}: inconclusive: {result.Reason}"));
        }
    }
}
