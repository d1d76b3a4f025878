using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using StartTlsTools.Transport;

namespace StartTlsTools.Protocols
{
    /// <summary>
    /// FTP (RFC 959, RFC 2389 FEAT, RFC 4217 AUTH TLS): greeting, FEAT, AUTH TLS, then FEAT, PBSZ 0 and PROT P
    /// over TLS, QUIT. AUTH TLS is sent even when FEAT does not list it: vsftpd 3.0.3 omits "AUTH TLS" from FEAT
    /// unless ssl_tlsv1=YES yet accepts the command, and old servers have no FEAT at all. The server's answer
    /// decides; FEAT only tells NotOffered (not listed, command unknown) from Refused (listed, then declined).
    /// </summary>
    public sealed class FtpDialect : StartTlsDialect
    {
        public override StartTlsProtocol Protocol => StartTlsProtocol.Ftp;

        public override int? DefaultPort(bool implicitTls) => implicitTls ? 990 : 21;

        /// <summary>FEAT keeps listing "AUTH TLS" over TLS (RFC 4217): there is no keyword that must disappear.</summary>
        public override string? StartTlsKeyword => null;
        public override string StartTlsReference => "RFC 4217 section 4";
        public override string StartTlsOptionalReference => "RFC 4217 section 4.2; RFC 8314 section 3";

        public override async Task<PlainPhaseOutcome> NegotiateStartTlsAsync(ProtocolSession session, DialectContext context)
        {
            var outcome = new PlainPhaseOutcome();
            FtpReply greeting = await ReadGreetingAsync(session).ConfigureAwait(false);
            outcome.Banner = string.Join(" ", greeting.Lines).Trim();
            // 421: service not available (RFC 959 section 4.2); a 5xx greeting turns the client away for good.
            if (greeting.Code != 220)
                return ServerRefusal.Stop(outcome, ServerRefusal.Classify(greeting.ToString(), greeting.Code >= 500 ? UnavailableKind.Rejected : UnavailableKind.Closing),
                    "in its greeting", greeting.ToString());

            outcome.Capabilities = await RequestFeaturesAsync(session).ConfigureAwait(false);
            bool listed = outcome.Capabilities.Any(IsAuthTlsFeature);

            await session.WriteStartTlsCommandAsync("AUTH TLS", "AUTH TLS").ConfigureAwait(false);
            FtpReply answer = await FtpReply.ReadAsync(session, "the reply to AUTH TLS").ConfigureAwait(false);
            outcome.StartTlsReply = answer.ToString();
            outcome.StartTlsOffered = listed || answer.Code == 234;
            if (answer.Code == 234) return outcome;
            string said = ServerText.Shorten(answer.ToString());
            if (answer.Code == 421)
                return ServerRefusal.Stop(outcome, ServerRefusal.Classify(answer.ToString(), UnavailableKind.Closing), "in answer to AUTH TLS", answer.ToString());
            // 500/502: command unknown or not implemented; 504: not implemented for the TLS mechanism.
            if (!listed && (answer.Code == 500 || answer.Code == 502 || answer.Code == 504))
                return PlainPhaseOutcome.Stop(outcome, StartTlsStatus.NotOffered, $"The server does not support AUTH TLS (not in FEAT, answered {answer.Code}): {said}");
            if (listed && (answer.Code == 500 || answer.Code == 502))
                return PlainPhaseOutcome.Unrecognized(outcome, answer.ToString(),
                    $"The server lists AUTH TLS in FEAT but answered it with {answer.Code} (command unknown): {said}. Something on the path may have answered instead of the server.");
            // 431 (resource unavailable), 534 (policy) and the rest: the server knows TLS but declines now.
            if (answer.Code >= 400)
                return PlainPhaseOutcome.Stop(outcome, StartTlsStatus.Refused, $"The server refused AUTH TLS with {answer.Code}: {said}");
            return PlainPhaseOutcome.Stop(outcome, StartTlsStatus.ProtocolError, $"The server answered AUTH TLS with {answer.Code} instead of 234.");
        }

        public override string EnforcementProbe => $"USER anonymous (and, if that says nothing about TLS, USER {Pop3Dialect.ProbeUser}) before AUTH TLS, never PASS, then QUIT";

