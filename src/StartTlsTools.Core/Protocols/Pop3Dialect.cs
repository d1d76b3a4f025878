using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using StartTlsTools.Transport;

namespace StartTlsTools.Protocols
{
    /// <summary>POP3 (RFC 1939, RFC 2449 CAPA, RFC 2595 STLS): CAPA, STLS, CAPA again, QUIT.</summary>
    public sealed class Pop3Dialect : IStartTlsDialect
    {
        /// <summary>CAPA lists longer than this are hostile.</summary>
        public const int MaxCapaLines = 1000;

        public StartTlsProtocol Protocol => StartTlsProtocol.Pop3;

        public int? DefaultPort(bool implicitTls) => implicitTls ? 995 : 110;

        public async Task<PlainPhaseOutcome> NegotiateStartTlsAsync(ProtocolSession session, DialectContext context)
        {
            var outcome = new PlainPhaseOutcome();
            string greeting = await ReadStatusLineAsync(session, "the greeting").ConfigureAwait(false);
            outcome.Banner = greeting;
            if (!IsOk(greeting))
                return PlainPhaseOutcome.Stop(outcome, StartTlsStatus.Refused, "The server refused the session in its greeting: " + SmtpReply.Shorten(greeting));

            outcome.Capabilities = await RequestCapabilitiesAsync(session).ConfigureAwait(false);
            outcome.StartTlsOffered = outcome.Capabilities.Any(c => string.Equals(c.Split(' ')[0], "STLS", StringComparison.OrdinalIgnoreCase));
            if (!outcome.StartTlsOffered)
                return PlainPhaseOutcome.Stop(outcome, StartTlsStatus.NotOffered, "The server did not advertise STLS in its CAPA reply.");

            await session.WriteStartTlsCommandAsync("STLS", "STLS").ConfigureAwait(false);
            string answer = await ReadStatusLineAsync(session, "the reply to STLS").ConfigureAwait(false);
            outcome.StartTlsReply = answer;
            if (IsOk(answer)) return outcome;
            return PlainPhaseOutcome.Stop(outcome, StartTlsStatus.Refused, "The server refused STLS: " + SmtpReply.Shorten(answer));
        }

        public async Task<TlsPhaseOutcome> ReadCapabilitiesOverTlsAsync(ProtocolSession session, DialectContext context, bool implicitTls)
        {
            var outcome = new TlsPhaseOutcome();
            if (implicitTls)
            {
                string greeting = await ReadStatusLineAsync(session, "the greeting").ConfigureAwait(false);
                outcome.Banner = greeting;
                if (!IsOk(greeting))
                {
                    outcome.Problem = "The server refused the session in its greeting over TLS: " + SmtpReply.Shorten(greeting);
                    return outcome;
                }
            }
            outcome.Capabilities = await RequestCapabilitiesAsync(session).ConfigureAwait(false);
            return outcome;
        }

        public string? InjectionCommand(DialectContext context) => "CAPA";

        public async Task CloseAsync(ProtocolSession session, DialectContext context)
        {
            await session.WriteLineAsync("QUIT", "QUIT").ConfigureAwait(false);
            await ReadStatusLineAsync(session, "the reply to QUIT").ConfigureAwait(false);
        }

        /// <summary>CAPA's list, or empty when the server does not know CAPA (-ERR).</summary>
        private static async Task<IReadOnlyList<string>> RequestCapabilitiesAsync(ProtocolSession session)
        {
            await session.WriteLineAsync("CAPA", "CAPA").ConfigureAwait(false);
            string status = await ReadStatusLineAsync(session, "the reply to CAPA").ConfigureAwait(false);
            if (!IsOk(status)) return new string[0];
            return await ReadMultiLineAsync(session, "the CAPA list").ConfigureAwait(false);
        }

        /// <summary>Reads a dot-terminated list, undoing dot-stuffing.</summary>
        public static async Task<List<string>> ReadMultiLineAsync(ProtocolSession session, string step)
        {
            var lines = new List<string>();
            while (true)
            {
                string line = await session.ReadLineAsync(step).ConfigureAwait(false);
                if (line == ".") return lines;
                lines.Add(line.StartsWith("..", StringComparison.Ordinal) ? line.Substring(1) : line);
                if (lines.Count > MaxCapaLines)
                    throw new StartTlsProtocolException($"The server sent more than {MaxCapaLines} lines during {step}.");
            }
        }

        /// <summary>Reads a "+OK ..." or "-ERR ..." line; anything else breaks the protocol.</summary>
        public static async Task<string> ReadStatusLineAsync(ProtocolSession session, string step)
        {
            string line = await session.ReadLineAsync(step).ConfigureAwait(false);
            if (!IsOk(line) && !line.StartsWith("-ERR", StringComparison.OrdinalIgnoreCase))
                throw new StartTlsProtocolException($"The server sent a line that is not a POP3 status during {step}: '{SmtpReply.Shorten(line)}'.");
            return line;
        }

        public static bool IsOk(string line) => line.StartsWith("+OK", StringComparison.OrdinalIgnoreCase);
    }
}
