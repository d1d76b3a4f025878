using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using StartTlsTools.Transport;

namespace StartTlsTools.Protocols
{
    /// <summary>
    /// ManageSieve (RFC 5804): the greeting is the capability list; STARTTLS, then the server sends its
    /// capabilities again on its own (section 2.2), LOGOUT. No implicit-TLS port exists.
    /// </summary>
    public sealed class ManageSieveDialect : StartTlsDialect
    {
        public override StartTlsProtocol Protocol => StartTlsProtocol.ManageSieve;

        public override int? DefaultPort(bool implicitTls) => implicitTls ? (int?)null : 4190;

        public override string StartTlsReference => "RFC 5804 section 2.2";
        public override string AuthReference => "RFC 5804 section 2.1; RFC 4616 section 6";
        public override string StartTlsAfterTlsReference => "RFC 3207 section 4.2; RFC 5804 section 2.2";
        public override string StartTlsOptionalReference => "RFC 5804 section 2.1; RFC 8314 section 3";

        public override async Task<PlainPhaseOutcome> NegotiateStartTlsAsync(ProtocolSession session, DialectContext context)
        {
            var outcome = new PlainPhaseOutcome();
            var greeting = await ManageSieveResponse.ReadAsync(session, "the greeting").ConfigureAwait(false);
            outcome.Banner = greeting.Line;
            outcome.Capabilities = greeting.Capabilities;
            if (!greeting.IsOk)
                return ServerRefusal.Stop(outcome, ServerRefusal.Classify(greeting.Line, UnavailableKind.Closing), $"in its greeting ({greeting.Status})", greeting.Line);
            outcome.StartTlsOffered = greeting.Capabilities.Any(IsStartTlsCapability);
            outcome.Enforcement = EnforcementFrom(greeting.Capabilities);
            if (!outcome.StartTlsOffered)
                return PlainPhaseOutcome.Stop(outcome, StartTlsStatus.NotOffered, "The server did not list STARTTLS in its capabilities.");

            await session.WriteStartTlsCommandAsync("STARTTLS", "STARTTLS").ConfigureAwait(false);
            var answer = await ManageSieveResponse.ReadAsync(session, "the reply to STARTTLS").ConfigureAwait(false);
            outcome.StartTlsReply = answer.Line;
            if (answer.Capabilities.Count > 0)
                return PlainPhaseOutcome.Stop(outcome, StartTlsStatus.ProtocolError, "The server sent capability lines in answer to STARTTLS.");
            if (answer.IsOk) return outcome;
            if (answer.Status == "BYE")
                return ServerRefusal.Stop(outcome, ServerRefusal.Classify(answer.Line, UnavailableKind.Closing), "in answer to STARTTLS (BYE)", answer.Line);
            return PlainPhaseOutcome.Stop(outcome, StartTlsStatus.Refused, "The server refused STARTTLS: " + ServerText.Shorten(answer.Line));
        }

        /// <summary>
        /// As IMAP's LOGINDISABLED (RFC 5804 section 1.7): a server that requires TLS lists SASL with no mechanism before
        /// it. No AUTHENTICATE is ever sent to find out.
        /// </summary>
        private static EnforcementVerdict? EnforcementFrom(IReadOnlyList<string> capabilities)
        {
            if (!capabilities.Any(c => Capability.Keyword(c) == "SASL")) return null;
            var mechanisms = Capability.SaslMechanisms(capabilities);
            return mechanisms.Count == 0
                ? EnforcementVerdict.Enforced("Before STARTTLS the server lists SASL with no mechanism: no login is possible in plaintext.")
                : EnforcementVerdict.Opportunistic($"Before STARTTLS the server offers SASL {string.Join(" ", mechanisms)}: a login is possible in plaintext.");
        }

        public override async Task<TlsPhaseOutcome> ReadCapabilitiesOverTlsAsync(ProtocolSession session, DialectContext context, bool implicitTls)
        {
            var outcome = new TlsPhaseOutcome();
            // Both after STARTTLS and on an implicit-TLS port the server speaks first with its capabilities.
            var capabilities = await ManageSieveResponse.ReadAsync(session, "the capabilities over TLS").ConfigureAwait(false);
            if (implicitTls) outcome.Banner = capabilities.Line;
            outcome.Capabilities = capabilities.Capabilities;
            if (!capabilities.IsOk) outcome.Problem = "The server ended its capabilities over TLS with: " + ServerText.Shorten(capabilities.Line);
            return outcome;
        }

        public override string? InjectionCommand(DialectContext context) => "NOOP";

        public override async Task CloseAsync(ProtocolSession session, DialectContext context)
        {
            await session.WriteLineAsync("LOGOUT", "LOGOUT").ConfigureAwait(false);
            await ManageSieveResponse.ReadAsync(session, "the reply to LOGOUT").ConfigureAwait(false);
        }
    }
}