        /// <summary>
        /// RFC 4217 section 4.2: a server that wants TLS first answers USER with 530 or 534, saying why. 331 asks for the
        /// password, which is never sent. Anonymous first: many servers refuse it for reasons of their own, so a made-up
        /// ordinary name follows when the first answer does not mention TLS.
        /// </summary>
        public override async Task<EnforcementVerdict> ProbeEnforcementAsync(ProtocolSession session, DialectContext context)
        {
            FtpReply greeting = await ReadGreetingAsync(session).ConfigureAwait(false);
            if (greeting.Code != 220)
                return EnforcementVerdict.Unknown($"The server greeted the probe connection with '{ServerText.Shorten(greeting.ToString())}'.");
            var answers = new List<string>();
            foreach (string user in new[] { "anonymous", Pop3Dialect.ProbeUser })
            {
                await session.WriteLineAsync("USER " + user, "USER").ConfigureAwait(false);
                FtpReply reply = await FtpReply.ReadAsync(session, "the reply to USER").ConfigureAwait(false);
                string said = ServerText.Shorten(reply.ToString(), 160);
                answers.Add($"USER {user}: '{said}'");
                if ((reply.Code == 530 || reply.Code == 534 || reply.Code == 550) && (reply.Code == 534 || SmtpDialect.NamesTls(reply.ToString())))
                    return EnforcementVerdict.Enforced($"USER {user} before AUTH TLS was answered '{said}': the server requires TLS before a login.");
                if (reply.Code == 331 || reply.Code == 332 || reply.Code == 230)
                    return EnforcementVerdict.Opportunistic($"USER {user} before AUTH TLS was answered '{said}': a login works in plaintext (PASS was not sent).");
            }
            return EnforcementVerdict.Unknown($"Neither answer names TLS: {string.Join("; ", answers)}.");
        }

        public override async Task<TlsPhaseOutcome> ReadCapabilitiesOverTlsAsync(ProtocolSession session, DialectContext context, bool implicitTls)
        {
            var outcome = new TlsPhaseOutcome();
            if (implicitTls)
            {
                FtpReply greeting = await ReadGreetingAsync(session).ConfigureAwait(false);
                outcome.Banner = string.Join(" ", greeting.Lines).Trim();
                if (greeting.Code != 220)
                {
                    outcome.Problem = $"The server greeted with {greeting.Code} instead of 220 over TLS.";
                    return outcome;
                }
            }
            var capabilities = new List<string>(await RequestFeaturesAsync(session).ConfigureAwait(false));
            // The result is flat: the data-channel protection answers go in as two extra items,
            // "PBSZ 0: 200" and "PROT P: 200", so that users see whether private data connections would work.
            capabilities.Add("PBSZ 0: " + await CommandCodeAsync(session, "PBSZ 0").ConfigureAwait(false));
            capabilities.Add("PROT P: " + await CommandCodeAsync(session, "PROT P").ConfigureAwait(false));
            outcome.Capabilities = capabilities;
            return outcome;
        }

        public override string? InjectionCommand(DialectContext context) => "FEAT";

        public override async Task CloseAsync(ProtocolSession session, DialectContext context)
        {
            await session.WriteLineAsync("QUIT", "QUIT").ConfigureAwait(false);
            await FtpReply.ReadAsync(session, "the reply to QUIT").ConfigureAwait(false);
        }

        /// <summary>"AUTH TLS", "AUTH SSL TLS", "AUTH TLS;TLS-C;SSL": the AUTH feature naming TLS among its mechanisms.</summary>
        public static bool IsAuthTlsFeature(string feature)
        {
            string[] words = feature.Split(new[] { ' ', ';', ',' }, StringSplitOptions.RemoveEmptyEntries);
            return words.Length > 1 && string.Equals(words[0], "AUTH", StringComparison.OrdinalIgnoreCase) &&
                   words.Skip(1).Any(w => string.Equals(w, "TLS", StringComparison.OrdinalIgnoreCase));
        }

        /// <summary>A 120 ("ready in n minutes") comes before the real greeting (RFC 959 5.4); one is enough.</summary>
        private static async Task<FtpReply> ReadGreetingAsync(ProtocolSession session)
        {
            FtpReply greeting = await FtpReply.ReadAsync(session, "the greeting").ConfigureAwait(false);
            if (greeting.Code == 120) greeting = await FtpReply.ReadAsync(session, "the greeting after 120").ConfigureAwait(false);
            return greeting;
        }

        /// <summary>FEAT's features (211), trimmed; empty when the server has no FEAT (500, 502) or refuses it.</summary>
        private static async Task<IReadOnlyList<string>> RequestFeaturesAsync(ProtocolSession session)
        {
            await session.WriteLineAsync("FEAT", "FEAT").ConfigureAwait(false);
            FtpReply features = await FtpReply.ReadAsync(session, "the reply to FEAT").ConfigureAwait(false);
            if (features.Code != 211) return new string[0];
            return features.InnerLines.Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();
        }

        private static async Task<int> CommandCodeAsync(ProtocolSession session, string command)
        {
            await session.WriteLineAsync(command, command).ConfigureAwait(false);
            return (await FtpReply.ReadAsync(session, "the reply to " + command).ConfigureAwait(false)).Code;
        }
    }
}
