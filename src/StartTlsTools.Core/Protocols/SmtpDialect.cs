using System;
using System.Linq;
using System.Threading.Tasks;
using StartTlsTools.Transport;

namespace StartTlsTools.Protocols
{
    /// <summary>
    /// SMTP and Submission (RFC 5321, RFC 3207, RFC 6409): wait for the final greeting line, EHLO,
    /// STARTTLS, then EHLO again over TLS. Never pipelines: postscreen drops clients that talk early.
    /// </summary>
    public sealed class SmtpDialect : StartTlsDialect
    {
        private readonly int _plainPort;
        private readonly int? _implicitPort;

        public SmtpDialect(StartTlsProtocol protocol, int plainPort, int? implicitPort, string helloVerb = "EHLO")
        {
            Protocol = protocol;
            _plainPort = plainPort;
            _implicitPort = implicitPort;
            HelloVerb = helloVerb;
        }

        public override StartTlsProtocol Protocol { get; }
        /// <summary>EHLO, or LHLO for LMTP.</summary>
        public string HelloVerb { get; }

        public override int? DefaultPort(bool implicitTls) => implicitTls ? _implicitPort : _plainPort;

        public override string StartTlsReference => "RFC 3207; RFC 8314 section 3";
        public override string AuthReference => "RFC 4954 section 4; RFC 4616 section 6";
        /// <summary>Relay between servers: RFC 3207 section 4 says a publicly referenced server must not require TLS.</summary>
        public override bool OptionalTlsIsNormal => Protocol == StartTlsProtocol.Smtp;
        public override string StartTlsOptionalReference => Protocol == StartTlsProtocol.Smtp
            ? "RFC 3207 section 4 (a public MX must accept plaintext); RFC 8461 (MTA-STS); RFC 7672 (DANE)"
            : "RFC 8314 section 3.3; RFC 3207 section 4";

        public override async Task<PlainPhaseOutcome> NegotiateStartTlsAsync(ProtocolSession session, DialectContext context)
        {
            var outcome = new PlainPhaseOutcome();
            SmtpReply greeting = await SmtpReply.ReadAsync(session, "the greeting").ConfigureAwait(false);
            outcome.Banner = string.Join(" ", greeting.Lines);
            if (greeting.Code != 220)
                return ServerRefusal.Stop(outcome, ServerRefusal.ClassifySmtp(greeting), "in its greeting", greeting.ToString());

            SmtpReply hello = await SayHelloAsync(session, context).ConfigureAwait(false);
            if (hello.Code == 421)
                return ServerRefusal.Stop(outcome, ServerRefusal.ClassifySmtp(hello), $"in answer to {HelloVerb}", hello.ToString());
            if (!hello.IsPositiveCompletion)
                return PlainPhaseOutcome.Stop(outcome, StartTlsStatus.NotOffered, $"The server rejected {HelloVerb}, so it cannot offer STARTTLS: {ServerText.Shorten(hello.ToString())}");
            outcome.Capabilities = Keywords(hello);
            outcome.StartTlsOffered = outcome.Capabilities.Any(IsStartTlsCapability);
            if (!outcome.StartTlsOffered)
                return PlainPhaseOutcome.Stop(outcome, StartTlsStatus.NotOffered, $"The server did not advertise STARTTLS in its {HelloVerb} reply.");

            await session.WriteStartTlsCommandAsync("STARTTLS", "STARTTLS").ConfigureAwait(false);
            SmtpReply answer = await SmtpReply.ReadAsync(session, "the reply to STARTTLS").ConfigureAwait(false);
            outcome.StartTlsReply = answer.ToString();
            if (answer.Code == 220) return outcome;
            if (answer.Code == 421)
                return ServerRefusal.Stop(outcome, ServerRefusal.ClassifySmtp(answer), "in answer to STARTTLS", answer.ToString());
            // 500/502: "command unrecognized / not implemented" for a command the server itself just advertised.
            if (answer.Code == 500 || answer.Code == 502)
                return PlainPhaseOutcome.Unrecognized(outcome, answer.ToString(),
                    $"The server advertised STARTTLS but answered it with {answer.Code} (command unrecognized): {ServerText.Shorten(answer.ToString())}. Something on the path may have answered instead of the server.");
            if (answer.Code >= 400)
                return PlainPhaseOutcome.Stop(outcome, StartTlsStatus.Refused, $"The server refused STARTTLS with {answer.Code}: {ServerText.Shorten(answer.ToString())}");
            return PlainPhaseOutcome.Stop(outcome, StartTlsStatus.ProtocolError, $"The server answered STARTTLS with {answer.Code} instead of 220.");
        }

