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

        /// <summary>What the findings need to know about the protocol: STARTTLS keyword, plaintext-login rule, references.</summary>
        ProtocolRules Rules { get; }

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

        /// <summary>
        /// What a second plaintext connection sends to learn whether TLS is required, in a few words ("MAIL FROM:&lt;&gt;,
        /// then RSET and QUIT"); null when the protocol's own dialogue shows it or it cannot be learned harmlessly.
        /// Never a login, a password, a recipient or a message.
        /// </summary>
        string? EnforcementProbe { get; }

        /// <summary>Why enforcement cannot be learned for this protocol at all (PostgreSQL, MySQL); null when it can.</summary>
        string? EnforcementUnknowable { get; }

        /// <summary>
        /// The probe that <see cref="EnforcementProbe"/> describes, on a fresh plaintext connection, from the greeting to
        /// the goodbye. Its verdict quotes the server's answer. Throws only what the session throws.
        /// </summary>
        Task<EnforcementVerdict> ProbeEnforcementAsync(ProtocolSession session, DialectContext context);
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
        /// <summary>With StopStatus Unavailable: why the server turned us away.</summary>
        public UnavailableKind? Unavailable { get; set; }
        /// <summary>The block list the refusal named, when it named one.</summary>
        public string? BlockList { get; set; }
        /// <summary>Set when the ordinary dialogue already shows whether TLS is required (IMAP LOGINDISABLED, XMPP &lt;required/&gt;).</summary>
        public EnforcementVerdict? Enforcement { get; set; }
        /// <summary>Something on the path seems to have interfered with STARTTLS; the evidence quotes what was seen.</summary>
        public StartTlsInterference Interference { get; set; }
        public string? InterferenceEvidence { get; set; }

        /// <summary>STARTTLS was advertised, but the answer says the command is unknown: likely not the server that answered.</summary>
        public static PlainPhaseOutcome Unrecognized(PlainPhaseOutcome outcome, string reply, string reason)
        {
            outcome.Interference = StartTlsInterference.StartTlsUnrecognized;
            outcome.InterferenceEvidence = ServerText.Shorten(reply, 200);
            return Stop(outcome, StartTlsStatus.Refused, reason);
        }

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
