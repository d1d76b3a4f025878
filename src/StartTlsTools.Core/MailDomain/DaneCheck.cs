using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using StartTlsTools.Resolution;

namespace StartTlsTools.MailDomain
{
    /// <summary>The TLSA records for one service, and the names a DANE-TA certificate may carry.</summary>
    public sealed class TlsaLookup
    {
        public TlsaLookup(DnsAnswer answer, IReadOnlyList<string> referenceNames, bool resolverTrusted, string resolver)
        {
            Answer = answer;
            ReferenceNames = referenceNames;
            ResolverTrusted = resolverTrusted;
            Resolver = resolver;
        }

        public DnsAnswer Answer { get; }
        public IReadOnlyList<string> ReferenceNames { get; }
        public bool ResolverTrusted { get; }
        public string Resolver { get; }
    }

    /// <summary>
    /// DANE for one server: looks up TLSA at _port._tcp.host (after CNAME expansion, RFC 7672 section 2.2.2) and
    /// matches it against the chain the STARTTLS handshake presented. Used by Test-StartTls -Dane and the domain test.
    /// </summary>
    public static class DaneCheck
    {
        public static string TlsaName(int port, string host) => "_" + port.ToString(CultureInfo.InvariantCulture) + "._tcp." + DnsClientResolver.Normalize(host);

        /// <param name="addressAnswer">The host's A/AAAA answer when known: a secure CNAME there moves the TLSA base name to the target.</param>
        public static async Task<TlsaLookup> LookupAsync(IDnsResolver resolver, string host, int port, DnsAnswer? addressAnswer, CancellationToken cancel)
        {
            string original = DnsClientResolver.Normalize(host);
            var candidates = new List<string>();
            if (addressAnswer != null && addressAnswer.HasCname && addressAnswer.Dnssec == DnssecStatus.Secure) candidates.Add(addressAnswer.CanonicalName);
            candidates.Add(original);
            var names = candidates.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            DnsAnswer? last = null;
            foreach (string candidate in names)
            {
                last = await resolver.QueryAsync(TlsaName(port, candidate), DnsRecordType.TLSA, cancel).ConfigureAwait(false);
                if (last.Succeeded || !last.Answered) break;
            }
            return new TlsaLookup(last!, names, resolver.TrustedToValidate, resolver.Description);
        }

        /// <summary>
        /// Sets the result's DANE fields and returns the DANE findings. <paramref name="smtpRules"/>: RFC 7672 (SMTP to an
        /// MX), where PKIX usages are unusable; otherwise RFC 6698/7671 for any protocol.
        /// </summary>
        public static List<Finding> Apply(TlsaLookup lookup, StartTlsResult result, bool smtpRules, DateTime nowUtc)
        {
            var findings = new List<Finding>();
            string host = result.HostName;
            DnsAnswer answer = lookup.Answer;
            result.TlsaRecords = new TextList(answer.TlsaRecords.Select(r => r.ToString()));
            result.TlsaDnssec = answer.Dnssec;

            if (!answer.Answered)
            {
                Set(result, DaneStatus.LookupFailed, $"The TLSA lookup of {answer.Name} failed: {answer.Status}. {answer.Reason}");
                findings.Add(answer.Dnssec == DnssecStatus.Bogus
                    ? MailDomainFindings.DnssecBogus(answer.Name, answer.Reason)
                    : MailDomainFindings.DaneLookupFailed(host, $"{answer.Name} {answer.Status}"));
                return findings;
            }
            if (answer.TlsaRecords.Count == 0)
            {
                Set(result, DaneStatus.NoRecords, $"No TLSA records at {answer.Name} ({answer.Dnssec}): DANE is not deployed.");
                return findings;
            }
            bool reliesOnRemote = answer.Dnssec == DnssecStatus.Unknown && answer.AuthenticatedData && !lookup.ResolverTrusted;
            if (answer.Dnssec != DnssecStatus.Secure && !reliesOnRemote)
            {
                string why = $"The {answer.TlsaRecords.Count} TLSA record(s) at {answer.Name} are {answer.Dnssec}, not DNSSEC-secure, so they are not used.";
                Set(result, DaneStatus.NotSecure, why);
                findings.Add(MailDomainFindings.DaneRecordsNotSecure(host, why));
                return findings;
            }
            if (reliesOnRemote) findings.Add(MailDomainFindings.DaneResolverNotLocal(lookup.Resolver));
            if (!result.TlsEstablished)
            {
                Set(result, DaneStatus.NotChecked, $"TLSA records are published at {answer.Name}, but no TLS handshake happened ({result.Status}), so there is no chain to match.");
                return findings;
            }

            DaneVerdict verdict = DaneMatcher.Match(answer.TlsaRecords, result.PresentedCertificates, lookup.ReferenceNames, smtpRules,
                result.CertificateValid == true, nowUtc);
            Set(result, verdict.Status, verdict.Reason);
            result.DaneMatchedRecord = verdict.MatchedRecord?.ToString();
            result.DaneMatchedDepth = verdict.MatchedDepth;
            int pkixForSmtp = smtpRules ? answer.TlsaRecords.Count(r => r.Usage < 2) : 0;
            if (pkixForSmtp > 0) findings.Add(MailDomainFindings.DaneUsageUnusableForSmtp(host, pkixForSmtp, verdict.UsableRecords == 0));
            if (verdict.Status == DaneStatus.Mismatch) findings.Add(MailDomainFindings.DaneMismatch(host, verdict.Reason));
            return findings;
        }

        private static void Set(StartTlsResult result, DaneStatus status, string reason)
        {
            result.DaneStatus = status;
            result.DaneReason = reason;
        }
    }
}

namespace StartTlsTools.MailDomain
{
    /// <summary>DANE as an add-on to any STARTTLS or implicit-TLS test (Test-StartTls -Dane).</summary>
    public static class DaneForTest
    {
        /// <summary>
        /// Looks up TLSA for the tested host and port and matches it against the chain the test saw; sets the result's
        /// DANE fields and adds the DANE findings to its Findings. SMTP (port 25 to an MX) follows RFC 7672, every other
        /// protocol RFC 6698/7671. Never throws for what DNS answers.
        /// </summary>
        public static async Task CheckAsync(IDnsResolver resolver, StartTlsResult result, CancellationToken cancel)
        {
            if (HostNameRules.TryParseAddress(result.HostName, out _))
            {
                result.DaneStatus = DaneStatus.NotChecked;
                result.DaneReason = "DANE needs a host name: TLSA records are published under names, not addresses.";
                return;
            }
            DnsAnswer address = await resolver.QueryAsync(result.HostName, DnsRecordType.A, cancel).ConfigureAwait(false);
            TlsaLookup lookup = await DaneCheck.LookupAsync(resolver, result.HostName, result.Port, address, cancel).ConfigureAwait(false);
            List<Finding> findings = DaneCheck.Apply(lookup, result, result.Protocol == StartTlsProtocol.Smtp, DateTime.UtcNow);
            if (findings.Count > 0) result.Findings = MailDomainFindings.Combine(result.Findings.Concat(findings));
        }
    }
}
