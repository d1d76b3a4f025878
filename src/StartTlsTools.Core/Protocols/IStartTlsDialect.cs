using System.Collections.Generic;
using System.Threading.Tasks;
using StartTlsTools.Transport;

namespace StartTlsTools.Protocols
{
    /// <summary>
    /// One plain-text protocol's way to reach TLS. A dialect speaks only through the session, which owns
    /// timeouts, bounds and the transcript; it never throws for a server's behaviour except
    /// StartTlsProtocolException, which the engine turns into data.
    /// </summary>
    public interface IStartTlsDialect
    {
        StartTlsProtocol Protocol { get; }

        /// <summary>The standard port for the mode, or null where the protocol has none (e.g. no implicit-TLS port).</summary>
        int? DefaultPort(bool implicitTls);

        /// <summary>Reads the greeting and capabilities, and asks for STARTTLS when it is offered.</summary>
        Task<PlainPhaseOutcome> NegotiateStartTlsAsync(ProtocolSession session, DialectContext context);

        /// <summary>Over TLS: reads the greeting first in implicit mode, then the capabilities again.</summary>
        Task<TlsPhaseOutcome> ReadCapabilitiesOverTlsAsync(ProtocolSession session, DialectContext context, bool implicitTls);

        /// <summary>
        /// A harmless command that the opt-in STARTTLS command-injection probe pipelines right behind the
        /// STARTTLS command (CVE-2011-0411, "NO STARTTLS"); null where the protocol is not line-based. Dialects
        /// must send their STARTTLS command with <see cref="ProtocolSession.WriteStartTlsCommandAsync"/>, which
        /// is where the probe attaches it.
        /// </summary>
        string? InjectionCommand(DialectContext context);

        /// <summary>Says goodbye politely (QUIT, LOGOUT). Best effort: the engine ignores failures here.</summary>
        Task CloseAsync(ProtocolSession session, DialectContext context);
    }

    /// <summary>What a dialect needs to know about the test beyond the connection.</summary>
    public sealed class DialectContext
    {
        public DialectContext(string hostName, string helloName, string? xmppDomain = null)
        {
            HostName = hostName;
            HelloName = helloName;
            XmppDomain = string.IsNullOrEmpty(xmppDomain) ? hostName : xmppDomain!;
        }

        /// <summary>The server's name as the user gave it, normalised.</summary>
        public string HostName { get; }
        /// <summary>Our name for EHLO/LHLO (and the from= of an XMPP server-to-server stream).</summary>
        public string HelloName { get; }
        /// <summary>The XMPP domain for the stream's to= attribute; the host name unless the user gave one.</summary>
        public string XmppDomain { get; }
    }

    public sealed class PlainPhaseOutcome
    {
        public string Banner { get; set; } = "";
        public IReadOnlyList<string> Capabilities { get; set; } = new string[0];
        public bool StartTlsOffered { get; set; }
        /// <summary>The server's answer to the STARTTLS command, verbatim; null when it was not sent.</summary>
        public string? StartTlsReply { get; set; }
        /// <summary>Null: the server agreed, go on to the handshake. Otherwise the status to stop with.</summary>
        public StartTlsStatus? StopStatus { get; set; }
        public string? StopReason { get; set; }

        public static PlainPhaseOutcome Stop(PlainPhaseOutcome outcome, StartTlsStatus status, string reason)
        {
            outcome.StopStatus = status;
            outcome.StopReason = reason;
            return outcome;
        }
    }

    public sealed class TlsPhaseOutcome
    {
        /// <summary>The greeting, in implicit-TLS mode only.</summary>
        public string? Banner { get; set; }
        public IReadOnlyList<string> Capabilities { get; set; } = new string[0];
        /// <summary>Set when the server misbehaved over TLS; TLS itself was established.</summary>
        public string? Problem { get; set; }
    }
}
