using System;
using StartTlsTools.MailDomain;
using StartTlsTools.Resolution;

namespace StartTlsTools
{
    /// <summary>Whether a domain has a usable TLS-RPT record.</summary>
    public enum TlsRptStatus
    {
        NotPublished = 0,
        Valid = 1,
        Invalid = 2,
        LookupFailed = 3,
    }

    /// <summary>
    /// One row of Test-MailDomain: one address of one MX host of a domain, tested on port 25 with DANE and MTA-STS,
    /// with the domain's facts (MX set, MTA-STS, TLS-RPT) repeated on every row so that each row stands alone in a
    /// CSV file. A domain with nothing to connect to (null MX, failed lookup, no address) has one row without a host.
    /// </summary>
    public sealed class MailDomainResult
    {
        public string Domain { get; set; } = "";
        /// <summary>Null MX, no MX (implicit), MX records, or the lookup failure.</summary>
        public string MxSummary { get; set; } = "";
        public DnssecStatus MxDnssec { get; set; }
        /// <summary>The MX host names by preference, as "10 mx1.example.com".</summary>
        public TextList MailExchangers { get; set; } = TextList.Empty;

        public int? Preference { get; set; }
        /// <summary>The MX host this row tested; empty on a domain-only row.</summary>
        public string HostName { get; set; } = "";
        public string? IPAddress { get; set; }
        public int Port { get; set; } = 25;
        public StartTlsProtocol Protocol { get; set; } = StartTlsProtocol.Smtp;
        public DnssecStatus AddressDnssec { get; set; }

        /// <summary>The STARTTLS test's status; null when nothing was tested.</summary>
        public StartTlsStatus? Status { get; set; }
        public string Reason { get; set; } = "";
        public bool? StartTlsOffered { get; set; }
        /// <summary>Whether the MX refuses mail before STARTTLS (see StartTlsResult.TlsRequired); a public MX normally does not (RFC 3207 section 4).</summary>
        public bool? TlsRequired { get; set; }
        public string? TlsRequiredEvidence { get; set; }
        public TlsProtocolVersion? TlsVersion { get; set; }
        public string? CipherSuite { get; set; }
        /// <summary>PKIX: chain to the OS store or a given root, dates, and the MX name.</summary>
        public bool? CertificateValid { get; set; }
        public string? CertificateError { get; set; }
        public string? CertificateSubject { get; set; }
        public DateTime? CertificateNotAfter { get; set; }

        public DaneStatus DaneStatus { get; set; }
        public string? DaneMatchedRecord { get; set; }
        public int? DaneMatchedDepth { get; set; }
        public string DaneReason { get; set; } = "";
        public TextList TlsaRecords { get; set; } = TextList.Empty;
        public DnssecStatus? TlsaDnssec { get; set; }

        public MtaStsStatus MtaStsStatus { get; set; }
        public MtaStsMode? MtaStsMode { get; set; }
        public string? MtaStsPolicyId { get; set; }
        public TextList MtaStsMxPatterns { get; set; } = TextList.Empty;
        /// <summary>Whether this MX host matches an mx pattern of the policy; null without a valid policy.</summary>
        public bool? MtaStsMxCovered { get; set; }
        /// <summary>STARTTLS, TLS 1.2 or later and a PKIX-valid certificate for the MX name (RFC 8461 section 4.1); null without a valid policy.</summary>
        public bool? MtaStsCompliant { get; set; }
        public string MtaStsReason { get; set; } = "";

        public TlsRptStatus TlsRptStatus { get; set; }
        public TextList TlsRptUris { get; set; } = TextList.Empty;
        public string TlsRptReason { get; set; } = "";

        public string DnsServer { get; set; } = "";
        public DateTimeOffset StartedAt { get; set; }
        public double TotalMs { get; set; }
        public FindingList Findings { get; set; } = FindingList.Empty;
        public string FindingIds => Findings.ToString();
    }
}