        public override async Task<TlsPhaseOutcome> ReadCapabilitiesOverTlsAsync(ProtocolSession session, DialectContext context, bool implicitTls)
        {
            var outcome = new TlsPhaseOutcome();
            if (implicitTls)
            {
                SmtpReply greeting = await SmtpReply.ReadAsync(session, "the greeting").ConfigureAwait(false);
                outcome.Banner = string.Join(" ", greeting.Lines);
                if (greeting.Code != 220)
                {
                    outcome.Problem = $"The server greeted with {greeting.Code} instead of 220 over TLS.";
                    return outcome;
                }
            }
            SmtpReply hello = await SayHelloAsync(session, context).ConfigureAwait(false);
            if (hello.IsPositiveCompletion) outcome.Capabilities = Keywords(hello);
            else outcome.Problem = $"The server rejected {HelloVerb} over TLS: {ServerText.Shorten(hello.ToString())}";
            return outcome;
        }

        public override string? InjectionCommand(DialectContext context) => HelloVerb + " " + context.HelloName;

        public override async Task CloseAsync(ProtocolSession session, DialectContext context)
        {
            await session.WriteLineAsync("QUIT", "QUIT").ConfigureAwait(false);
            await SmtpReply.ReadAsync(session, "the reply to QUIT").ConfigureAwait(false);
        }

        public override string EnforcementProbe => $"{HelloVerb}, MAIL FROM:<> before STARTTLS, then RSET and QUIT (never RCPT or DATA)";

        /// <summary>
        /// The null sender opens a mail transaction and nothing else: 530 ("must issue a STARTTLS command first",
        /// RFC 3207 section 4) means TLS is required; 250 means mail would be accepted in plaintext. RSET ends the
        /// transaction at once; no recipient or message is ever sent.
        /// </summary>
        public override async Task<EnforcementVerdict> ProbeEnforcementAsync(ProtocolSession session, DialectContext context)
        {
            SmtpReply greeting = await SmtpReply.ReadAsync(session, "the greeting").ConfigureAwait(false);
            if (greeting.Code != 220)
                return EnforcementVerdict.Unknown($"The server greeted the probe connection with '{ServerText.Shorten(greeting.ToString())}'.");
            SmtpReply hello = await SayHelloAsync(session, context).ConfigureAwait(false);
            if (!hello.IsPositiveCompletion)
                return EnforcementVerdict.Unknown($"The server answered {HelloVerb} on the probe connection with '{ServerText.Shorten(hello.ToString())}'.");

            await session.WriteLineAsync("MAIL FROM:<>", "MAIL FROM").ConfigureAwait(false);
            SmtpReply mail = await SmtpReply.ReadAsync(session, "the reply to MAIL FROM").ConfigureAwait(false);
            await session.WriteLineAsync("RSET", "RSET").ConfigureAwait(false);
            await SmtpReply.ReadAsync(session, "the reply to RSET").ConfigureAwait(false);

            string said = ServerText.Shorten(mail.ToString(), 160);
            if (mail.Code == 530 || (mail.Code >= 500 && NamesTls(string.Join(" ", mail.Lines))))
                return EnforcementVerdict.Enforced($"MAIL FROM:<> before STARTTLS was answered '{said}': the server requires TLS before a mail transaction.");
            if (mail.IsPositiveCompletion)
                return EnforcementVerdict.Opportunistic($"MAIL FROM:<> before STARTTLS was answered '{said}': mail is accepted in plaintext.");
            return EnforcementVerdict.Unknown($"MAIL FROM:<> before STARTTLS was answered '{said}', which neither accepts mail nor asks for TLS.");
        }

        private async Task<SmtpReply> SayHelloAsync(ProtocolSession session, DialectContext context)
        {
            await session.WriteLineAsync(HelloVerb + " " + context.HelloName, HelloVerb).ConfigureAwait(false);
            return await SmtpReply.ReadAsync(session, "the reply to " + HelloVerb).ConfigureAwait(false);
        }

        /// <summary>Whether a refusal gives TLS as its reason ("Must issue a STARTTLS command first", "encryption required").</summary>
        internal static bool NamesTls(string text)
        {
            string lower = text.ToLowerInvariant();
            return lower.Contains("starttls") || lower.Contains("tls") || lower.Contains("ssl") || lower.Contains("encrypt");
        }

        /// <summary>EHLO keywords: every line but the first, which is the server's greeting (RFC 1869).</summary>
        public static string[] Keywords(SmtpReply hello) =>
            hello.Lines.Skip(1).Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();
    }
}
