using System.Management.Automation;
using StartTlsTools.Commands.Output;

namespace StartTlsTools.Commands
{
    /// <summary>
    /// Test-StartTls: connects, checks that STARTTLS is offered, upgrades, validates the certificate and
    /// reads the capabilities again. One result object per target; failures are data plus an ErrorRecord.
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "StartTls", DefaultParameterSetName = DefaultSet)]
    [OutputType(typeof(StartTlsResult), ParameterSetName = new[] { DefaultSet })]
    [OutputType(typeof(bool), ParameterSetName = new[] { QuietSet })]
    public sealed class TestStartTlsCommand : ServiceCmdletBase
    {
        private const string DefaultSet = "Default";
        private const string QuietSet = "Quiet";

        [Parameter]
        public SwitchParameter ImplicitTls { get; set; }

        [Parameter(ParameterSetName = DefaultSet)]
        public SwitchParameter IncludeTranscript { get; set; }

        /// <summary>Learns whether TLS is required (TlsRequired) on a second, harmless plaintext connection when the dialogue does not show it.</summary>
        [Parameter]
        public SwitchParameter CheckEnforcement { get; set; }

        /// <summary>A certificate expiring within this many days is reported as the CertificateExpiringSoon finding; 0 turns that off.</summary>
        [Parameter]
        [ValidateRange(0, FindingOptions.MaxExpiryWarningDays)]
        public int ExpiryWarningDays { get; set; } = FindingOptions.DefaultExpiryWarningDays;

        /// <summary>Returns only $true (STARTTLS worked and the certificate is valid) or $false.</summary>
        [Parameter(Mandatory = true, ParameterSetName = QuietSet)]
        public SwitchParameter Quiet { get; set; }

        protected override void ProcessRecord()
        {
            var options = FillTarget(new StartTlsTestOptions
            {
                ImplicitTls = ImplicitTls.IsPresent,
                IncludeTranscript = IncludeTranscript.IsPresent,
                CheckEnforcement = CheckEnforcement.IsPresent,
                ExpiryWarningDays = ExpiryWarningDays,
            });
            if (RejectInvalid(options.Validate()))
            {
                if (Quiet) Output.WriteObject(false);
                return;
            }

            string target = Describe(options);
            Output.WriteVerbose($"Testing {target} (timeout {TimeoutSeconds} s per step).");
            StartTlsResult result = Wait(new StartTlsTester().TestAsync(options, StopToken));
            Output.WriteVerbose($"{target}: {result.Status}. {result.Reason}");
            foreach (Finding finding in result.Findings)
                Output.WriteVerbose($"{target}: finding {finding.Id} ({finding.Severity}): {finding.Detail}");

            if (Quiet)
            {
                Output.WriteObject(result.IsHealthy);
                return;
            }
            Output.WriteObject(result);
            if (ErrorMap.For(result.Status) is var (id, category) && result.Status != StartTlsStatus.Cancelled)
                Output.WriteError(new CmdletError(id, category, HostName, $"{target}: {result.Reason}"));
            else if (result.CertificateValid == false)
                Output.WriteWarning($"{target}: {result.CertificateError}");
        }
    }
}
