using System.Management.Automation;

namespace StartTlsTools.Commands
{
    /// <summary>A target whose protocol the user chooses: adds -Protocol (position 1), -XmppDomain and -ThrottleLimit (targets in flight).</summary>
    public abstract class ServiceCmdletBase : TargetCmdletBase
    {
        [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
        public StartTlsProtocol Protocol { get; set; } = StartTlsProtocol.Smtp;

        /// <summary>The XMPP domain for the stream's to= (Xmpp, XmppServer); the host name by default. Ignored by other protocols.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? XmppDomain { get; set; }

        /// <summary>The most targets tested at once (pipeline input); 1 tests them one after another, in input order.</summary>
        [Parameter]
        [ValidateRange(1, MaxThrottleLimit)]
        public int ThrottleLimit { get; set; } = DefaultThrottleLimit;

        public const int DefaultThrottleLimit = 32;
        public const int MaxThrottleLimit = 1024;

        protected override int TargetsInFlight => ThrottleLimit;

        protected override T FillTarget<T>(T options)
        {
            base.FillTarget(options);
            options.Protocol = Protocol;
            options.XmppDomain = XmppDomain;
            return options;
        }
    }
}
