using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using StartTlsTools.Transport;

namespace StartTlsTools.Protocols
{
    /// <summary>IMAP (RFC 9051, RFC 3501 section 6.2.1): capabilities from the greeting or CAPABILITY, STARTTLS, CAPABILITY again, LOGOUT.</summary>
    public sealed class ImapDialect : StartTlsDialect
    {
        public override StartTlsProtocol Protocol => StartTlsProtocol.Imap;

        public override int? DefaultPort(bool implicitTls) => implicitTls ? 993 : 143;

        public override string StartTlsReference => "RFC 9051 section 6.2.1; RFC 8314 section 3";
        public override string AuthReference => "RFC 9051 section 6.2.2; RFC 4616 section 6";
        public override string PlaintextLoginReference => "RFC 2595 section 3.2; RFC 9051 section 6.2.3";
        public override string StartTlsAfterTlsReference => "RFC 3207 section 4.2; RFC 9051 section 6.2.1";
        public override string StartTlsOptionalReference => "RFC 8314 section 3.2; RFC 9051 section 6.2.3";

        /// <summary>LOGINDISABLED says "no LOGIN yet": it rightly goes away with TLS.</summary>
        public override bool ExpectedToDisappearAfterTls(string capability) =>
            base.ExpectedToDisappearAfterTls(capability) || Capability.Keyword(capability) == "LOGINDISABLED";

        public override string? PlaintextLoginBeforeTls(IReadOnlyList<string> before) =>
            before.Count > 0 && !before.Any(c => Capability.Keyword(c) == "LOGINDISABLED")
                ? "The server does not advertise LOGINDISABLED before TLS, so the IMAP LOGIN command with a plaintext password is allowed."
                : null;

        public override async Task<PlainPhaseOutcome> NegotiateStartTlsAsync(ProtocolSession session, DialectContext context)
        {
            var outcome = new PlainPhaseOutcome();
            var greeting = await ReadGreetingAsync(session).ConfigureAwait(false);
            outcome.Banner = greeting.Line;
            if (greeting.Status == "BYE")
                return ServerRefusal.Stop(outcome, ServerRefusal.Classify(greeting.Text, UnavailableKind.Closing), "in its greeting (BYE)", greeting.Line);

            outcome.Capabilities = greeting.CapabilityResponseCode() ?? await RequestCapabilitiesAsync(session, "a1").ConfigureAwait(false);
            outcome.StartTlsOffered = outcome.Capabilities.Any(IsStartTlsCapability);
            if (greeting.Status == "PREAUTH")
                return PlainPhaseOutcome.Stop(outcome, StartTlsStatus.NotOffered, "The server pre-authenticated the session (PREAUTH); STARTTLS is only valid before authentication.");
            outcome.Enforcement = EnforcementFrom(outcome.Capabilities);
            if (!outcome.StartTlsOffered)
                return PlainPhaseOutcome.Stop(outcome, StartTlsStatus.NotOffered, "The server did not advertise STARTTLS in its capabilities.");

            await session.WriteStartTlsCommandAsync("a2 STARTTLS", "STARTTLS").ConfigureAwait(false);
            var (answer, _) = await ImapResponse.ReadCompletionAsync(session, "a2", "the reply to STARTTLS").ConfigureAwait(false);
            outcome.StartTlsReply = answer.Line;
            if (answer.Tag == "a2" && answer.Status == "OK") return outcome;
            if (answer.IsUntagged && answer.Status == "BYE")
                return ServerRefusal.Stop(outcome, ServerRefusal.Classify(answer.Text, UnavailableKind.Closing), "in answer to STARTTLS (BYE)", answer.Line);
            // BAD: "unknown command", for a capability the server itself just listed.
            if (answer.Status == "BAD")
                return PlainPhaseOutcome.Unrecognized(outcome, answer.Line,
                    $"The server advertised STARTTLS but answered it BAD (command unknown): {ServerText.Shorten(answer.Line)}. Something on the path may have answered instead of the server.");
            return PlainPhaseOutcome.Stop(outcome, StartTlsStatus.Refused, "The server refused STARTTLS: " + ServerText.Shorten(answer.Line));
        }

