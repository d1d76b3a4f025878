using System;
using System.Management.Automation;
using System.Security.Cryptography.X509Certificates;
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
    public sealed class CompareImplicitVsStartTlsCommand : StartTlsCmdletBase
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Host", "ComputerName", "CN")]
        [ValidateNotNullOrEmpty]
        public string HostName { get; set; } = "";

        [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
        [ValidateComparableProtocol]
        public StartTlsProtocol Protocol { get; set; } = StartTlsProtocol.Submission;

        /// <summary>0 means the protocol's STARTTLS port.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateRange(1, 65535)]
        public int StartTlsPort { get; set; }

        /// <summary>0 means the protocol's implicit-TLS port.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateRange(1, 65535)]
        public int ImplicitPort { get; set; }

        [Parameter]
        [ValidateRange(ImplicitVsStartTlsOptions.MinSamples, ImplicitVsStartTlsOptions.MaxSamples)]
        public int Samples { get; set; } = ImplicitVsStartTlsOptions.DefaultSamples;

        [Parameter]
        [ValidateRange(StartTlsTestOptions.MinTimeoutSeconds, StartTlsTestOptions.MaxTimeoutSeconds)]
        public int TimeoutSeconds { get; set; } = 10;

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? EhloName { get; set; }

        [Parameter]
        public X509Certificate2[]? TrustedRootCertificate { get; set; }

        protected override void ProcessRecord()
        {
            var options = new ImplicitVsStartTlsOptions
            {
                HostName = HostName,
                Protocol = Protocol,
                StartTlsPort = StartTlsPort == 0 ? (int?)null : StartTlsPort,
                ImplicitPort = ImplicitPort == 0 ? (int?)null : ImplicitPort,
                Samples = Samples,
                Timeout = TimeSpan.FromSeconds(TimeoutSeconds),
                EhloName = EhloName,
            };
            if (TrustedRootCertificate != null) options.TrustedRoots.AddRange(TrustedRootCertificate);

            var problems = options.Validate();
            if (problems.Count > 0)
            {
                Output.WriteError(new CmdletError(ErrorMap.InvalidParameterId, ErrorCategory.InvalidArgument, HostName, string.Join(" ", problems)));
                return;
            }

            string target = $"{Protocol} {HostName}";
            Output.WriteVerbose($"Comparing {target}: STARTTLS port {options.SideOptions(false).EffectivePort} with implicit TLS port {options.SideOptions(true).EffectivePort}, {Samples} sample(s) each, one connection at a time.");
            ImplicitVsStartTlsComparison comparison = Wait(new ImplicitVsStartTlsComparer().CompareAsync(options, StopToken));
            Output.WriteVerbose($"{target}: STARTTLS {comparison.StartTlsStatus} ({comparison.StartTlsSuccessfulSamples} ok), implicit TLS {comparison.ImplicitStatus} ({comparison.ImplicitSuccessfulSamples} ok).");

            Output.WriteObject(comparison);
            if (!comparison.StartTlsReachable && ErrorMap.For(comparison.StartTlsStatus) is var (startTlsId, startTlsCategory) && comparison.StartTlsStatus != StartTlsStatus.Cancelled)
                Output.WriteError(new CmdletError(startTlsId, startTlsCategory, HostName, $"{target} STARTTLS port {comparison.StartTlsPort}: {comparison.StartTlsReason}"));
            if (!comparison.ImplicitReachable && ErrorMap.For(comparison.ImplicitStatus) is var (implicitId, implicitCategory) && comparison.ImplicitStatus != StartTlsStatus.Cancelled)
                Output.WriteError(new CmdletError(implicitId, implicitCategory, HostName, $"{target} implicit TLS port {comparison.ImplicitPort}: {comparison.ImplicitReason}"));
        }
    }
}
