using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Security.Cryptography.X509Certificates;
using StartTlsTools.Commands.Output;

namespace StartTlsTools.Commands
{
    /// <summary>
    /// The parameters that name a server and how we talk to it, declared once for every cmdlet that connects
    /// (the one-base-cmdlet idea of PSOpenAD). Cmdlets with a protocol choice derive from <see cref="ServiceCmdletBase"/>.
    /// </summary>
    public abstract class TargetCmdletBase : StartTlsCmdletBase
    {
        /// <summary>The server: a DNS name or an IP address. Binds from the pipeline and from objects with a HostName,
        /// ComputerName or NameExchange property (Resolve-DnsName MX records, Import-Csv rows).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Host", "ComputerName", "CN", "NameExchange")]
        [ValidateNotNullOrEmpty]
        public string HostName { get; set; } = "";

        /// <summary>0 (not given) means the protocol's standard port for the chosen mode.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateRange(1, 65535)]
        public int Port { get; set; }

        [Parameter]
        [ValidateRange(TargetOptions.MinTimeoutSeconds, TargetOptions.MaxTimeoutSeconds)]
        public int TimeoutSeconds { get; set; } = TargetOptions.DefaultTimeoutSeconds;

        /// <summary>How long to wait for the server's greeting, which tarpits and greet-pause delay on purpose (RFC 5321 allows 5 minutes).</summary>
        [Parameter]
        [ValidateRange(TargetOptions.MinTimeoutSeconds, TargetOptions.MaxTimeoutSeconds)]
        public int GreetingTimeoutSeconds { get; set; } = TargetOptions.DefaultGreetingTimeoutSeconds;

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? EhloName { get; set; }

        [Parameter]
        public X509Certificate2[]? TrustedRootCertificate { get; set; }

        /// <summary>Copies these parameters onto an engine's options and returns them.</summary>
        protected virtual T FillTarget<T>(T options) where T : TargetOptions
        {
            options.HostName = HostName;
            options.Port = Port == 0 ? (int?)null : Port;
            options.Timeout = TimeSpan.FromSeconds(TimeoutSeconds);
            options.GreetingTimeout = TimeSpan.FromSeconds(GreetingTimeoutSeconds);
            options.EhloName = EhloName;
            if (TrustedRootCertificate != null) options.TrustedRoots.AddRange(TrustedRootCertificate);
            return options;
        }

        /// <summary>Bad input never reaches the network: writes one InvalidParameter error and says whether there was any.</summary>
        protected bool RejectInvalid(IReadOnlyList<string> problems)
        {
            if (problems.Count == 0) return false;
            Output.WriteError(new CmdletError(ErrorMap.InvalidParameterId, ErrorCategory.InvalidArgument, HostName, string.Join(" ", problems)));
            return true;
        }

        /// <summary>"Smtp STARTTLS mail.contoso.com:25": how verbose output, warnings and errors name the target.</summary>
        protected static string Describe(TargetOptions options) =>
            $"{options.Protocol} {(options.ImplicitTls ? "implicit TLS" : "STARTTLS")} {options.HostName}:{options.EffectivePort}";
    }
}
