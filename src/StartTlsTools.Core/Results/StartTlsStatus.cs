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
        /// <summary>
        /// The server turned the session away before the STARTTLS question could be asked or answered: a 421/554 greeting,
        /// 421 mid-dialogue, a block list, a connection limit (see UnavailableKind). Says nothing about STARTTLS itself.
        /// </summary>
        Unavailable,
    }

    /// <summary>Why a server was <see cref="StartTlsStatus.Unavailable"/>, read from the reply code and the reply's own words.</summary>
    public enum UnavailableKind
    {
        /// <summary>Too many connections, from this client or in total: try again later, more slowly (SMTP 421 4.7.0, MySQL 1040).</summary>
        RateLimited,
        /// <summary>This client's address is on a block list (DNSBL/RBL, usually 554 with the list's name): retrying will not help.</summary>
        BlockListed,
        /// <summary>Refused by policy without naming a block list (554 "no SMTP service here", MySQL "host not allowed").</summary>
        Rejected,
        /// <summary>The service is closing the channel or temporarily unavailable, no reason given (SMTP 421, NNTP 400, IMAP BYE).</summary>
        Closing,
    }

    /// <summary>Signs that something on the path interfered with STARTTLS, as opposed to a server that does not offer it.</summary>
    public enum StartTlsInterference
    {
        None,
        /// <summary>The capability list carries the STARTTLS keyword overwritten (Cisco-style "XXXXXXXA"): a middlebox masked it.</summary>
        MaskedStartTls,
        /// <summary>STARTTLS was advertised but the command was answered "unrecognized" (500/502, IMAP BAD): something else answered it.</summary>
        StartTlsUnrecognized,
        /// <summary>After the go-ahead, plaintext came back where a TLS ServerHello must be.</summary>
        NonTlsAfterGoAhead,
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
