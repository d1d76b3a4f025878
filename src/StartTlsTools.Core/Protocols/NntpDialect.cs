using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using StartTlsTools.Transport;

namespace StartTlsTools.Protocols
{
    /// <summary>NNTP (RFC 3977, RFC 4642 STARTTLS): greeting, CAPABILITIES, STARTTLS (382), CAPABILITIES again, QUIT.</summary>
    public sealed class NntpDialect : StartTlsDialect
    {
        public override StartTlsProtocol Protocol => StartTlsProtocol.Nntp;

        public override int? DefaultPort(bool implicitTls) => implicitTls ? 563 : 119;

        public override string StartTlsReference => "RFC 4642; RFC 8143";
        public override string AuthReference => "RFC 4643 section 2.2; RFC 4616 section 6";
        public override string PlaintextLoginReference => "RFC 4643 section 2.3; RFC 8143 section 3";
        public override string StartTlsAfterTlsReference => "RFC 4642 section 2.2.2";
        public override string StartTlsOptionalReference => "RFC 8143 section 3; RFC 4642 section 2.2.2";

        /// <summary>"AUTHINFO USER" (RFC 4643) is a plaintext password.</summary>
        public override string? PlaintextLoginBeforeTls(IReadOnlyList<string> before) =>
            before.Any(IsAuthInfoUser)
                ? "The server advertises AUTHINFO USER before STARTTLS, so a plaintext password is allowed."
                : null;

        public override async Task<PlainPhaseOutcome> NegotiateStartTlsAsync(ProtocolSession session, DialectContext context)
        {
            var outcome = new PlainPhaseOutcome();
            var (code, greeting) = await ReadStatusAsync(session, "the greeting").ConfigureAwait(false);
            outcome.Banner = greeting;
            // 400: service temporarily unavailable; 502: permanently unavailable (RFC 3977 section 5.1.1).
            if (code != 200 && code != 201)
                return ServerRefusal.Stop(outcome, ServerRefusal.Classify(greeting, code == 502 ? UnavailableKind.Rejected : UnavailableKind.Closing),
                    "in its greeting", greeting);

            outcome.Capabilities = await RequestCapabilitiesAsync(session).ConfigureAwait(false);
            outcome.StartTlsOffered = outcome.Capabilities.Any(IsStartTlsCapability);
            if (outcome.Capabilities.Any(IsAuthInfoUser))
                outcome.Enforcement = EnforcementVerdict.Opportunistic("Before STARTTLS the server advertises AUTHINFO USER: a password login works in plaintext.");
            if (!outcome.StartTlsOffered)
                return PlainPhaseOutcome.Stop(outcome, StartTlsStatus.NotOffered, "The server did not advertise STARTTLS in its CAPABILITIES list.");

            await session.WriteStartTlsCommandAsync("STARTTLS", "STARTTLS").ConfigureAwait(false);
            var (answerCode, answer) = await ReadStatusAsync(session, "the reply to STARTTLS").ConfigureAwait(false);
            outcome.StartTlsReply = answer;
            if (answerCode == 382) return outcome;
            if (answerCode == 400)
                return ServerRefusal.Stop(outcome, ServerRefusal.Classify(answer, UnavailableKind.Closing), "in answer to STARTTLS", answer);
            if (answerCode == 500)
                return PlainPhaseOutcome.Unrecognized(outcome, answer,
                    $"The server advertised STARTTLS but answered it with 500 (unknown command): {ServerText.Shorten(answer)}. Something on the path may have answered instead of the server.");
            // 580: TLS cannot be initiated now; 502: not permitted (e.g. after authentication); 483 and the rest likewise refuse.
            if (answerCode >= 400)
                return PlainPhaseOutcome.Stop(outcome, StartTlsStatus.Refused, $"The server refused STARTTLS with {answerCode}: {ServerText.Shorten(answer)}");
            return PlainPhaseOutcome.Stop(outcome, StartTlsStatus.ProtocolError, $"The server answered STARTTLS with {answerCode} instead of 382.");
        }

        public override string EnforcementProbe => "AUTHINFO USER with a made-up name before STARTTLS (never AUTHINFO PASS), then QUIT";

        /// <summary>RFC 4643 section 2.2: 483 means "encryption required" for AUTHINFO; 381 asks for the password, which is never sent.</summary>
        public override async Task<EnforcementVerdict> ProbeEnforcementAsync(ProtocolSession session, DialectContext context)
        {
            var (code, greeting) = await ReadStatusAsync(session, "the greeting").ConfigureAwait(false);
            if (code != 200 && code != 201)
                return EnforcementVerdict.Unknown($"The server greeted the probe connection with '{ServerText.Shorten(greeting)}'.");
            await session.WriteLineAsync("AUTHINFO USER " + Pop3Dialect.ProbeUser, "AUTHINFO USER").ConfigureAwait(false);
            var (answerCode, answer) = await ReadStatusAsync(session, "the reply to AUTHINFO USER").ConfigureAwait(false);
            string said = ServerText.Shorten(answer, 160);
            if (answerCode == 483)
                return EnforcementVerdict.Enforced($"AUTHINFO USER before STARTTLS was answered '{said}': no password login is possible in plaintext.");
            if (answerCode == 381 || answerCode == 281)
                return EnforcementVerdict.Opportunistic($"AUTHINFO USER before STARTTLS was answered '{said}': a password login works in plaintext (AUTHINFO PASS was not sent).");
            return EnforcementVerdict.Unknown($"AUTHINFO USER before STARTTLS was answered '{said}', which does not say whether TLS is required.");
        }

        private static bool IsAuthInfoUser(string capability) =>
            Capability.Keyword(capability) == "AUTHINFO" && Capability.Tokens(capability).Skip(1).Any(t => string.Equals(t, "USER", StringComparison.OrdinalIgnoreCase));

        public override async Task<TlsPhaseOutcome> ReadCapabilitiesOverTlsAsync(ProtocolSession session, DialectContext context, bool implicitTls)
        {
            var outcome = new TlsPhaseOutcome();
            if (implicitTls)
            {
                var (code, greeting) = await ReadStatusAsync(session, "the greeting").ConfigureAwait(false);
                outcome.Banner = greeting;
                if (code != 200 && code != 201)
                {
                    outcome.Problem = "The server refused the session in its greeting over TLS: " + ServerText.Shorten(greeting);
                    return outcome;
                }
            }
            // Capabilities seen before TLS must not be trusted after it (RFC 4642 2.2.2).
            outcome.Capabilities = await RequestCapabilitiesAsync(session).ConfigureAwait(false);
            return outcome;
        }

        public override string? InjectionCommand(DialectContext context) => "CAPABILITIES";

        public override async Task CloseAsync(ProtocolSession session, DialectContext context)
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
                throw new StartTlsProtocolException($"The server sent a line that is not an NNTP status during {step}: '{ServerText.Shorten(line)}'.");
            return ((line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0'), line);
        }
    }
}
