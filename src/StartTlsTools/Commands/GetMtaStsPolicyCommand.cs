using System;
using System.Linq;
using System.Management.Automation;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using StartTlsTools.Commands.Output;
using StartTlsTools.MailDomain;
using StartTlsTools.Resolution;

namespace StartTlsTools.Commands
{
    /// <summary>
    /// Get-MtaStsPolicy: a domain's MTA-STS (RFC 8461): the _mta-sts TXT record, the policy fetched over HTTPS with
    /// certificate validation (no redirects, 64 KiB, the timeout), and its parse. One object per domain; a domain without
    /// MTA-STS is Status NotPublished; a broken policy is data plus a non-terminating error.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "MtaStsPolicy", HelpUri = "https://github.com/starttlstools/StartTlsTools/blob/main/docs/en-US/Get-MtaStsPolicy.md")]
    [OutputType(typeof(MtaStsPolicyResult))]
    public sealed class GetMtaStsPolicyCommand : DomainCmdletBase
    {
        /// <summary>Roots trusted besides the OS store for the policy host's certificate.</summary>
        [Parameter]
        public X509Certificate2[]? TrustedRootCertificate { get; set; }

        protected override void ProcessRecord()
        {
            var timeout = TimeSpan.FromSeconds(TimeoutSeconds);
            string? problem = DnsServerParameter.TryParse(DnsServer, out IPEndPoint? server)
                ?? new MailDomainTestOptions { Domain = Domain, Timeout = timeout }.Validate().FirstOrDefault();
            if (problem != null)
            {
                Output.WriteError(new CmdletError(ErrorMap.InvalidParameterId, ErrorCategory.InvalidArgument, Domain, problem));
                return;
            }
            var resolver = new DnsClientResolver(server, timeout);
            var roots = new X509Certificate2Collection();
            if (TrustedRootCertificate != null) roots.AddRange(TrustedRootCertificate);
            Output.WriteVerbose($"Reading the MTA-STS policy of {Domain} (DNS: {resolver.Description}).");
            var checker = new MtaStsChecker(resolver, DnsServerParameter.HostLookup(server, timeout));
            MtaStsPolicyResult result = Wait(checker.CheckAsync(Domain, timeout, roots, StopToken));
            Output.WriteVerbose($"{result.Domain}: {result.Status}. {result.Reason}");
            Output.WriteObject(result);
            if (For(result.Status) is var (id, category))
                Output.WriteError(new CmdletError(id, category, Domain, $"{result.Domain}: {result.Reason}"));
            else if (result.Mode == MtaStsMode.Testing)
                Output.WriteWarning($"{result.Domain}: the MTA-STS policy is in testing mode; senders deliver even when TLS fails.");
        }

        /// <summary>Error ids for the statuses that mean a published policy does not work; NotPublished and Valid are not errors.</summary>
        internal static (string Id, ErrorCategory Category)? For(MtaStsStatus status)
        {
            switch (status)
            {
                case MtaStsStatus.TxtInvalid: return ("MtaStsTxtInvalid", ErrorCategory.InvalidData);
                case MtaStsStatus.PolicyUnreachable: return ("MtaStsPolicyUnreachable", ErrorCategory.ResourceUnavailable);
                case MtaStsStatus.PolicyInvalid: return ("MtaStsPolicyInvalid", ErrorCategory.InvalidData);
                case MtaStsStatus.LookupFailed: return ("DnsLookupFailed", ErrorCategory.ResourceUnavailable);
                default: return null;
            }
        }
    }
}
