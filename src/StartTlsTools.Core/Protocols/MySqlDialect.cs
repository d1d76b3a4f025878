using System;
using System.Collections.Generic;
using System.Text;
using System.Threading.Tasks;
using StartTlsTools.Transport;

namespace StartTlsTools.Protocols
{
    /// <summary>
    /// MySQL and MariaDB (client/server protocol: Initial Handshake, Protocol::SSLRequest): read the server's
    /// greeting, and when it has CLIENT_SSL send the SSL request packet and switch to TLS. After TLS the server
    /// waits for a login, so there is nothing more to read.
    /// </summary>
    public sealed class MySqlDialect : StartTlsDialect
    {
        public const uint ClientProtocol41 = 0x200;
        public const uint ClientSsl = 0x800;
        public const uint ClientSecureConnection = 0x8000;
        /// <summary>A greeting is about a hundred bytes; a packet much longer is hostile.</summary>
        public const int MaxPacketBytes = 16 * 1024;
        private const int MaxClientPacket = 16 * 1024 * 1024;
        private const byte Utf8Mb4GeneralCi = 45;

        /// <summary>Capability flags by bit, as the protocol documentation names them.</summary>
        private static readonly string[] FlagNames =
        {
            "CLIENT_LONG_PASSWORD", "CLIENT_FOUND_ROWS", "CLIENT_LONG_FLAG", "CLIENT_CONNECT_WITH_DB", "CLIENT_NO_SCHEMA",
            "CLIENT_COMPRESS", "CLIENT_ODBC", "CLIENT_LOCAL_FILES", "CLIENT_IGNORE_SPACE", "CLIENT_PROTOCOL_41",
            "CLIENT_INTERACTIVE", "CLIENT_SSL", "CLIENT_IGNORE_SIGPIPE", "CLIENT_TRANSACTIONS", "CLIENT_RESERVED",
            "CLIENT_SECURE_CONNECTION", "CLIENT_MULTI_STATEMENTS", "CLIENT_MULTI_RESULTS", "CLIENT_PS_MULTI_RESULTS",
            "CLIENT_PLUGIN_AUTH", "CLIENT_CONNECT_ATTRS", "CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA",
            "CLIENT_CAN_HANDLE_EXPIRED_PASSWORDS", "CLIENT_SESSION_TRACK", "CLIENT_DEPRECATE_EOF",
            "CLIENT_OPTIONAL_RESULTSET_METADATA", "CLIENT_ZSTD_COMPRESSION_ALGORITHM", "CLIENT_QUERY_ATTRIBUTES",
            "CLIENT_MULTI_FACTOR_AUTHENTICATION", "CLIENT_CAPABILITY_EXTENSION", "CLIENT_SSL_VERIFY_SERVER_CERT",
            "CLIENT_REMEMBER_OPTIONS",
        };

        public override StartTlsProtocol Protocol => StartTlsProtocol.MySql;

        public override int? DefaultPort(bool implicitTls) => implicitTls ? (int?)null : 3306;

        public override string? StartTlsKeyword => null;
        public override string StartTlsReference => "MySQL client/server protocol, Protocol::SSLRequest";
        public override string EnforcementUnknowable =>
            "MySQL and MariaDB decide whether TLS is required (REQUIRE SSL on the account, require_secure_transport) only after the login packet: it cannot be learned without credentials.";

        public override async Task<PlainPhaseOutcome> NegotiateStartTlsAsync(ProtocolSession session, DialectContext context)
        {
            var outcome = new PlainPhaseOutcome();
            var (sequence, payload) = await ReadPacketAsync(session, "the greeting").ConfigureAwait(false);
            Greeting greeting = Greeting.Parse(payload);
            session.Transcript.Add(TranscriptDirection.Server, session.Phase, greeting.Summary());
            if (greeting.ErrorMessage != null)
            {
                outcome.Banner = greeting.ErrorMessage;
                return ServerRefusal.Stop(outcome, ServerRefusal.Classify(greeting.ErrorMessage, RefusalKind(greeting.ErrorCode)), "in its greeting (an ERR packet)", greeting.ErrorMessage);
            }
            outcome.Banner = greeting.ServerVersion;
            outcome.Capabilities = FlagsSet(greeting.Capabilities);
            outcome.StartTlsOffered = (greeting.Capabilities & ClientSsl) != 0;
            if (!outcome.StartTlsOffered)
                return PlainPhaseOutcome.Stop(outcome, StartTlsStatus.NotOffered, "The server's greeting does not set CLIENT_SSL: it does not accept TLS.");

            await session.WriteAsync(SslRequest(greeting.CharacterSet, (byte)(sequence + 1)), "the SSL request",
                "SSL request packet (CLIENT_SSL, CLIENT_PROTOCOL_41, CLIENT_SECURE_CONNECTION)").ConfigureAwait(false);
            // The protocol has no answer to the SSL request: the server starts the TLS handshake.
            outcome.StartTlsReply = "(none: the server expects the TLS handshake)";
            return outcome;
        }

        /// <summary>1040 too many connections, 1203 too many for the user: limits; 1129 host blocked, 1130 host not allowed: refusals.</summary>
        private static UnavailableKind RefusalKind(int code) =>
            code == 1040 || code == 1203 ? UnavailableKind.RateLimited : UnavailableKind.Rejected;

