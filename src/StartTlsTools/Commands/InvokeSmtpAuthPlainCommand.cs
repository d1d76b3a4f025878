using System;
using System.Management.Automation;
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
    public sealed class InvokeSmtpAuthPlainCommand : TargetCmdletBase
    {
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
        public SwitchParameter AllowPlaintext { get; set; }

        [Parameter]
        public SwitchParameter SkipCertificateCheck { get; set; }

        [Parameter]
        public SwitchParameter IncludeTranscript { get; set; }

        protected override void ProcessRecord()
        {
            var options = FillTarget(new SmtpAuthPlainOptions
            {
                ImplicitTls = ImplicitTls.IsPresent,
                UserName = UserNameOf(Credential),
                Password = Credential.Password,
                AuthorizationIdentity = AuthorizationIdentity,
                AllowPlaintext = AllowPlaintext.IsPresent,
                SkipCertificateCheck = SkipCertificateCheck.IsPresent,
                IncludeTranscript = IncludeTranscript.IsPresent,
            });
            if (RejectInvalid(options.Validate())) return;

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
