using System.Collections.Generic;
using StartTlsTools.Transport;

namespace StartTlsTools.Probing
{
    /// <summary>The Certificate message of TLS 1.2 and below (RFC 5246 7.4.2): the certificates as sent, leaf first.</summary>
    public static class ServerCertificateMessage
    {
        /// <summary>Every certificate's DER, leaf first; empty when the list is empty. Bounded by the message size.</summary>
        public static IReadOnlyList<byte[]> ParseChain(byte[] body)
        {
            var r = new TlsWireReader(body, "Certificate message");
            var list = r.Sub(r.U24(), "certificate list");
            if (r.Remaining != 0) throw new StartTlsProtocolException("The server's Certificate message has bytes after the certificate list.");
            var chain = new List<byte[]>();
            while (list.Remaining > 0)
            {
                int length = list.U24();
                if (length == 0) throw new StartTlsProtocolException("The server's Certificate message holds an empty certificate.");
                chain.Add(list.Bytes(length));
            }
            return chain;
        }

        /// <summary>The leaf certificate's DER, or null when the list is empty.</summary>
        public static byte[]? ParseLeaf(byte[] body)
        {
            var chain = ParseChain(body);
            return chain.Count == 0 ? null : chain[0];
        }
    }
}