        /// <summary>After TLS the server waits for the login (HandshakeResponse41): nothing to read without credentials.</summary>
        public override Task<TlsPhaseOutcome> ReadCapabilitiesOverTlsAsync(ProtocolSession session, DialectContext context, bool implicitTls) =>
            Task.FromResult(new TlsPhaseOutcome());

        public override string? InjectionCommand(DialectContext context) => null;

        /// <summary>
        /// COM_QUIT is only defined after login; sent in its place it would be a malformed login. Closing is the
        /// politest goodbye before authentication.
        /// </summary>
        public override Task CloseAsync(ProtocolSession session, DialectContext context) => Task.CompletedTask;

        /// <summary>Reads one packet: 3-byte little-endian length and sequence id, checked before the payload is read.</summary>
        public static async Task<(byte Sequence, byte[] Payload)> ReadPacketAsync(ProtocolSession session, string step)
        {
            byte[] header = await session.ReadBytesAsync(4, step).ConfigureAwait(false);
            int length = header[0] | header[1] << 8 | header[2] << 16;
            int limit = Math.Min(MaxPacketBytes, session.MaxLineLength);
            if (length > limit)
                throw new StartTlsProtocolException($"The server announced a packet of {length} bytes during {step}, over the {limit}-byte packet limit.");
            if (length == 0) throw new StartTlsProtocolException($"The server sent an empty packet during {step}.");
            return (header[3], await session.ReadBytesAsync(length, step).ConfigureAwait(false));
        }

        /// <summary>Protocol::SSLRequest: capabilities, max packet size, character set, 23 zero bytes.</summary>
        private static byte[] SslRequest(byte characterSet, byte sequence)
        {
            const int payload = 32;
            var packet = new byte[4 + payload];
            packet[0] = payload;
            packet[3] = sequence;
            WriteUInt32(packet, 4, ClientSsl | ClientProtocol41 | ClientSecureConnection);
            WriteUInt32(packet, 8, MaxClientPacket);
            packet[12] = characterSet == 0 ? Utf8Mb4GeneralCi : characterSet;
            return packet;
        }

        private static void WriteUInt32(byte[] buffer, int offset, uint value)
        {
            for (int i = 0; i < 4; i++) buffer[offset + i] = (byte)(value >> (8 * i));
        }

        public static IReadOnlyList<string> FlagsSet(uint flags)
        {
            var names = new List<string>();
            for (int bit = 0; bit < 32; bit++)
                if ((flags & (1u << bit)) != 0) names.Add(FlagNames[bit]);
            return names;
        }

        /// <summary>The server's first packet: Protocol::HandshakeV10, or an ERR packet when it will not talk to us.</summary>
        public sealed class Greeting
        {
            private static readonly Encoding Utf8 = new UTF8Encoding(false, false);

            public string ServerVersion { get; private set; } = "";
            public uint Capabilities { get; private set; }
            public byte CharacterSet { get; private set; }
            /// <summary>Set for an ERR packet: "error 1130: Host ... is not allowed to connect".</summary>
            public string? ErrorMessage { get; private set; }
            public int ErrorCode { get; private set; }

            public static Greeting Parse(byte[] payload)
            {
                if (payload.Length == 0) throw new StartTlsProtocolException("The server's greeting is empty.");
                if (payload[0] == 0xFF) return ParseError(payload);
                if (payload[0] != 10)
                    throw new StartTlsProtocolException($"The server's greeting is protocol version {payload[0]}; only version 10 (MySQL 3.21 and later) is understood.");

                int position = 1;
                int nul = Array.IndexOf(payload, (byte)0, position);
                if (nul < 0) throw new StartTlsProtocolException("The server version in the greeting is not NUL-terminated.");
                var greeting = new Greeting { ServerVersion = ServerText.Shorten(Utf8.GetString(payload, position, nul - position)) };
                position = nul + 1;
                // connection id (4), auth-plugin-data part 1 (8), filler (1), capability flags low (2)
                if (payload.Length - position < 15) throw new StartTlsProtocolException("The server's greeting is truncated before its capability flags.");
                position += 13;
                uint capabilities = (uint)(payload[position] | payload[position + 1] << 8);
                position += 2;
                // Pre-4.1 servers may stop here; newer ones go on with character set, status and the high flags.
                if (payload.Length - position >= 5)
                {
                    greeting.CharacterSet = payload[position];
                    capabilities |= (uint)(payload[position + 3] | payload[position + 4] << 8) << 16;
                }
                greeting.Capabilities = capabilities;
                return greeting;
            }

            private static Greeting ParseError(byte[] payload)
            {
                if (payload.Length < 3) throw new StartTlsProtocolException("The server's error packet is truncated before its error code.");
                int code = payload[1] | payload[2] << 8;
                int position = 3;
                // A '#' and a five-character SQL state come only after the handshake, but tolerate them here.
                if (payload.Length >= 9 && payload[3] == (byte)'#') position = 9;
                string message = Utf8.GetString(payload, position, payload.Length - position);
                return new Greeting { ErrorMessage = $"error {code}: {ServerText.Shorten(message)}", ErrorCode = code };
            }

            public string Summary() => ErrorMessage != null
                ? "ERR packet, " + ErrorMessage
                : $"Handshake v10, server {ServerVersion}, capabilities 0x{Capabilities:X8}";
        }
    }
}
