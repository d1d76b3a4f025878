using System;
using System.Linq;
using System.Management.Automation;
using System.Net;
using StartTlsTools.Commands.Output;
using StartTlsTools.MailDomain;
using StartTlsTools.Resolution;

namespace StartTlsTools.Commands
{
    /// <summary>
    /// Resolve-MailExchanger: a domain's MX hosts in the order senders try them, with addresses, DNSSEC status and
    /// findings (CNAME, IP literal, no address). Objects bind by property name into Test-StartTls, Get-TlsCapability
    /// and Test-StartTlsInjection (HostName, Port 25, Protocol Smtp). A null MX writes a warning and no object.
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Resolve, "MailExchanger", HelpUri = "https://github.com/starttlstools/StartTlsTools/blob/main/docs/en-US/Resolve-MailExchanger.md")]
    [OutputType(typeof(MailExchanger))]
    public sealed class ResolveMailExchangerCommand : DomainCmdletBase
    {
        protected override void ProcessRecord()
        {
            string? problem = DnsServerParameter.TryParse(DnsServer, out IPEndPoint? server)
                ?? new MailDomainTestOptions { Domain = Domain, Timeout = TimeSpan.FromSeconds(TimeoutSeconds) }.Validate().FirstOrDefault();
            if (problem != null)
            {
                Output.WriteError(new CmdletError(ErrorMap.InvalidParameterId, ErrorCategory.InvalidArgument, Domain, problem));
                return;
            }
            var resolver = new DnsClientResolver(server, TimeSpan.FromSeconds(TimeoutSeconds));
            Output.WriteVerbose($"Resolving the MX hosts of {Domain} through {resolver.Description}.");
            MxSet set = Wait(MxResolver.ResolveAsync(Domain, resolver, StopToken));
            Output.WriteVerbose($"{set.Domain}: {set.Summary}");

            switch (set.Kind)
            {
                case MxSetKind.NullMx:
                    Output.WriteWarning($"{set.Domain}: {set.Summary} (RFC 7505)");
                    return;
                case MxSetKind.DomainNotFound:
                    Output.WriteError(new CmdletError("DomainNotFound", ErrorCategory.ObjectNotFound, Domain, $"{set.Domain}: {set.Summary}"));
                    return;
                case MxSetKind.LookupFailed:
                    Output.WriteError(new CmdletError("MxLookupFailed", ErrorCategory.ResourceUnavailable, Domain, $"{set.Domain}: {set.Summary}"));
                    return;
            }
            foreach (MxHost host in set.Hosts)
            {
                var findings = set.Findings.Concat(host.Findings).ToList();
                Output.WriteObject(new MailExchanger
                {
                    Domain = set.Domain,
                    Preference = host.Preference,
                    HostName = host.Name,
                    Source = host.Source,
                    IPAddresses = new TextList(host.Addresses.Select(a => a.ToString())),
                    AddressLookup = host.AddressLookup,
                    MxDnssec = set.MxDnssec,
                    AddressDnssec = host.AddressDnssec,
                    IsCname = host.IsCname,
                    CanonicalName = host.CanonicalName,
                    IsIpLiteral = host.IsIpLiteral,
                    Reason = host.Reason,
                    DnsServer = resolver.Description,
                    Findings = MailDomainFindings.Combine(findings),
                });
                foreach (Finding finding in findings) Output.WriteVerbose($"{host.Name}: finding {finding.Id} ({finding.Severity}): {finding.Detail}");
            }
        }
    }
}
