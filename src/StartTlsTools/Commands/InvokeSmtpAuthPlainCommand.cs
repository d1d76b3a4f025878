using System;
using System.Management.Automation;
using System.Security.Cryptography.X509Certificates;
using StartTlsTools.Commands.Output;

namespace StartTlsTools.Commands
{
    /// <summary>
    /// Invoke-SmtpAuthPlain: STARTTLS (or implicit TLS), certificate check, then SMTP AUTH PLAIN with the given
    /// credential, reporting the server's verdict. Refuses before any secret is sent when TLS is missing or the
    /// certificate is invalid, unless the user explicitly allows it. Never prompts: -Credential is mandatory.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Invoke, "SmtpAuthPlain", HelpUri = "https://github.com/starttlstools/StartTlsTools/blob/main/docs/en-US/Invoke-SmtpAuthPlain.md")]
    [OutputType(typeof(SmtpAuthResult))]
    public sealed class InvokeSmtpAuthPlainCommand : StartTlsCmdletBase
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Host", "ComputerName", "CN")]
        [ValidateNotNullOrEmpty]
        public string HostName { get; set; } = "";

        /// <summary>0 means 587, or 465 with -ImplicitTls.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateRange(1, 65535)]
        public int Port { get; set; }

        /// <summary>From Get-Credential, an Automation credential asset or New-Object PSCredential: never prompted for.</summary>
        [Parameter(Mandatory = true, Position = 1)]
        [ValidateNotNull]
        public PSCredential Credential { get; set; } = PSCredential.Empty;

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? AuthorizationIdentity { get; set; }

        [Parameter]
        public SwitchParameter ImplicitTls { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? EhloName { get; set; }

        [Parameter]
        [ValidateRange(StartTlsTestOptions.MinTimeoutSeconds, StartTlsTestOptions.MaxTimeoutSeconds)]
        public int TimeoutSeconds { get; set; } = 10;

        [Parameter]
        public X509Certificate2[]? TrustedRootCertificate { get; set; }

        [Parameter]
        public SwitchParameter AllowPlaintext { get; set; }

        [Parameter]
        public SwitchParameter SkipCertificateCheck { get; set; }

        [Parameter]
        public SwitchParameter IncludeTranscript { get; set; }

        protected override void ProcessRecord()
        {
            var options = new SmtpAuthPlainOptions
            {
                HostName = HostName,
                Port = Port == 0 ? (int?)null : Port,
                ImplicitTls = ImplicitTls.IsPresent,
                UserName = UserNameOf(Credential),
                Password = Credential.Password,
                AuthorizationIdentity = AuthorizationIdentity,
                Timeout = TimeSpan.FromSeconds(TimeoutSeconds),
                EhloName = EhloName,
                AllowPlaintext = AllowPlaintext.IsPresent,
                SkipCertificateCheck = SkipCertificateCheck.IsPresent,
                IncludeTranscript = IncludeTranscript.IsPresent,
            };
            if (TrustedRootCertificate != null) options.TrustedRoots.AddRange(TrustedRootCertificate);

            var problems = options.Validate();
            if (problems.Count > 0)
            {
                Output.WriteError(new CmdletError(ErrorMap.InvalidParameterId, ErrorCategory.InvalidArgument, HostName, string.Join(" ", problems)));
                return;
            }

            string target = $"SMTP AUTH PLAIN {(ImplicitTls ? "implicit TLS" : "STARTTLS")} {HostName}:{options.EffectivePort} as {options.UserName}";
            Output.WriteVerbose($"{target} (timeout {TimeoutSeconds} s per step).");
            SmtpAuthResult result = Wait(new SmtpAuthPlainClient().AuthenticateAsync(options, StopToken));
            Output.WriteVerbose($"{target}: {result.Status}. {result.Reason}");

            Output.WriteObject(result);
            if (ErrorMap.For(result.Status, result.TlsStatus) is var (id, category))
                Output.WriteError(new CmdletError(id, category, HostName, $"{target}: {result.Reason}"));
            if (result.CertificateCheckSkipped && result.CertificateValid == false && result.CredentialsSent)
                Output.WriteWarning($"{target}: credentials were sent although the certificate is not valid (-SkipCertificateCheck): {result.CertificateError}");
            if (!result.TlsEstablished && result.CredentialsSent)
                Output.WriteWarning($"{target}: credentials were sent in plaintext (-AllowPlaintext).");
        }

        /// <summary>Windows PowerShell's Get-Credential may return "\user" for a user without a domain.</summary>
        internal static string UserNameOf(PSCredential credential)
        {
            string name = credential.UserName ?? "";
            return name.StartsWith("\\", StringComparison.Ordinal) && name.IndexOf('\\', 1) < 0 ? name.Substring(1) : name;
        }
    }
}
