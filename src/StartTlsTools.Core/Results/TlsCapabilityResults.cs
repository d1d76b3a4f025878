using System;

namespace StartTlsTools
{
    /// <summary>The outcome of a capability scan as a whole.</summary>
    public enum TlsCapabilityStatus
    {
        /// <summary>Every probe ran; the lists are complete.</summary>
        Success,
        /// <summary>Some probes could not be run (busy server, timeouts): see UntestedProbes. What was found is real.</summary>
        Incomplete,
        /// <summary>The server accepted no protocol version at all.</summary>
        NoTls,
        NotOffered,
        Refused,
        NameResolutionFailed,
        ConnectFailed,
        Timeout,
        ProtocolError,
        Cancelled,
        /// <summary>The server turned the connection away (421/554 greeting, block list, rate limit): see Reason.</summary>
        Unavailable,
    }

    /// <summary>One accepted (version, cipher suite) pair. Flat, for Export-Csv and ConvertTo-Json.</summary>
    public sealed class TlsCipherSuiteResult
    {
        public string HostName { get; set; } = "";
        public int Port { get; set; }
        public StartTlsProtocol Protocol { get; set; }
        public bool ImplicitTls { get; set; }
        /// <summary>"SSLv2", "SSLv3", "TLSv1.0", "TLSv1.1", "TLSv1.2" or "TLSv1.3".</summary>
        public string TlsVersion { get; set; } = "";
        /// <summary>The IANA name.</summary>
        public string CipherSuite { get; set; } = "";
        public string OpenSslName { get; set; } = "";
        /// <summary>"0xC02F" (SSLv2 kits: six hex digits).</summary>
        public string Code { get; set; } = "";
        public string KeyExchange { get; set; } = "";
        public string Authentication { get; set; } = "";
        public string Encryption { get; set; } = "";
        public int Bits { get; set; }
        public Probing.CipherMode Mode { get; set; }
        public string Mac { get; set; } = "";
        public bool ForwardSecrecy { get; set; }
        /// <summary>NCSC-NL 2021 categories: Recommended (Good), Secure (Sufficient), Weak (Phase out), Insecure (Insufficient).</summary>
        public Probing.CipherRating Rating { get; set; }
        /// <summary>1 = chosen first. The server's preference when it enforces its order; otherwise the order we offered in.</summary>
        public int PreferenceRank { get; set; }
        /// <summary>From the ServerKeyExchange of the probe that found the suite: "DH 2048 bits", "ECDH x25519"; null otherwise.</summary>
        public string? KeyExchangeDetail { get; set; }
    }

    /// <summary>The whole scan in one flat object.</summary>
    public sealed class TlsCapabilitySummary
    {
        public string HostName { get; set; } = "";
        public int Port { get; set; }
        public StartTlsProtocol Protocol { get; set; }
        public bool ImplicitTls { get; set; }
        public string? IPAddress { get; set; }
        public TlsCapabilityStatus Status { get; set; }
        public string Reason { get; set; } = "";
        /// <summary>"TLSv1.2; TLSv1.3".</summary>
        public string? VersionsAccepted { get; set; }
        public string? LowestVersion { get; set; }
        public string? HighestVersion { get; set; }
        public int CipherSuitesAccepted { get; set; }
        /// <summary>Per version with two or more suites: "TLSv1.2=Server; TLSv1.3=Client".</summary>
        public string? ServerOrder { get; set; }
        /// <summary>TLS 1.3 key-exchange groups in the server's preference order.</summary>
        public string? Tls13Groups { get; set; }
        /// <summary>TLS 1.2 and below ECDHE curves in the server's preference order.</summary>
        public string? EcdheCurves { get; set; }
        public Probing.CipherRating? WeakestRating { get; set; }
        public string? CertificateSubject { get; set; }
        public string? CertificateIssuer { get; set; }
        public string? CertificateThumbprint { get; set; }
        public DateTime? CertificateNotAfter { get; set; }
        /// <summary>Chain (OS store plus -TrustedRootCertificate), dates and name, as Test-StartTls checks them; null when no certificate was seen (TLS 1.3 only).</summary>
        public bool? CertificateValid { get; set; }
        /// <summary>What was wrong with the certificate, in one sentence; null when it is valid or was not seen.</summary>
        public string? CertificateError { get; set; }
        /// <summary>Every TCP connection the scan opened, retries included.</summary>
        public int ConnectionsOpened { get; set; }
        /// <summary>Probes that could not be run, never silently dropped: see UntestedDetail.</summary>
        public int UntestedProbes { get; set; }
        public string? UntestedDetail { get; set; }
        public double DurationMs { get; set; }
        public DateTimeOffset StartedAt { get; set; }

        /// <summary>What the accepted versions and suites mean for security, most severe first.</summary>
        public FindingList Findings { get; set; } = FindingList.Empty;
        /// <summary>The finding ids joined with "; ", for Export-Csv.</summary>
        public string FindingIds => string.Join(StartTlsResult.ListSeparator, System.Linq.Enumerable.Select(Findings, f => f.Id));
    }
}
