using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using StartTlsTools.Transport;

namespace StartTlsTools.Protocols
{
    /// <summary>IMAP (RFC 9051, RFC 3501 section 6.2.1): capabilities from the greeting or CAPABILITY, STARTTLS, CAPABILITY again, LOGOUT.</summary>
    public sealed class ImapDialect : IStartTlsDialect
    {
        public StartTlsProtocol Protocol => StartTlsProtocol.Imap;

        public int? DefaultPort(bool implicitTls) => implicitTls ? 993 : 143;

        public async Task<PlainPhaseOutcome> NegotiateStartTlsAsync(ProtocolSession session, DialectContext context)
        {
            var outcome = new PlainPhaseOutcome();
            var greeting = await ReadGreetingAsync(session).ConfigureAwait(false);
            outcome.Banner = greeting.Line;
            if (greeting.Status == "BYE")
                return PlainPhaseOutcome.Stop(outcome, StartTlsStatus.Refused, "The server closed the session in its greeting: " + SmtpReply.Shorten(greeting.Line));

            outcome.Capabilities = greeting.CapabilityResponseCode() ?? await RequestCapabilitiesAsync(session, "a1").ConfigureAwait(false);
            outcome.StartTlsOffered = outcome.Capabilities.Any(c => string.Equals(c, "STARTTLS", StringComparison.OrdinalIgnoreCase));
            if (greeting.Status == "PREAUTH")
                return PlainPhaseOutcome.Stop(outcome, StartTlsStatus.NotOffered, "The server pre-authenticated the session (PREAUTH); STARTTLS is only valid before authentication.");
            if (!outcome.StartTlsOffered)
                return PlainPhaseOutcome.Stop(outcome, StartTlsStatus.NotOffered, "The server did not advertise STARTTLS in its capabilities.");

            await session.WriteStartTlsCommandAsync("a2 STARTTLS", "STARTTLS").ConfigureAwait(false);
            var (answer, _) = await ImapResponse.ReadCompletionAsync(session, "a2", "the reply to STARTTLS").ConfigureAwait(false);
            outcome.StartTlsReply = answer.Line;
            if (answer.Tag == "a2" && answer.Status == "OK") return outcome;
            return PlainPhaseOutcome.Stop(outcome, StartTlsStatus.Refused, "The server refused STARTTLS: " + SmtpReply.Shorten(answer.Line));
        }

        public async Task<TlsPhaseOutcome> ReadCapabilitiesOverTlsAsync(ProtocolSession session, DialectContext context, bool implicitTls)
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

        public string? InjectionCommand(DialectContext context) => "a3 NOOP";

        public async Task CloseAsync(ProtocolSession session, DialectContext context)
        {
            await session.WriteLineAsync("z1 LOGOUT", "LOGOUT").ConfigureAwait(false);
            await ImapResponse.ReadCompletionAsync(session, "z1", "the reply to LOGOUT").ConfigureAwait(false);
        }

        private static async Task<ImapResponse> ReadGreetingAsync(ProtocolSession session)
        {
            var greeting = ImapResponse.Parse(await session.ReadLineAsync("the greeting").ConfigureAwait(false), "the greeting");
            if (!greeting.IsUntagged || (greeting.Status != "OK" && greeting.Status != "PREAUTH" && greeting.Status != "BYE"))
                throw new StartTlsProtocolException("The server's greeting is not an IMAP greeting: " + SmtpReply.Shorten(greeting.Line));
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
