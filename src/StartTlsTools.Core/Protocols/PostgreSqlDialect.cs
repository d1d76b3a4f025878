using System.Threading.Tasks;
using StartTlsTools.Transport;

namespace StartTlsTools.Protocols
{
    /// <summary>
    /// PostgreSQL (protocol 3.0, "SSL Session Encryption" in the frontend/backend protocol chapter): an
    /// SSLRequest, then one byte, 'S' or 'N'. Nothing about the server is visible before authentication, so
    /// there are no capabilities and no banner. PostgreSQL 17's direct TLS (sslnegotiation=direct) needs the
    /// "postgresql" ALPN, which netstandard2.0's SslStream cannot send, so there is no implicit-TLS port.
    /// </summary>
    public sealed class PostgreSqlDialect : StartTlsDialect
    {
        /// <summary>Int32 length 8, then the SSLRequest code 80877103 (1234 in the high 16 bits, 5679 in the low).</summary>
        private static readonly byte[] SslRequest = { 0x00, 0x00, 0x00, 0x08, 0x04, 0xD2, 0x16, 0x2F };

        public override StartTlsProtocol Protocol => StartTlsProtocol.PostgreSql;

        public override int? DefaultPort(bool implicitTls) => implicitTls ? (int?)null : 5432;

        public override string? StartTlsKeyword => null;
        public override string StartTlsReference => "PostgreSQL frontend/backend protocol, SSL Session Encryption";
        public override string EnforcementUnknowable =>
            "PostgreSQL decides whether TLS is required (hostssl lines in pg_hba.conf) only for a client that sends a user name in its startup message: it cannot be learned without credentials.";

        public override async Task<PlainPhaseOutcome> NegotiateStartTlsAsync(ProtocolSession session, DialectContext context)
        {
            var outcome = new PlainPhaseOutcome();
            await session.WriteAsync(SslRequest, "SSLRequest", "SSLRequest (80877103)").ConfigureAwait(false);
            byte answer = (await session.ReadBytesAsync(1, "the reply to SSLRequest").ConfigureAwait(false))[0];
            outcome.StartTlsReply = Describe(answer);
            session.Transcript.Add(TranscriptDirection.Server, session.Phase, outcome.StartTlsReply);
            switch (answer)
            {
                case (byte)'S':
                    // Bytes after 'S' and before the handshake would be plaintext posing as TLS data (CVE-2021-23214);
                    // the engine discards and counts them.
                    outcome.StartTlsOffered = true;
                    return outcome;
                case (byte)'N':
                    return PlainPhaseOutcome.Stop(outcome, StartTlsStatus.NotOffered, "The server answered 'N' to SSLRequest: it does not accept TLS on this port.");
                case (byte)'E':
                    // Only servers without SSL support answer with an error; its text is unauthenticated and not shown (CVE-2024-10977).
                    return PlainPhaseOutcome.Stop(outcome, StartTlsStatus.Refused, "The server answered SSLRequest with an ErrorResponse: it does not understand SSLRequest (a server built without SSL support).");
                default:
                    throw new StartTlsProtocolException($"The server answered SSLRequest with byte 0x{answer:X2}, not 'S' or 'N'.");
            }
        }

        /// <summary>After TLS the server waits for a StartupMessage (a user name and authentication): nothing to read.</summary>
        public override Task<TlsPhaseOutcome> ReadCapabilitiesOverTlsAsync(ProtocolSession session, DialectContext context, bool implicitTls) =>
            Task.FromResult(new TlsPhaseOutcome());

        public override string? InjectionCommand(DialectContext context) => null;

        /// <summary>
        /// Terminate is only defined after startup, and a StartupMessage would begin authentication: closing is the
        /// politest goodbye (the server logs an incomplete startup packet either way).
        /// </summary>
        public override Task CloseAsync(ProtocolSession session, DialectContext context) => Task.CompletedTask;

        private static string Describe(byte answer) =>
            answer >= 0x20 && answer < 0x7F ? $"'{(char)answer}'" : $"0x{answer:X2}";
    }
}
