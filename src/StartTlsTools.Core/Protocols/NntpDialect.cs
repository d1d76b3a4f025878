using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using StartTlsTools.Transport;

namespace StartTlsTools.Protocols
{
    /// <summary>NNTP (RFC 3977, RFC 4642 STARTTLS): greeting, CAPABILITIES, STARTTLS (382), CAPABILITIES again, QUIT.</summary>
    public sealed class NntpDialect : IStartTlsDialect
    {
        public StartTlsProtocol Protocol => StartTlsProtocol.Nntp;

        public int? DefaultPort(bool implicitTls) => implicitTls ? 563 : 119;

        public async Task<PlainPhaseOutcome> NegotiateStartTlsAsync(ProtocolSession session, DialectContext context)
        {
            var outcome = new PlainPhaseOutcome();
            var (code, greeting) = await ReadStatusAsync(session, "the greeting").ConfigureAwait(false);
            outcome.Banner = greeting;
            if (code != 200 && code != 201)
                return PlainPhaseOutcome.Stop(outcome, StartTlsStatus.Refused, "The server refused the session in its greeting: " + SmtpReply.Shorten(greeting));

            outcome.Capabilities = await RequestCapabilitiesAsync(session).ConfigureAwait(false);
            outcome.StartTlsOffered = outcome.Capabilities.Any(c => string.Equals(c.Split(' ')[0], "STARTTLS", StringComparison.OrdinalIgnoreCase));
            if (!outcome.StartTlsOffered)
                return PlainPhaseOutcome.Stop(outcome, StartTlsStatus.NotOffered, "The server did not advertise STARTTLS in its CAPABILITIES list.");

            await session.WriteStartTlsCommandAsync("STARTTLS", "STARTTLS").ConfigureAwait(false);
            var (answerCode, answer) = await ReadStatusAsync(session, "the reply to STARTTLS").ConfigureAwait(false);
            outcome.StartTlsReply = answer;
            if (answerCode == 382) return outcome;
            // 580: TLS cannot be initiated now; 502: not permitted (e.g. after authentication); 483 and the rest likewise refuse.
            if (answerCode >= 400)
                return PlainPhaseOutcome.Stop(outcome, StartTlsStatus.Refused, $"The server refused STARTTLS with {answerCode}: {SmtpReply.Shorten(answer)}");
            return PlainPhaseOutcome.Stop(outcome, StartTlsStatus.ProtocolError, $"The server answered STARTTLS with {answerCode} instead of 382.");
        }

        public async Task<TlsPhaseOutcome> ReadCapabilitiesOverTlsAsync(ProtocolSession session, DialectContext context, bool implicitTls)
        {
            var outcome = new TlsPhaseOutcome();
            if (implicitTls)
            {
                var (code, greeting) = await ReadStatusAsync(session, "the greeting").ConfigureAwait(false);
                outcome.Banner = greeting;
                if (code != 200 && code != 201)
                {
                    outcome.Problem = "The server refused the session in its greeting over TLS: " + SmtpReply.Shorten(greeting);
                    return outcome;
                }
            }
            // Capabilities seen before TLS must not be trusted after it (RFC 4642 2.2.2).
            outcome.Capabilities = await RequestCapabilitiesAsync(session).ConfigureAwait(false);
            return outcome;
        }

        public string? InjectionCommand(DialectContext context) => "CAPABILITIES";

        public async Task CloseAsync(ProtocolSession session, DialectContext context)
        {
            await session.WriteLineAsync("QUIT", "QUIT").ConfigureAwait(false);
            await ReadStatusAsync(session, "the reply to QUIT").ConfigureAwait(false);
        }

        /// <summary>CAPABILITIES' list (101, dot-terminated); empty when the server does not know the command.</summary>
        private static async Task<IReadOnlyList<string>> RequestCapabilitiesAsync(ProtocolSession session)
        {
            await session.WriteLineAsync("CAPABILITIES", "CAPABILITIES").ConfigureAwait(false);
            var (code, _) = await ReadStatusAsync(session, "the reply to CAPABILITIES").ConfigureAwait(false);
            if (code != 101) return new string[0];
            var lines = await Pop3Dialect.ReadMultiLineAsync(session, "the CAPABILITIES list").ConfigureAwait(false);
            return lines.Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();
        }

        /// <summary>Reads one "NNN text" status line (RFC 3977 3.2). Throws StartTlsProtocolException otherwise.</summary>
        public static async Task<(int Code, string Line)> ReadStatusAsync(ProtocolSession session, string step)
        {
            string line = await session.ReadLineAsync(step).ConfigureAwait(false);
            if (line.Length < 3 || line[0] < '1' || line[0] > '5' || line[1] < '0' || line[1] > '9' ||
                line[2] < '0' || line[2] > '9' || (line.Length > 3 && line[3] != ' '))
                throw new StartTlsProtocolException($"The server sent a line that is not an NNTP status during {step}: '{SmtpReply.Shorten(line)}'.");
            return ((line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0'), line);
        }
    }
}
