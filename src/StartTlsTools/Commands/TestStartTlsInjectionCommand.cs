using System;
using System.Management.Automation;
using StartTlsTools.Commands.Output;

namespace StartTlsTools.Commands
{
    /// <summary>
    /// Test-StartTlsInjection: the opt-in STARTTLS command-injection probe (CVE-2011-0411, "NO STARTTLS"). A cmdlet of
    /// its own rather than a switch on Test-StartTls because it deliberately pipelines, which Test-StartTls never does,
    /// opens two connections, and answers a different question (a verdict, not a TLS inventory).
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "StartTlsInjection", HelpUri = "https://github.com/starttlstools/StartTlsTools/blob/main/docs/en-US/Test-StartTlsInjection.md", DefaultParameterSetName = DefaultSet)]
    [OutputType(typeof(StartTlsInjectionResult), ParameterSetName = new[] { DefaultSet })]
    [OutputType(typeof(bool), ParameterSetName = new[] { QuietSet })]
    public sealed class TestStartTlsInjectionCommand : ServiceCmdletBase
    {
        private const string DefaultSet = "Default";
        private const string QuietSet = "Quiet";

        /// <summary>How long to listen over TLS, sending nothing, for an answer to the injected command.</summary>
        [Parameter]
        [ValidateRange(InjectionTestOptions.MinWaitSeconds, InjectionTestOptions.MaxWaitSeconds)]
        public int WaitSeconds { get; set; } = InjectionTestOptions.DefaultWaitSeconds;

        [Parameter(ParameterSetName = DefaultSet)]
        public SwitchParameter IncludeTranscript { get; set; }

        /// <summary>Returns only $true (NotVulnerable) or $false (Vulnerable or Inconclusive).</summary>
        [Parameter(Mandatory = true, ParameterSetName = QuietSet)]
        public SwitchParameter Quiet { get; set; }

        /// <summary>The resolver for the host name, address[:port]; the system resolver when omitted.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? DnsServer { get; set; }

        protected override void ProcessRecord()
        {
            var options = new InjectionTestOptions
            {
                Target = FillTarget(new StartTlsTestOptions { IncludeTranscript = IncludeTranscript.IsPresent }),
                Wait = TimeSpan.FromSeconds(WaitSeconds),
            };
            var problems = new System.Collections.Generic.List<string>(options.Validate());
            if (DnsServerParameter.TryParse(DnsServer, out System.Net.IPEndPoint? dnsServer) is string dnsProblem) problems.Add(dnsProblem);
            if (RejectInvalid(problems))
            {
                if (Quiet) Output.WriteObject(false);
                return;
            }

            string target = $"{Protocol} {HostName}:{options.Target.EffectivePort}";
            Output.WriteVerbose($"Probing {target} for STARTTLS command injection: a sanity STARTTLS first, then STARTTLS with '{InjectionTestOptions.InjectionCommandFor(Protocol, options.Target.EhloName ?? "(this computer)")}' pipelined, listening {WaitSeconds} s over TLS.");
            string hostName = HostName;
            bool quiet = Quiet.IsPresent;
            RunTarget(target, async cancel =>
            {
                StartTlsInjectionResult result = await new InjectionTester(DnsServerParameter.HostLookup(dnsServer, options.Target.Timeout)).TestAsync(options, cancel).ConfigureAwait(false);
                return () => Write(result, target, hostName, quiet);
            });
        }

        /// <summary>Runs on the pipeline thread when the target is done.</summary>
        private void Write(StartTlsInjectionResult result, string target, string hostName, bool quiet)
        {
            Output.WriteVerbose($"{target}: {result.Verdict}. {result.Reason}");
            if (quiet)
            {
                Output.WriteObject(result.IsNotVulnerable);
                return;
            }
            Output.WriteObject(result);
            if (result.Status == StartTlsStatus.Cancelled) return;
            if (result.Verdict == InjectionVerdict.Vulnerable)
                Output.WriteWarning($"{target} is vulnerable to STARTTLS command injection: {result.Reason}");
            else if (result.Verdict == InjectionVerdict.Inconclusive && ErrorMap.For(result.Status) is var (id, category))
                Output.WriteError(new CmdletError(id, category, hostName, $"{target}: inconclusive: {result.Reason}"));
        }
    }
}
