using System;
using System.Linq;
using System.Management.Automation;
using StartTlsTools.Commands.Output;

namespace StartTlsTools.Commands
{
    /// <summary>
    /// Test-StartTls: connects, checks that STARTTLS is offered, upgrades, validates the certificate and
    /// reads the capabilities again. One result object per target; failures are data plus an ErrorRecord.
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "StartTls", HelpUri = "https://github.com/starttlstools/StartTlsTools/blob/main/docs/en-US/Test-StartTls.md", DefaultParameterSetName = DefaultSet)]
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

        /// <summary>The resolver for the host name (and the TLSA records with -Dane), address[:port]; the system resolver when omitted.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? DnsServer { get; set; }

        /// <summary>Also checks DANE: TLSA records at _port._tcp.host matched against the chain the server presented.</summary>
        [Parameter]
        public SwitchParameter Dane { get; set; }

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
            var problems = new System.Collections.Generic.List<string>(options.Validate());
            if (DnsServerParameter.TryParse(DnsServer, out System.Net.IPEndPoint? dnsServer) is string dnsProblem) problems.Add(dnsProblem);
            if (RejectInvalid(problems))
            {
                if (Quiet) Output.WriteObject(false);
                return;
            }

            string target = Describe(options);
            string hostName = HostName;
            bool quiet = Quiet.IsPresent, dane = Dane.IsPresent;
            Output.WriteVerbose($"Testing {target} (timeout {TimeoutSeconds} s per step).");
            RunTarget(target, async cancel =>
            {
                StartTlsResult result = await new StartTlsTester(DnsServerParameter.HostLookup(dnsServer, options.Timeout)).TestAsync(options, cancel).ConfigureAwait(false);
                string? daneResolver = dane ? await CheckDaneAsync(result, dnsServer, options.Timeout, cancel).ConfigureAwait(false) : null;
                return () => Write(result, target, hostName, quiet, daneResolver);
            });
        }

        /// <summary>Runs on the pipeline thread when the target is done.</summary>
        private void Write(StartTlsResult result, string target, string hostName, bool quiet, string? daneResolver)
        {
            if (daneResolver != null)
            {
                Output.WriteVerbose($"{hostName}: DANE {result.DaneStatus}. {result.DaneReason}");
                if (result.Findings.Any(f => f.Id == "DaneResolverNotLocal"))
                    Output.WriteWarning($"{hostName}: DANE relied on the AD bit of {daneResolver}, which is not on loopback.");
            }
            Output.WriteVerbose($"{target}: {result.Status}. {result.Reason}");
            foreach (Finding finding in result.Findings)
                Output.WriteVerbose($"{target}: finding {finding.Id} ({finding.Severity}): {finding.Detail}");

            if (quiet)
            {
                Output.WriteObject(result.IsHealthy);
                return;
            }
            Output.WriteObject(result);
            if (ErrorMap.For(result.Status) is var (id, category) && result.Status != StartTlsStatus.Cancelled)
                Output.WriteError(new CmdletError(id, category, hostName, $"{target}: {result.Reason}"));
            else if (result.CertificateValid == false)
                Output.WriteWarning($"{target}: {result.CertificateError}");
            if (daneResolver != null && result.DaneStatus == MailDomain.DaneStatus.Mismatch)
                Output.WriteWarning($"{target}: DANE mismatch: {result.DaneReason}");
        }

        /// <summary>-Dane: TLSA lookup and match against the presented chain, after the test (issue 11); returns the resolver's description.</summary>
        private static async System.Threading.Tasks.Task<string> CheckDaneAsync(StartTlsResult result, System.Net.IPEndPoint? dnsServer, TimeSpan timeout,
            System.Threading.CancellationToken cancel)
        {
            var resolver = new Resolution.DnsClientResolver(dnsServer, timeout);
            await MailDomain.DaneForTest.CheckAsync(resolver, result, cancel).ConfigureAwait(false);
            return resolver.Description;
        }
    }
}
