using StartTlsTools.Transport;

namespace StartTlsTools.Probing
{
    /// <summary>The Certificate message of TLS 1.2 and below (RFC 5246 7.4.2): only the leaf is kept.</summary>
    public static class ServerCertificateMessage
    {
        /// <summary>The leaf certificate's DER, or null when the list is empty.</summary>
        public static byte[]? ParseLeaf(byte[] body)
        {
            var r = new TlsWireReader(body, "Certificate message");
            var list = r.Sub(r.U24(), "certificate list");
            if (r.Remaining != 0) throw new StartTlsProtocolException("The server's Certificate message has bytes after the certificate list.");
            if (list.Remaining == 0) return null;
            int length = list.U24();
            if (length == 0) throw new StartTlsProtocolException("The server's Certificate message holds an empty certificate.");
            return list.Bytes(length);
        }
    }
}
