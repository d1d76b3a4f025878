using System.Linq;
using StartTlsTools.Transport;

namespace StartTlsTools.Probing
{
    /// <summary>A parsed ServerHello or HelloRetryRequest (RFC 5246 7.4.1.3, RFC 8446 4.1.3).</summary>
    public sealed class ServerHelloMessage
    {
        public int LegacyVersion { get; private set; }
        public int CipherSuite { get; private set; }
        public int Compression { get; private set; }
        /// <summary>From supported_versions, or null when the server did not send it (TLS 1.2 and below).</summary>
        public int? SelectedVersion { get; private set; }
        /// <summary>ServerHello: the group of the server's key share. HelloRetryRequest: the group the server asks for.</summary>
        public int? KeyShareGroup { get; private set; }
        public bool IsHelloRetryRequest { get; private set; }
        public bool SecureRenegotiation { get; private set; }

        /// <summary>The version actually negotiated: supported_versions wins over the legacy field.</summary>
        public TlsProtocolVersion Version => TlsConstants.FromWire(SelectedVersion ?? LegacyVersion);

        public static ServerHelloMessage Parse(byte[] body)
        {
            var r = new TlsWireReader(body, "ServerHello");
            var hello = new ServerHelloMessage { LegacyVersion = r.U16() };
            byte[] random = r.Bytes(32);
            hello.IsHelloRetryRequest = random.SequenceEqual(TlsConstants.HelloRetryRequestRandom);
            int sessionIdLength = r.U8();
            if (sessionIdLength > 32) throw new StartTlsProtocolException("The server's ServerHello has a session id longer than 32 bytes.");
            r.Bytes(sessionIdLength);
            hello.CipherSuite = r.U16();
            hello.Compression = r.U8();
            if (r.Remaining == 0) return hello; // extensions are optional before TLS 1.3
            var extensions = r.Sub(r.U16(), "ServerHello extensions");
            while (extensions.Remaining > 0)
            {
                int type = extensions.U16();
                var data = extensions.Sub(extensions.U16(), "ServerHello extension");
                switch (type)
                {
                    case TlsConstants.ExtSupportedVersions:
                        hello.SelectedVersion = data.U16();
                        break;
                    case TlsConstants.ExtKeyShare:
                        // HRR carries only the selected group; a ServerHello carries a KeyShareEntry.
                        hello.KeyShareGroup = data.U16();
                        break;
                    case TlsConstants.ExtRenegotiationInfo:
                        hello.SecureRenegotiation = true;
                        break;
                }
            }
            return hello;
        }
    }
}
