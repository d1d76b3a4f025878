using System.Collections.Generic;
using System.Linq;

namespace StartTlsTools.MailDomain
{
    /// <summary>
    /// The findings of the mail-domain checks (MX, DNSSEC, DANE, MTA-STS, TLS-RPT). Ids are stable once shipped;
    /// about_StartTlsTools lists them with their severities and references.
    /// </summary>
    public static class MailDomainFindings
    {
        public static Finding NullMx(string domain) => new Finding("NullMx", FindingSeverity.Info,
            "The domain accepts no mail (null MX)", $"{domain} publishes the null MX '0 .': senders reject mail to it at once.", "RFC 7505");

        public static Finding ImplicitMx(string domain) => new Finding("ImplicitMx", FindingSeverity.Low,
            "No MX records: mail goes to the domain's own address", $"{domain} has no MX records, so senders use its A/AAAA records as an implicit MX.", "RFC 5321 section 5.1");

        public static Finding DomainNotFound(string domain) => new Finding("DomainNotFound", FindingSeverity.High,
            "The domain does not exist", $"{domain} does not exist in the DNS (NXDOMAIN): mail to it bounces.", "RFC 5321 section 5.1");

        public static Finding MxLookupFailed(string name, string detail) => new Finding("MxLookupFailed", FindingSeverity.High,
            "An MX or address lookup failed", $"{name}: {detail}", "RFC 5321 section 5.1");

        public static Finding MxIsCname(string host, string target) => new Finding("MxIsCname", FindingSeverity.Medium,
            "The MX host name is an alias (CNAME)", $"{host} is a CNAME for {target}; an MX must name a host with address records.", "RFC 5321 section 5.1; RFC 2181 section 10.3");

        public static Finding MxIsIpLiteral(string host) => new Finding("MxIsIpLiteral", FindingSeverity.Medium,
            "The MX record holds an IP address", $"The MX record names '{host}', an address; an MX must name a host.", "RFC 5321 section 5.1; RFC 7505 section 3");

        public static Finding MxWithoutAddress(string host, string detail) => new Finding("MxWithoutAddress", FindingSeverity.High,
            "An MX host has no address", $"{host} has no A or AAAA records ({detail}); senders skip it.", "RFC 5321 section 5.1");

        public static Finding DnssecBogus(string name, string detail) => new Finding("DnssecBogus", FindingSeverity.High,
            "DNSSEC validation failed", $"The validating resolver refused {name}: {detail}. Validating senders cannot deliver.", "RFC 4035 section 5.5; RFC 7672 section 2.1.1");

        public static Finding DaneMismatch(string host, string detail) => new Finding("DaneMismatch", FindingSeverity.High,
            "No TLSA record matches the server's certificate chain", $"{host}: {detail} DANE senders refuse to deliver.", "RFC 7672 section 3; RFC 6698 section 2.1");

        public static Finding DaneRecordsNotSecure(string host, string detail) => new Finding("DaneRecordsNotSecure", FindingSeverity.Medium,
            "TLSA records are not DNSSEC-secure", $"{host}: {detail} Senders ignore TLSA records that do not validate.", "RFC 7672 section 2.1; RFC 6698 section 4.1");

        public static Finding DaneUsageUnusableForSmtp(string host, int count, bool noneUsable) => new Finding("DaneUsageUnusableForSmtp",
            noneUsable ? FindingSeverity.Medium : FindingSeverity.Low, "PKIX-TA(0) or PKIX-EE(1) TLSA records for SMTP",
            $"{host}: {count} TLSA record(s) use a PKIX usage, which SMTP senders ignore{(noneUsable ? "; no usable record is left, so DANE gives no protection" : "")}.",
            "RFC 7672 section 3.1.3");

        public static Finding DaneLookupFailed(string host, string detail) => new Finding("DaneLookupFailed", FindingSeverity.High,
            "The TLSA lookup failed", $"{host}: {detail}. DANE senders defer mail while TLSA records cannot be read.", "RFC 7672 section 2.2");

        public static Finding DaneResolverNotLocal(string resolver) => new Finding("DaneResolverNotLocal", FindingSeverity.Medium,
            "DANE relied on a resolver that is not on loopback", $"The DNSSEC status came from the AD bit of {resolver}, which nothing protects on the way; run a validating resolver on this machine.",
            "RFC 7672 section 2.1.1; RFC 6698 section 4.1");

        public static Finding MtaStsTxtInvalid(string domain, string detail) => new Finding("MtaStsTxtInvalid", FindingSeverity.Medium,
            "The MTA-STS TXT record is invalid", $"_mta-sts.{domain}: {detail}. Senders treat the domain as having no policy.", "RFC 8461 section 3.1");

        public static Finding MtaStsPolicyUnreachable(string domain, string detail) => new Finding("MtaStsPolicyUnreachable", FindingSeverity.High,
            "The MTA-STS policy could not be fetched", $"{domain}: {detail}", "RFC 8461 section 3.3");

        public static Finding MtaStsPolicyInvalid(string domain, string detail) => new Finding("MtaStsPolicyInvalid", FindingSeverity.High,
            "The MTA-STS policy is malformed", $"{domain}: {detail}. Senders ignore it.", "RFC 8461 section 3.2");

        public static Finding MtaStsTestingMode(string domain) => new Finding("MtaStsTestingMode", FindingSeverity.Low,
            "The MTA-STS policy is in testing mode", $"{domain}'s policy only asks for reports: senders deliver even when TLS or the certificate fails.", "RFC 8461 section 5");

        public static Finding MtaStsMxNotCovered(string host, MtaStsMode mode, IEnumerable<string> patterns) => new Finding("MtaStsMxNotCovered",
            mode == MtaStsMode.Enforce ? FindingSeverity.High : FindingSeverity.Medium, "An MX host is not in the MTA-STS policy",
            $"{host} matches none of the policy's mx patterns ({string.Join(", ", patterns)}); in enforce mode senders will not deliver to it.", "RFC 8461 section 4.1");

        public static Finding MtaStsCertificateNameMismatch(string host, string detail) => new Finding("MtaStsCertificateNameMismatch", FindingSeverity.High,
            "The MX certificate does not satisfy MTA-STS", $"{host}: {detail} MTA-STS needs a certificate valid for the MX name with PKIX.", "RFC 8461 section 4.1");

        public static Finding MtaStsTlsRequirementNotMet(string host, string detail) => new Finding("MtaStsTlsRequirementNotMet", FindingSeverity.High,
            "The MX host does not give MTA-STS its TLS", $"{host}: {detail} MTA-STS needs STARTTLS with TLS 1.2 or later.", "RFC 8461 section 4.1; RFC 8996");

        public static Finding TlsRptMissing(string domain) => new Finding("TlsRptMissing", FindingSeverity.Low,
            "No TLS-RPT record", $"_smtp._tls.{domain} has no v=TLSRPTv1 record: senders have nowhere to report TLS failures.", "RFC 8460 section 3");

        public static Finding TlsRptInvalid(string domain, string detail) => new Finding("TlsRptInvalid", FindingSeverity.Medium,
            "The TLS-RPT record is invalid", $"_smtp._tls.{domain}: {detail}.", "RFC 8460 section 3");

        /// <summary>Most severe first; each id once (a row is about one host: the first detail says enough).</summary>
        public static FindingList Combine(IEnumerable<Finding> findings) =>
            new FindingList(findings.GroupBy(f => f.Id).Select(g => g.OrderByDescending(f => f.Severity).First())
                .Select((f, i) => (f, i)).OrderByDescending(x => x.f.Severity).ThenBy(x => x.i).Select(x => x.f));
    }
}
