using System.Collections.Generic;
using StartTlsTools.Transport;

namespace StartTlsTools.Probing
{
    /// <summary>An SSL 2.0 SERVER-HELLO: the server lists every cipher kit it shares with the client.</summary>
    public sealed class Ssl2ServerHello
    {
        public int Version { get; private set; }
        public IReadOnlyList<int> CipherKits { get; private set; } = new int[0];
        public byte[]? CertificateDer { get; private set; }

        /// <summary>Parses the message body (after the two- or three-byte SSLv2 record header).</summary>
        public static Ssl2ServerHello Parse(byte[] message)
        {
            var r = new TlsWireReader(message, "SSLv2 SERVER-HELLO");
            if (r.U8() != 4) throw new StartTlsProtocolException("The server's SSLv2 answer is not a SERVER-HELLO.");
            r.U8(); // session id hit
            r.U8(); // certificate type
            var hello = new Ssl2ServerHello { Version = r.U16() };
            int certLength = r.U16();
            int specsLength = r.U16();
            r.U16(); // connection id length
            if (specsLength % 3 != 0) throw new StartTlsProtocolException("The server's SSLv2 cipher list is not a multiple of 3 bytes.");
            if (certLength > 0) hello.CertificateDer = r.Bytes(certLength);
            var kits = new List<int>();
            for (int i = 0; i < specsLength / 3; i++) kits.Add(r.U24());
            hello.CipherKits = kits;
            return hello;
        }
    }
}
