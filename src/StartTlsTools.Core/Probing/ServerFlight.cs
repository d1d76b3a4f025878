namespace StartTlsTools.Probing
{
    /// <summary>What the server answered to one ClientHello, up to where the probe stops reading.</summary>
    public sealed class ServerFlight
    {
        public TlsAlert? Alert { get; set; }
        public ServerHelloMessage? ServerHello { get; set; }
        public Ssl2ServerHello? Ssl2ServerHello { get; set; }
        /// <summary>The leaf certificate (TLS 1.2 and below; TLS 1.3 encrypts it).</summary>
        public byte[]? CertificateDer => CertificateChainDer.Count == 0 ? null : CertificateChainDer[0];
        /// <summary>Every certificate the server sent, leaf first (TLS 1.2 and below).</summary>
        public System.Collections.Generic.IReadOnlyList<byte[]> CertificateChainDer { get; set; } = new byte[0][];
        public ServerKeyExchangeInfo? KeyExchange { get; set; }
        public bool ServerHelloDone { get; set; }
    }
}
