using System;
using System.Management.Automation;
using System.Security.Cryptography.X509Certificates;
using StartTlsTools.Commands.Output;

namespace StartTlsTools.Commands
{
    /// <summary>
    /// Test-StartTls: connects, checks that STARTTLS is offered, upgrades, validates the certificate and
    /// reads the capabilities again. One result object per target; failures are data plus an ErrorRecord.
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "StartTls", HelpUri = "https://github.com/starttlstools/StartTlsTools/blob/main/docs/en-US/Test-StartTls.md")]
    [OutputType(typeof(StartTlsResult))]
    [OutputType(typeof(bool))]
    public sealed class TestStartTlsCommand : StartTlsCmdletBase
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
        [ValidateRange(StartTlsTestOptions.MinTimeoutSeconds, StartTlsTestOptions.MaxTimeoutSeconds)]
        public int TimeoutSeconds { get; set; } = 10;

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? EhloName { get; set; }

        /// <summary>The XMPP domain for the stream's to= (Xmpp, XmppServer); the host name by default.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? XmppDomain { get; set; }

        [Parameter]
        public X509Certificate2[]? TrustedRootCertificate { get; set; }

        [Parameter]
        public SwitchParameter IncludeTranscript { get; set; }

        /// <summary>A certificate expiring within this many days is reported as the CertificateExpiringSoon finding; 0 turns that off.</summary>
        [Parameter]
        [ValidateRange(0, FindingOptions.MaxExpiryWarningDays)]
        public int ExpiryWarningDays { get; set; } = FindingOptions.DefaultExpiryWarningDays;

        /// <summary>Returns only $true (STARTTLS worked and the certificate is valid) or $false.</summary>
        [Parameter]
        public SwitchParameter Quiet { get; set; }

        protected override void ProcessRecord()
        {
            var options = new StartTlsTestOptions
            {
                HostName = HostName,
                Protocol = Protocol,
                Port = Port == 0 ? (int?)null : Port,
                ImplicitTls = ImplicitTls.IsPresent,
                Timeout = TimeSpan.FromSeconds(TimeoutSeconds),
                EhloName = EhloName,
                XmppDomain = XmppDomain,
                IncludeTranscript = IncludeTranscript.IsPresent,
                ExpiryWarningDays = ExpiryWarningDays,
            };
            if (TrustedRootCertificate != null) options.TrustedRoots.AddRange(TrustedRootCertificate);

            var problems = options.Validate();
            if (problems.Count > 0)
            {
                // Bad input never reaches the network.
                Output.WriteError(new CmdletError(ErrorMap.InvalidParameterId, ErrorCategory.InvalidArgument, HostName, string.Join(" ", problems)));
                if (Quiet) Output.WriteObject(false);
                return;
            }

            string target = $"{Protocol} {(ImplicitTls ? "implicit TLS" : "STARTTLS")} {HostName}:{options.EffectivePort}";
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
