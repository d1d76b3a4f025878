using System;
using System.Management.Automation;

namespace StartTlsTools.Commands
{
    /// <summary>
    /// The parameters of the cmdlets that take a mail domain rather than a host (Resolve-MailExchanger, Get-MtaStsPolicy,
    /// Test-MailDomain), declared once as TargetCmdletBase does for the host cmdlets.
    /// </summary>
    public abstract class DomainCmdletBase : StartTlsCmdletBase
    {
        /// <summary>The mail domain, e.g. contoso.com. Binds from the pipeline and from objects with a Domain, DomainName or Name property.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("DomainName", "Name")]
        [ValidateNotNullOrEmpty]
        public string Domain { get; set; } = "";

        /// <summary>The resolver for every lookup, address[:port]; the system's configured DNS servers when omitted.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? DnsServer { get; set; }

        /// <summary>Each DNS query and network step.</summary>
        [Parameter]
        [ValidateRange(TargetOptions.MinTimeoutSeconds, TargetOptions.MaxTimeoutSeconds)]
        public int TimeoutSeconds { get; set; } = TargetOptions.DefaultTimeoutSeconds;

        protected TimeSpan Timeout => TimeSpan.FromSeconds(TimeoutSeconds);
    }
}
