using System;
using StartTlsTools.MailDomain;
using StartTlsTools.Resolution;

namespace StartTlsTools
{
    /// <summary>Whether a domain has a usable MTA-STS policy, and if not, why.</summary>
    public enum MtaStsStatus
    {
        /// <summary>No v=STSv1 TXT record: the domain has no MTA-STS.</summary>
        NotPublished = 0,
        /// <summary>The TXT record and the policy are valid.</summary>
        Valid = 1,
        /// <summary>The TXT record is malformed or there is more than one.</summary>
        TxtInvalid = 2,
        /// <summary>The TXT record is there but the policy could not be fetched (HTTP error, certificate, redirect, size, timeout).</summary>
        PolicyUnreachable = 3,
        /// <summary>The policy was fetched but does not parse.</summary>
        PolicyInvalid = 4,
        /// <summary>The TXT lookup itself failed (timeout, SERVFAIL, bogus).</summary>
        LookupFailed = 5,
    }

    /// <summary>A domain's MTA-STS (Get-MtaStsPolicy): the TXT record, the fetch and the parsed policy, flat.</summary>
    public sealed class MtaStsPolicyResult
    {
        public string Domain { get; set; } = "";
        public MtaStsStatus Status { get; set; }
        public string Reason { get; set; } = "";
        public MtaStsMode? Mode { get; set; }
        public TextList MxPatterns { get; set; } = TextList.Empty;
        public long? MaxAgeSeconds { get; set; }
        /// <summary>The TXT record's id (a new id tells senders to fetch the policy again).</summary>
        public string? PolicyId { get; set; }
        public string? TxtRecord { get; set; }
        public DnssecStatus TxtDnssec { get; set; }
        public string PolicyUrl { get; set; } = "";
        public string? PolicyHostAddress { get; set; }
        public int? HttpStatus { get; set; }
        public string? ContentType { get; set; }
        public int PolicyBytes { get; set; }
        public bool? CertificateValid { get; set; }
        public string? CertificateError { get; set; }
        /// <summary>What is wrong with the policy text, one item per problem.</summary>
        public TextList PolicyProblems { get; set; } = TextList.Empty;
        /// <summary>The policy as served (at most 64 KiB); null when none was read.</summary>
        public string? Policy { get; set; }
        public string DnsServer { get; set; } = "";
        public DateTimeOffset StartedAt { get; set; }
        public double TotalMs { get; set; }
        public FindingList Findings { get; set; } = FindingList.Empty;
        public string FindingIds => Findings.ToString();

        /// <summary>The parsed policy, for the domain test's per-MX checks.</summary>
        internal MtaStsPolicy? Parsed { get; set; }
    }
}
