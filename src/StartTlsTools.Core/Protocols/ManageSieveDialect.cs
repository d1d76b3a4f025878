using System;
using System.Linq;
using System.Threading.Tasks;
using StartTlsTools.Transport;

namespace StartTlsTools.Protocols
{
    /// <summary>
    /// ManageSieve (RFC 5804): the greeting is the capability list; STARTTLS, then the server sends its
    /// capabilities again on its own (section 2.2), LOGOUT. No implicit-TLS port exists.
    /// </summary>
    public sealed class ManageSieveDialect : IStartTlsDialect
    {
        public StartTlsProtocol Protocol => StartTlsProtocol.ManageSieve;

        public int? DefaultPort(bool implicitTls) => implicitTls ? (int?)null : 4190;

        public async Task<PlainPhaseOutcome> NegotiateStartTlsAsync(ProtocolSession session, DialectContext context)
        {
            var outcome = new PlainPhaseOutcome();
            var greeting = await ManageSieveResponse.ReadAsync(session, "the greeting").ConfigureAwait(false);
            outcome.Banner = greeting.Line;
            outcome.Capabilities = greeting.Capabilities;
            if (!greeting.IsOk)
                return PlainPhaseOutcome.Stop(outcome, StartTlsStatus.Refused, "The server refused the session in its greeting: " + SmtpReply.Shorten(greeting.Line));
            outcome.StartTlsOffered = greeting.Capabilities.Any(c => string.Equals(c.Split(' ')[0], "STARTTLS", StringComparison.OrdinalIgnoreCase));
            if (!outcome.StartTlsOffered)
                return PlainPhaseOutcome.Stop(outcome, StartTlsStatus.NotOffered, "The server did not list STARTTLS in its capabilities.");

            await session.WriteStartTlsCommandAsync("STARTTLS", "STARTTLS").ConfigureAwait(false);
            var answer = await ManageSieveResponse.ReadAsync(session, "the reply to STARTTLS").ConfigureAwait(false);
            outcome.StartTlsReply = answer.Line;
            if (answer.Capabilities.Count > 0)
                return PlainPhaseOutcome.Stop(outcome, StartTlsStatus.ProtocolError, "The server sent capability lines in answer to STARTTLS.");
            if (answer.IsOk) return outcome;
            return PlainPhaseOutcome.Stop(outcome, StartTlsStatus.Refused, "The server refused STARTTLS: " + SmtpReply.Shorten(answer.Line));
        }

        public async Task<TlsPhaseOutcome> ReadCapabilitiesOverTlsAsync(ProtocolSession session, DialectContext context, bool implicitTls)
        {
            var outcome = new TlsPhaseOutcome();
            // Both after STARTTLS and on an implicit-TLS port the server speaks first with its capabilities.
            var capabilities = await ManageSieveResponse.ReadAsync(session, "the capabilities over TLS").ConfigureAwait(false);
            if (implicitTls) outcome.Banner = capabilities.Line;
            outcome.Capabilities = capabilities.Capabilities;
            if (!capabilities.IsOk) outcome.Problem = "The server ended its capabilities over TLS with: " + SmtpReply.Shorten(capabilities.Line);
            return outcome;
        }

        public string? InjectionCommand(DialectContext context) => "NOOP";

        public async Task CloseAsync(ProtocolSession session, DialectContext context)
        {
            await session.WriteLineAsync("LOGOUT", "LOGOUT").ConfigureAwait(false);
            await ManageSieveResponse.ReadAsync(session, "the reply to LOGOUT").ConfigureAwait(false);
        }
    }
}
