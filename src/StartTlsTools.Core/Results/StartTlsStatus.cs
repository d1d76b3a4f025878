namespace StartTlsTools
{
    /// <summary>The outcome of one test, as data. Every failure the server can cause maps to one of these.</summary>
    public enum StartTlsStatus
    {
        /// <summary>STARTTLS (or implicit TLS) gave a TLS channel. Certificate problems are reported separately.</summary>
        Success,
        /// <summary>The server did not advertise STARTTLS.</summary>
        NotOffered,
        /// <summary>The server refused the session or the STARTTLS command (e.g. 454, 501, NO, -ERR).</summary>
        Refused,
        /// <summary>The TLS handshake failed after the server agreed to it.</summary>
        HandshakeFailed,
        /// <summary>The host name did not resolve.</summary>
        NameResolutionFailed,
        /// <summary>No TCP connection could be opened.</summary>
        ConnectFailed,
        /// <summary>A network step did not finish within the timeout.</summary>
        Timeout,
        /// <summary>The server broke the protocol: malformed, oversized or unexpected replies, or an early close.</summary>
        ProtocolError,
        /// <summary>The caller cancelled (Ctrl+C, StopProcessing).</summary>
        Cancelled,
    }

    /// <summary>A TLS protocol version, ordered so that comparisons read naturally.</summary>
    public enum TlsProtocolVersion
    {
        None = 0,
        Ssl2 = 2,
        Ssl3 = 3,
        Tls10 = 10,
        Tls11 = 11,
        Tls12 = 12,
        Tls13 = 13,
    }
}
