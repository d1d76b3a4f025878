using System.Management.Automation;
using StartTlsTools.Commands.Output;

namespace StartTlsTools.Commands
{
    /// <summary>
    /// Compare-ImplicitVsStartTls: one service on its STARTTLS port and its implicit-TLS port, N sequential samples
    /// each, as one flat object: timings, plaintext round trips and bytes, what the plaintext exposed, TLS
    /// parameters and certificate per side, whether they match, and an RFC 8314 recommendation.
    /// </summary>
    [Cmdlet(VerbsData.Compare, "ImplicitVsStartTls", HelpUri = "https://github.com/starttlstools/StartTlsTools/blob/main/docs/en-US/Compare-ImplicitVsStartTls.md")]
    [OutputType(typeof(ImplicitVsStartTlsComparison))]
    public sealed class CompareImplicitVsStartTlsCommand : ServiceCmdletBase
    {
        public CompareImplicitVsStartTlsCommand() { Protocol = StartTlsProtocol.Submission; }

        /// <summary>0 means the protocol's implicit-TLS port. -Port is the STARTTLS side's.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateRange(1, 65535)]
        public int ImplicitPort { get; set; }

        [Parameter]
        [ValidateRange(ImplicitVsStartTlsOptions.MinSamples, ImplicitVsStartTlsOptions.MaxSamples)]
        public int Samples { get; set; } = ImplicitVsStartTlsOptions.DefaultSamples;

        protected override void ProcessRecord()
        {
            var options = FillTarget(new ImplicitVsStartTlsOptions
            {
                ImplicitPort = ImplicitPort == 0 ? (int?)null : ImplicitPort,
                Samples = Samples,
            });
            if (RejectInvalid(options.Validate())) return;

            string target = $"{Protocol} {HostName}";
            Output.WriteVerbose($"Comparing {target}: STARTTLS port {options.SideOptions(false).EffectivePort} with implicit TLS port {options.SideOptions(true).EffectivePort}, {Samples} sample(s) each, one connection at a time.");
            string hostName = HostName;
            RunTarget(target, async cancel =>
            {
                ImplicitVsStartTlsComparison comparison = await new ImplicitVsStartTlsComparer().CompareAsync(options, cancel).ConfigureAwait(false);
                return () => Write(comparison, target, hostName);
            });
        }

        /// <summary>Runs on the pipeline thread when the target is done.</summary>
        private void Write(ImplicitVsStartTlsComparison comparison, string target, string hostName)
        {
            Output.WriteVerbose($"{target}: STARTTLS {comparison.StartTlsStatus} ({comparison.StartTlsSuccessfulSamples} ok), implicit TLS {comparison.ImplicitStatus} ({comparison.ImplicitSuccessfulSamples} ok).");
            Output.WriteObject(comparison);
            if (!comparison.StartTlsReachable && ErrorMap.For(comparison.StartTlsStatus) is var (startTlsId, startTlsCategory) && comparison.StartTlsStatus != StartTlsStatus.Cancelled)
                Output.WriteError(new CmdletError(startTlsId, startTlsCategory, hostName, $"{target} STARTTLS port {comparison.StartTlsPort}: {comparison.StartTlsReason}"));
            if (!comparison.ImplicitReachable && ErrorMap.For(comparison.ImplicitStatus) is var (implicitId, implicitCategory) && comparison.ImplicitStatus != StartTlsStatus.Cancelled)
                Output.WriteError(new CmdletError(implicitId, implicitCategory, hostName, $"{target} implicit TLS port {comparison.ImplicitPort}: {comparison.ImplicitReason}"));
        }
    }
}
