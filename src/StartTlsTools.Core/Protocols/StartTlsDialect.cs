using System.Threading.Tasks;
using StartTlsTools.Transport;

namespace StartTlsTools.Protocols
{
    /// <summary>
    /// The base of every dialect: the protocol's rules (<see cref="ProtocolRules"/>, overridden where the protocol
    /// defines its own) and no enforcement probe unless the dialect has one.
    /// </summary>
    public abstract class StartTlsDialect : ProtocolRules, IStartTlsDialect
    {
        public abstract StartTlsProtocol Protocol { get; }

        public ProtocolRules Rules => this;

        public abstract int? DefaultPort(bool implicitTls);

        public abstract Task<PlainPhaseOutcome> NegotiateStartTlsAsync(ProtocolSession session, DialectContext context);

        public abstract Task<TlsPhaseOutcome> ReadCapabilitiesOverTlsAsync(ProtocolSession session, DialectContext context, bool implicitTls);

        public abstract string? InjectionCommand(DialectContext context);

        public abstract Task CloseAsync(ProtocolSession session, DialectContext context);

        public virtual string? EnforcementProbe => null;

        public virtual string? EnforcementUnknowable => null;

        public virtual Task<EnforcementVerdict> ProbeEnforcementAsync(ProtocolSession session, DialectContext context) =>
            Task.FromResult(EnforcementVerdict.Unknown(EnforcementUnknowable ?? $"{Protocol} has no enforcement probe."));
    }
}
