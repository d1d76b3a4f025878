using System;
using System.IO;
using System.Threading.Tasks;
using StartTlsTools.Transport;

namespace StartTlsTools.Probing
{
    /// <summary>
    /// Reads the server's first flight as TLS records (or one SSLv2 record), reassembling handshake messages
    /// across records. Every length is bounded: a record by <see cref="TlsConstants.MaxRecordLength"/>, a handshake
    /// message by <see cref="TlsConstants.MaxHandshakeMessageLength"/>, the whole flight by <see cref="TlsConstants.MaxHandshakeBytes"/>.
    /// </summary>
    public sealed class ServerFlightReader
    {
        private readonly Func<int, string, Task<byte[]>> _read;
        private readonly MemoryStream _handshake = new MemoryStream();
        private int _handshakeTotal;

        /// <param name="readExactly">Reads exactly n bytes or throws (ProtocolSession.ReadRawBytesAsync in production).</param>
        public ServerFlightReader(Func<int, string, Task<byte[]>> readExactly)
        {
            _read = readExactly;
        }

        /// <summary>
        /// Reads until the ServerHello (TLS 1.3, HelloRetryRequest, or <paramref name="untilServerHelloDone"/> false),
        /// until ServerHelloDone otherwise, or until an alert or an SSLv2 SERVER-HELLO.
        /// </summary>
        public async Task<ServerFlight> ReadAsync(bool untilServerHelloDone)
        {
            var flight = new ServerFlight();
            while (true)
            {
                byte[] header = await _read(5, "the server's TLS record header").ConfigureAwait(false);
                if ((header[0] & 0x80) != 0)
                {
                    flight.Ssl2ServerHello = await ReadSsl2Async(header).ConfigureAwait(false);
                    return flight;
                }
                int type = header[0];
                int length = (header[3] << 8) | header[4];
                if (header[1] != 3 || type < TlsConstants.ContentChangeCipherSpec || type > TlsConstants.ContentApplicationData)
                    throw new StartTlsProtocolException($"The server answered the ClientHello with bytes that are not TLS (0x{header[0]:X2}{header[1]:X2}{header[2]:X2}).");
                if (length == 0 || length > TlsConstants.MaxRecordLength)
                    throw new StartTlsProtocolException($"The server sent a TLS record of {length} bytes (allowed: 1 to {TlsConstants.MaxRecordLength}).");
                byte[] body = await _read(length, "a TLS record").ConfigureAwait(false);

                switch (type)
                {
                    case TlsConstants.ContentAlert:
                        flight.Alert = TlsAlert.Parse(body);
                        return flight;
                    case TlsConstants.ContentHandshake:
                        if (AddHandshakeBytes(body, flight, untilServerHelloDone)) return flight;
                        break;
                    case TlsConstants.ContentChangeCipherSpec:
                        break; // TLS 1.3 compatibility mode; nothing to learn
                    default:
                        if (flight.ServerHello != null) return flight; // encrypted from here on
                        throw new StartTlsProtocolException("The server sent application data before its ServerHello.");
                }
            }
        }

        /// <summary>Adds one record's handshake bytes; true when the flight is complete enough to stop.</summary>
        private bool AddHandshakeBytes(byte[] body, ServerFlight flight, bool untilServerHelloDone)
        {
            _handshakeTotal += body.Length;
            if (_handshakeTotal > TlsConstants.MaxHandshakeBytes)
                throw new StartTlsProtocolException($"The server's handshake messages exceed {TlsConstants.MaxHandshakeBytes} bytes.");
            _handshake.Position = _handshake.Length;
            _handshake.Write(body, 0, body.Length);

            byte[] buffer = _handshake.ToArray();
            int offset = 0;
            bool done = false;
            while (!done && buffer.Length - offset >= 4)
            {
                int msgType = buffer[offset];
                int msgLength = (buffer[offset + 1] << 16) | (buffer[offset + 2] << 8) | buffer[offset + 3];
                if (msgLength > TlsConstants.MaxHandshakeMessageLength)
                    throw new StartTlsProtocolException($"The server announced a handshake message of {msgLength} bytes (limit {TlsConstants.MaxHandshakeMessageLength}).");
                if (buffer.Length - offset - 4 < msgLength) break; // continues in the next record
                var message = new byte[msgLength];
                Buffer.BlockCopy(buffer, offset + 4, message, 0, msgLength);
                offset += 4 + msgLength;
                done = Handle(msgType, message, flight, untilServerHelloDone);
            }
            _handshake.SetLength(0);
            _handshake.Write(buffer, offset, buffer.Length - offset);
            return done;
        }

        private static bool Handle(int msgType, byte[] message, ServerFlight flight, bool untilServerHelloDone)
        {
            if (flight.ServerHello == null)
            {
                if (msgType != TlsConstants.HandshakeServerHello)
                    throw new StartTlsProtocolException($"The server's first handshake message is type {msgType}, not ServerHello.");
                flight.ServerHello = ServerHelloMessage.Parse(message);
                var hello = flight.ServerHello;
                return !untilServerHelloDone || hello.IsHelloRetryRequest || hello.Version == TlsProtocolVersion.Tls13;
            }
            switch (msgType)
            {
                case TlsConstants.HandshakeCertificate:
                    flight.CertificateChainDer = ServerCertificateMessage.ParseChain(message);
                    return false;
                case TlsConstants.HandshakeServerKeyExchange:
                    flight.KeyExchange = ServerKeyExchangeInfo.Parse(message, CipherSuiteRegistry.Get(flight.ServerHello.CipherSuite));
                    return false;
                case TlsConstants.HandshakeServerHelloDone:
                    flight.ServerHelloDone = true;
                    return true;
                default:
                    return false; // CertificateStatus, CertificateRequest: not needed
            }
        }

        private async Task<Ssl2ServerHello> ReadSsl2Async(byte[] header)
        {
            // Two-byte header: high bit set, 15-bit length. The remaining three bytes already read belong to the body.
            int length = ((header[0] & 0x7F) << 8) | header[1];
            if (length < 3 || length > TlsConstants.MaxRecordLength)
                throw new StartTlsProtocolException($"The server sent an SSLv2 record of {length} bytes.");
            byte[] rest = await _read(length - 3, "an SSLv2 record").ConfigureAwait(false);
            var body = new byte[length];
            Buffer.BlockCopy(header, 2, body, 0, 3);
            Buffer.BlockCopy(rest, 0, body, 3, rest.Length);
            return Ssl2ServerHello.Parse(body);
        }
    }
}
