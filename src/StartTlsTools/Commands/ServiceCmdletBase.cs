using System.Management.Automation;

namespace StartTlsTools.Commands
{
    /// <summary>A target whose protocol the user chooses: adds -Protocol (position 1) and -XmppDomain.</summary>
    public abstract class ServiceCmdletBase : TargetCmdletBase
    {
        [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
        public StartTlsProtocol Protocol { get; set; } = StartTlsProtocol.Smtp;

        /// <summary>The XMPP domain for the stream's to= (Xmpp, XmppServer); the host name by default. Ignored by other protocols.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? XmppDomain { get; set; }

        protected override T FillTarget<T>(T options)
        {
            base.FillTarget(options);
            options.Protocol = Protocol;
            options.XmppDomain = XmppDomain;
            return options;
        }
    }
}
