using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using StartTlsTools.Commands.Output;
using StartTlsTools.MailDomain;

namespace StartTlsTools.Commands
{
    /// <summary>
    /// Test-MailDomain: is mail to this domain protected in transit? MX set, STARTTLS on port 25 of every MX address
    /// with DANE and MTA-STS, and the domain's MTA-STS and TLS-RPT, as one flat row per MX address (domain facts
    /// repeated on each row, so Export-Csv needs nothing else). Many domains from the pipeline, one after the other.
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "MailDomain", HelpUri = "https://github.com/starttlstools/StartTlsTools/blob/main/docs/en-US/Test-MailDomain.md")]
    [OutputType(typeof(MailDomainResult))]
    public sealed class TestMailDomainCommand : DomainCmdletBase
    {
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? EhloName { get; set; }

        /// <summary>Roots trusted besides the OS store, for the MX certificates and the MTA-STS policy hosts.</summary>
        [Parameter]
        public X509Certificate2[]? TrustedRootCertificate { get; set; }

        /// <summary>The most domains tested at once (pipeline input); 1 tests them one after another, in input order.</summary>
        [Parameter]
        [ValidateRange(1, ServiceCmdletBase.MaxThrottleLimit)]
        public int ThrottleLimit { get; set; } = ServiceCmdletBase.DefaultThrottleLimit;

        protected override int TargetsInFlight => ThrottleLimit;

        [Parameter]
        [ValidateRange(0, FindingOptions.MaxExpiryWarningDays)]
        public int ExpiryWarningDays { get; set; } = FindingOptions.DefaultExpiryWarningDays;

        protected override void ProcessRecord()
        {
            var options = new MailDomainTestOptions
            {
                Domain = Domain,
                Timeout = TimeSpan.FromSeconds(TimeoutSeconds),
                EhloName = EhloName,
                ExpiryWarningDays = ExpiryWarningDays,
            };
            if (TrustedRootCertificate != null) options.TrustedRoots.AddRange(TrustedRootCertificate);
            var problems = new List<string>(options.Validate());
            string? serverProblem = DnsServerParameter.TryParse(DnsServer, out IPEndPoint? server);
            if (serverProblem != null) problems.Add(serverProblem);
            if (problems.Count > 0)
            {
                Output.WriteError(new CmdletError(ErrorMap.InvalidParameterId, ErrorCategory.InvalidArgument, Domain, string.Join(" ", problems)));
                return;
            }
            options.DnsServer = server;

            string domain = Domain;
            Output.WriteVerbose($"Testing mail domain {domain} (timeout {TimeoutSeconds} s per step).");
            RunTarget(domain, async cancel =>
            {
                IReadOnlyList<MailDomainResult> rows = await MailDomainTester.ForOptions(options).TestAsync(options, cancel).ConfigureAwait(false);
                return () => Write(rows, domain);
            });
        }

        /// <summary>Runs on the pipeline thread when the domain is done.</summary>
        private void Write(IReadOnlyList<MailDomainResult> rows, string domain)
        {
            foreach (MailDomainResult row in rows)
            {
                Output.WriteVerbose($"{row.Domain} {row.HostName} {row.IPAddress}: {(row.Status?.ToString() ?? "not tested")}, DANE {row.DaneStatus}, MTA-STS {row.MtaStsStatus}. {row.Reason}");
                foreach (Finding finding in row.Findings)
                    Output.WriteVerbose($"{row.Domain} {row.HostName}: finding {finding.Id} ({finding.Severity}): {finding.Detail}");
                Output.WriteObject(row);
            }
            Finding? remote = rows.SelectMany(r => r.Findings).FirstOrDefault(f => f.Id == "DaneResolverNotLocal");
            if (remote != null) Output.WriteWarning($"{domain}: {remote.Detail}");
            if (rows.Count == 1 && rows[0].Findings.FirstOrDefault(f => f.Id == "MxLookupFailed" || f.Id == "DomainNotFound" || f.Id == "DnssecBogus") is Finding failed && rows[0].HostName.Length == 0)
                Output.WriteError(new CmdletError(failed.Id, failed.Id == "DomainNotFound" ? ErrorCategory.ObjectNotFound : ErrorCategory.ResourceUnavailable, domain, $"{domain}: {rows[0].MxSummary}"));
        }
    }
}
