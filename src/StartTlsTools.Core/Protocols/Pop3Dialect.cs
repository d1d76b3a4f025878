using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using StartTlsTools.Transport;

namespace StartTlsTools.Protocols
{
    /// <summary>POP3 (RFC 1939, RFC 2449 CAPA, RFC 2595 STLS): CAPA, STLS, CAPA again, QUIT.</summary>
    public sealed class Pop3Dialect : StartTlsDialect
    {
        /// <summary>CAPA lists longer than this are hostile.</summary>
        public const int MaxCapaLines = 1000;
        /// <summary>The user name the enforcement probe offers; no account of that name is expected, and PASS never follows.</summary>
        public const string ProbeUser = "starttls-probe";

        public override StartTlsProtocol Protocol => StartTlsProtocol.Pop3;

        public override int? DefaultPort(bool implicitTls) => implicitTls ? 995 : 110;

        public override string StartTlsKeyword => "STLS";
        public override string StartTlsReference => "RFC 2595 section 4; RFC 8314 section 3";
        public override string AuthReference => "RFC 5034 section 4; RFC 4616 section 6";
        public override string StartTlsAfterTlsReference => "RFC 3207 section 4.2; RFC 2595 section 4";
        public override string StartTlsOptionalReference => "RFC 8314 section 3.1; RFC 2595 section 4";

        public override string? PlaintextLoginBeforeTls(IReadOnlyList<string> before) =>
            before.Any(c => Capability.Keyword(c) == "USER")
                ? "The server advertises USER before STLS, so USER/PASS with a plaintext password is allowed."
                : null;

        public override async Task<PlainPhaseOutcome> NegotiateStartTlsAsync(ProtocolSession session, DialectContext context)
        {
            var outcome = new PlainPhaseOutcome();
            string greeting = await ReadStatusLineAsync(session, "the greeting").ConfigureAwait(false);
            outcome.Banner = greeting;
            if (!IsOk(greeting))
                return ServerRefusal.Stop(outcome, ServerRefusal.Classify(greeting, UnavailableKind.Closing), "in its greeting (-ERR)", greeting);

            outcome.Capabilities = await RequestCapabilitiesAsync(session).ConfigureAwait(false);
            outcome.StartTlsOffered = outcome.Capabilities.Any(IsStartTlsCapability);
            // A login offered before TLS is the answer already; otherwise only asking (USER) tells.
            if (PlaintextLoginBeforeTls(outcome.Capabilities) != null)
                outcome.Enforcement = EnforcementVerdict.Opportunistic("Before STLS the server advertises USER: USER/PASS works in plaintext.");
            else if (Capability.SaslMechanisms(outcome.Capabilities) is var mechanisms && mechanisms.Count > 0)
                outcome.Enforcement = EnforcementVerdict.Opportunistic($"Before STLS the server offers SASL {string.Join(" ", mechanisms)}: a login is possible in plaintext.");
            if (!outcome.StartTlsOffered)
                return PlainPhaseOutcome.Stop(outcome, StartTlsStatus.NotOffered, "The server did not advertise STLS in its CAPA reply.");

            await session.WriteStartTlsCommandAsync("STLS", "STLS").ConfigureAwait(false);
            string answer = await ReadStatusLineAsync(session, "the reply to STLS").ConfigureAwait(false);
            outcome.StartTlsReply = answer;
            if (IsOk(answer)) return outcome;
            return PlainPhaseOutcome.Stop(outcome, StartTlsStatus.Refused, "The server refused STLS: " + ServerText.Shorten(answer));
        }

        public override string EnforcementProbe => $"USER {ProbeUser} before STLS (never PASS), then QUIT";

        /// <summary>RFC 2595 section 4: a server that requires TLS answers USER with -ERR before STLS. PASS is never sent.</summary>
        public override async Task<EnforcementVerdict> ProbeEnforcementAsync(ProtocolSession session, DialectContext context)
        {
            string greeting = await ReadStatusLineAsync(session, "the greeting").ConfigureAwait(false);
            if (!IsOk(greeting))
                return EnforcementVerdict.Unknown($"The server greeted the probe connection with '{ServerText.Shorten(greeting)}'.");
            await session.WriteLineAsync("USER " + ProbeUser, "USER").ConfigureAwait(false);
            string answer = await ReadStatusLineAsync(session, "the reply to USER").ConfigureAwait(false);
            string said = ServerText.Shorten(answer, 160);
            if (IsOk(answer))
                return EnforcementVerdict.Opportunistic($"USER before STLS was answered '{said}': the password would be asked for in plaintext (PASS was not sent).");
            string lower = answer.ToLowerInvariant();
            if (SmtpDialect.NamesTls(answer) || lower.Contains("plaintext") || lower.Contains("secure") || lower.Contains("[auth]"))
                return EnforcementVerdict.Enforced($"USER before STLS was answered '{said}': no login is possible in plaintext.");
            return EnforcementVerdict.Unknown($"USER before STLS was answered '{said}', which does not say whether TLS is the reason.");
        }

        public override async Task<TlsPhaseOutcome> ReadCapabilitiesOverTlsAsync(ProtocolSession session, DialectContext context, bool implicitTls)
        {
            var outcome = new TlsPhaseOutcome();
            if (implicitTls)
            {
                string greeting = await ReadStatusLineAsync(session, "the greeting").ConfigureAwait(false);
                outcome.Banner = greeting;
                if (!IsOk(greeting))
                {
                    outcome.Problem = "The server refused the session in its greeting over TLS: " + ServerText.Shorten(greeting);
                    return outcome;
                }
            }
            outcome.Capabilities = await RequestCapabilitiesAsync(session).ConfigureAwait(false);
            return outcome;
        }

        public override string? InjectionCommand(DialectContext context) => "CAPA";

        public override async Task CloseAsync(ProtocolSession session, DialectContext context)
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
                throw new StartTlsProtocolException($"The server sent a line that is not a POP3 status during {step}: '{ServerText.Shorten(line)}'.");
            return line;
        }

        public static bool IsOk(string line) => line.StartsWith("+OK", StringComparison.OrdinalIgnoreCase);
    }
}