        /// <summary>
        /// RFC 9051 section 6.2.3 / RFC 2595 section 3.2: LOGINDISABLED and no AUTH= before TLS leave no way to log in
        /// in plaintext. No LOGIN or AUTHENTICATE is ever sent to find out: a failed login can get the tester banned.
        /// </summary>
        private static EnforcementVerdict? EnforcementFrom(IReadOnlyList<string> capabilities)
        {
            if (capabilities.Count == 0) return null;
            bool loginDisabled = capabilities.Any(c => Capability.Keyword(c) == "LOGINDISABLED");
            var mechanisms = Capability.SaslMechanisms(capabilities);
            if (loginDisabled && mechanisms.Count == 0)
                return EnforcementVerdict.Enforced("Before TLS the server lists LOGINDISABLED and no AUTH= mechanism: no login is possible in plaintext.");
            if (!loginDisabled)
                return EnforcementVerdict.Opportunistic("Before TLS the server does not list LOGINDISABLED: LOGIN with a password works in plaintext.");
            return EnforcementVerdict.Opportunistic($"Before TLS the server offers AUTHENTICATE with {string.Join(" ", mechanisms)}: a login is possible in plaintext.");
        }

        public override async Task<TlsPhaseOutcome> ReadCapabilitiesOverTlsAsync(ProtocolSession session, DialectContext context, bool implicitTls)
        {
            var outcome = new TlsPhaseOutcome();
            if (implicitTls)
            {
                var greeting = await ReadGreetingAsync(session).ConfigureAwait(false);
                outcome.Banner = greeting.Line;
                if (greeting.Status == "BYE")
                {
                    outcome.Problem = "The server closed the session in its greeting over TLS.";
                    return outcome;
                }
            }
            // Always ask again: capabilities seen before TLS must not be trusted after it (RFC 3501 6.2.1).
            outcome.Capabilities = await RequestCapabilitiesAsync(session, "b1").ConfigureAwait(false);
            return outcome;
        }

        public override string? InjectionCommand(DialectContext context) => "a3 NOOP";

        public override async Task CloseAsync(ProtocolSession session, DialectContext context)
        {
            await session.WriteLineAsync("z1 LOGOUT", "LOGOUT").ConfigureAwait(false);
            var (completion, _) = await ImapResponse.ReadCompletionAsync(session, "z1", "the reply to LOGOUT").ConfigureAwait(false);
            // LOGOUT is answered with an untagged BYE and then the tagged OK (RFC 9051 section 6.1.3): read both.
            if (completion.IsUntagged) await ImapResponse.ReadCompletionAsync(session, "z1", "the reply to LOGOUT").ConfigureAwait(false);
        }

        private static async Task<ImapResponse> ReadGreetingAsync(ProtocolSession session)
        {
            var greeting = ImapResponse.Parse(await session.ReadLineAsync("the greeting").ConfigureAwait(false), "the greeting");
            if (!greeting.IsUntagged || (greeting.Status != "OK" && greeting.Status != "PREAUTH" && greeting.Status != "BYE"))
                throw new StartTlsProtocolException("The server's greeting is not an IMAP greeting: " + ServerText.Shorten(greeting.Line));
            return greeting;
        }

        private static async Task<IReadOnlyList<string>> RequestCapabilitiesAsync(ProtocolSession session, string tag)
        {
            await session.WriteLineAsync(tag + " CAPABILITY", "CAPABILITY").ConfigureAwait(false);
            var (completion, untagged) = await ImapResponse.ReadCompletionAsync(session, tag, "the reply to CAPABILITY").ConfigureAwait(false);
            var capabilities = untagged.Where(r => r.Status == "CAPABILITY").SelectMany(r => ImapResponse.Atoms(r.Text)).ToList();
            if (capabilities.Count == 0 && completion.CapabilityResponseCode() is IReadOnlyList<string> fromCode) capabilities.AddRange(fromCode);
            return capabilities;
        }
    }
}
