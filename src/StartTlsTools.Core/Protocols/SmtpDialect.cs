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
    public sealed class SmtpDialect : IStartTlsDialect
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

        public StartTlsProtocol Protocol { get; }
        /// <summary>EHLO, or LHLO for LMTP.</summary>
        public string HelloVerb { get; }

        public int? DefaultPort(bool implicitTls) => implicitTls ? _implicitPort : _plainPort;

        public async Task<PlainPhaseOutcome> NegotiateStartTlsAsync(ProtocolSession session, DialectContext context)
        {
            var outcome = new PlainPhaseOutcome();
            SmtpReply greeting = await SmtpReply.ReadAsync(session, "the greeting").ConfigureAwait(false);
            outcome.Banner = string.Join(" ", greeting.Lines);
            if (greeting.Code != 220)
                return PlainPhaseOutcome.Stop(outcome, StartTlsStatus.Refused, $"The server greeted with {greeting.Code} instead of 220: {SmtpReply.Shorten(greeting.ToString())}");

            SmtpReply hello = await SayHelloAsync(session, context).ConfigureAwait(false);
            if (!hello.IsPositiveCompletion)
                return PlainPhaseOutcome.Stop(outcome, StartTlsStatus.NotOffered, $"The server rejected {HelloVerb}, so it cannot offer STARTTLS: {SmtpReply.Shorten(hello.ToString())}");
            outcome.Capabilities = Keywords(hello);
            outcome.StartTlsOffered = outcome.Capabilities.Any(IsStartTlsKeyword);
            if (!outcome.StartTlsOffered)
                return PlainPhaseOutcome.Stop(outcome, StartTlsStatus.NotOffered, $"The server did not advertise STARTTLS in its {HelloVerb} reply.");

            await session.WriteStartTlsCommandAsync("STARTTLS", "STARTTLS").ConfigureAwait(false);
            SmtpReply answer = await SmtpReply.ReadAsync(session, "the reply to STARTTLS").ConfigureAwait(false);
            outcome.StartTlsReply = answer.ToString();
            if (answer.Code == 220) return outcome;
            if (answer.Code >= 400)
                return PlainPhaseOutcome.Stop(outcome, StartTlsStatus.Refused, $"The server refused STARTTLS with {answer.Code}: {SmtpReply.Shorten(answer.ToString())}");
            return PlainPhaseOutcome.Stop(outcome, StartTlsStatus.ProtocolError, $"The server answered STARTTLS with {answer.Code} instead of 220.");
        }

        public async Task<TlsPhaseOutcome> ReadCapabilitiesOverTlsAsync(ProtocolSession session, DialectContext context, bool implicitTls)
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
            else outcome.Problem = $"The server rejected {HelloVerb} over TLS: {SmtpReply.Shorten(hello.ToString())}";
            return outcome;
        }

        public string? InjectionCommand(DialectContext context) => HelloVerb + " " + context.HelloName;

        public async Task CloseAsync(ProtocolSession session, DialectContext context)
        {
            await session.WriteLineAsync("QUIT", "QUIT").ConfigureAwait(false);
            await SmtpReply.ReadAsync(session, "the reply to QUIT").ConfigureAwait(false);
        }

        private async Task<SmtpReply> SayHelloAsync(ProtocolSession session, DialectContext context)
        {
            await session.WriteLineAsync(HelloVerb + " " + context.HelloName, HelloVerb).ConfigureAwait(false);
            return await SmtpReply.ReadAsync(session, "the reply to " + HelloVerb).ConfigureAwait(false);
        }

        /// <summary>EHLO keywords: every line but the first, which is the server's greeting (RFC 1869).</summary>
        public static string[] Keywords(SmtpReply hello) =>
            hello.Lines.Skip(1).Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();

        public static bool IsStartTlsKeyword(string keywordLine) =>
            string.Equals(keywordLine.Split(' ')[0], "STARTTLS", StringComparison.OrdinalIgnoreCase);
    }
}
