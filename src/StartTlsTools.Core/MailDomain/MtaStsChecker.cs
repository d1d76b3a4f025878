using System;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using StartTlsTools.Resolution;

namespace StartTlsTools.MailDomain
{
    /// <summary>A domain's MTA-STS: the TXT record, then the policy over HTTPS, then its parse (RFC 8461 section 3).</summary>
    public sealed class MtaStsChecker
    {
        private readonly IDnsResolver _resolver;
        private readonly MtaStsPolicyFetcher _fetcher;

        /// <param name="hostLookup">How the policy host is resolved: the same resolver as the records when -DnsServer is given.</param>
        public MtaStsChecker(IDnsResolver resolver, Func<string, Task<IPAddress[]>>? hostLookup = null)
        {
            _resolver = resolver;
            _fetcher = new MtaStsPolicyFetcher(hostLookup);
        }

        /// <summary>For tests against a fake HTTPS server on another port.</summary>
        internal int PolicyPort { set => _fetcher.Port = value; }

        public async Task<MtaStsPolicyResult> CheckAsync(string domain, TimeSpan timeout, X509Certificate2Collection trustedRoots, CancellationToken cancel)
        {
            var clock = Stopwatch.StartNew();
            string name = DnsClientResolver.Normalize(domain);
            string policyHost = "mta-sts." + name;
            var result = new MtaStsPolicyResult
            {
                Domain = name,
                StartedAt = DateTimeOffset.UtcNow,
                DnsServer = _resolver.Description,
                PolicyUrl = "https://" + policyHost + MtaStsPolicyFetcher.WellKnownPath,
            };
            try
            {
                await CheckCoreAsync(result, policyHost, timeout, trustedRoots, cancel).ConfigureAwait(false);
            }
            finally
            {
                result.TotalMs = clock.Elapsed.TotalMilliseconds;
            }
            return result;
        }

        private async Task CheckCoreAsync(MtaStsPolicyResult result, string policyHost, TimeSpan timeout, X509Certificate2Collection trustedRoots, CancellationToken cancel)
        {
            string domain = result.Domain;
            DnsAnswer txt = await _resolver.QueryAsync("_mta-sts." + domain, DnsRecordType.TXT, cancel).ConfigureAwait(false);
            result.TxtDnssec = txt.Dnssec;
            if (!txt.Answered)
            {
                result.Status = MtaStsStatus.LookupFailed;
                result.Reason = $"The TXT lookup of _mta-sts.{domain} failed: {txt.Status}. {txt.Reason}";
                if (txt.Dnssec == DnssecStatus.Bogus) result.Findings = new FindingList(new[] { MailDomainFindings.DnssecBogus("_mta-sts." + domain, txt.Reason) });
                return;
            }
            MtaStsTxtRecord? record = MtaStsTxtRecord.Parse(txt.TextRecords);
            if (record == null)
            {
                result.Status = MtaStsStatus.NotPublished;
                result.Reason = $"No v=STSv1 TXT record at _mta-sts.{domain}: the domain has no MTA-STS policy.";
                return;
            }
            result.TxtRecord = record.Text;
            if (!record.IsValid)
            {
                result.Status = MtaStsStatus.TxtInvalid;
                result.Reason = $"The MTA-STS TXT record is invalid: {record.Problem}.";
                result.Findings = new FindingList(new[] { MailDomainFindings.MtaStsTxtInvalid(domain, record.Problem!) });
                return;
            }
            result.PolicyId = record.Id;

            MtaStsFetch fetch = await _fetcher.FetchAsync(policyHost, timeout, trustedRoots, cancel).ConfigureAwait(false);
            result.PolicyUrl = fetch.Url;
            result.PolicyHostAddress = fetch.IPAddress;
            result.HttpStatus = fetch.HttpStatus;
            result.ContentType = fetch.ContentType;
            result.PolicyBytes = fetch.BodyBytes;
            result.CertificateValid = fetch.CertificateValid;
            result.CertificateError = fetch.CertificateError;
            result.Policy = fetch.Body;
            if (!fetch.Succeeded)
            {
                result.Status = MtaStsStatus.PolicyUnreachable;
                result.Reason = fetch.Problem;
                result.Findings = new FindingList(new[] { MailDomainFindings.MtaStsPolicyUnreachable(domain, fetch.Problem) });
                return;
            }

            MtaStsPolicy policy = MtaStsPolicy.Parse(fetch.Body ?? "");
            result.Parsed = policy;
            result.Mode = policy.Mode;
            result.MxPatterns = new TextList(policy.MxPatterns);
            result.MaxAgeSeconds = policy.MaxAgeSeconds;
            result.PolicyProblems = new TextList(policy.Problems);
            if (!policy.IsValid)
            {
                result.Status = MtaStsStatus.PolicyInvalid;
                result.Reason = "The policy is malformed: " + string.Join("; ", policy.Problems) + ".";
                result.Findings = new FindingList(new[] { MailDomainFindings.MtaStsPolicyInvalid(domain, string.Join("; ", policy.Problems)) });
                return;
            }
            result.Status = MtaStsStatus.Valid;
            result.Reason = $"Policy id {record.Id}: mode {policy.Mode}, {policy.MxPatterns.Count} mx pattern(s), max_age {policy.MaxAgeSeconds} s.";
            if (policy.Mode == MtaStsMode.Testing) result.Findings = new FindingList(new[] { MailDomainFindings.MtaStsTestingMode(domain) });
        }

        /// <summary>
        /// The per-MX checks of RFC 8461 section 4.1 for a valid policy: the host matches an mx pattern, and it offers
        /// STARTTLS with TLS 1.2 or later and a certificate PKIX-valid for its name. Null values without a valid policy.
        /// </summary>
        public static (bool? Covered, bool? Compliant, string Reason, Finding[] Findings) EvaluateMx(MtaStsPolicyResult policy, string mxHost, StartTlsResult? tls)
        {
            MtaStsPolicy? parsed = policy.Parsed;
            if (policy.Status != MtaStsStatus.Valid || parsed == null) return (null, null, "", new Finding[0]);
            var findings = new System.Collections.Generic.List<Finding>();
            string? pattern = parsed.PatternFor(mxHost);
            bool covered = pattern != null;
            bool enforcing = parsed.Mode != MtaStsMode.None;
            if (!covered && enforcing) findings.Add(MailDomainFindings.MtaStsMxNotCovered(mxHost, parsed.Mode!.Value, parsed.MxPatterns));
            if (tls == null) return (covered, null, covered ? $"Matches mx pattern {pattern}; not tested." : "Matches no mx pattern; not tested.", findings.ToArray());

            string? problem = null;
            if (tls.Status != StartTlsStatus.Success || tls.TlsEstablished == false) problem = $"no TLS session ({tls.Status}: {tls.Reason})";
            else if (tls.TlsVersion < TlsProtocolVersion.Tls12) problem = $"TLS version {tls.TlsVersion}, below TLS 1.2";
            bool certOk = tls.TlsEstablished && tls.CertificateValid == true;
            if (enforcing && problem != null) findings.Add(MailDomainFindings.MtaStsTlsRequirementNotMet(mxHost, char.ToUpperInvariant(problem[0]) + problem.Substring(1) + "."));
            if (enforcing && tls.TlsEstablished && !certOk) findings.Add(MailDomainFindings.MtaStsCertificateNameMismatch(mxHost, tls.CertificateError ?? "The certificate is not valid."));
            bool compliant = problem == null && certOk;
            string reason = (covered ? $"Matches mx pattern {pattern}" : "Matches no mx pattern") +
                            (compliant ? "; STARTTLS, TLS 1.2+ and a valid certificate for the name." : "; " + (problem ?? "certificate: " + tls.CertificateError) + ".");
            return (covered, compliant, reason, findings.ToArray());
        }
    }

    /// <summary>A domain's TLS-RPT record (RFC 8460 section 3).</summary>
    public static class TlsRptChecker
    {
        public static async Task<(TlsRptStatus Status, TextList Uris, string Reason, Finding[] Findings)> CheckAsync(IDnsResolver resolver, string domain, CancellationToken cancel)
        {
            string name = DnsClientResolver.Normalize(domain);
            DnsAnswer txt = await resolver.QueryAsync("_smtp._tls." + name, DnsRecordType.TXT, cancel).ConfigureAwait(false);
            if (!txt.Answered)
                return (TlsRptStatus.LookupFailed, TextList.Empty, $"The TXT lookup of _smtp._tls.{name} failed: {txt.Status}. {txt.Reason}",
                    txt.Dnssec == DnssecStatus.Bogus ? new[] { MailDomainFindings.DnssecBogus("_smtp._tls." + name, txt.Reason) } : new Finding[0]);
            TlsRptRecord? record = TlsRptRecord.Parse(txt.TextRecords);
            if (record == null)
                return (TlsRptStatus.NotPublished, TextList.Empty, $"No v=TLSRPTv1 TXT record at _smtp._tls.{name}.", new[] { MailDomainFindings.TlsRptMissing(name) });
            if (!record.IsValid)
                return (TlsRptStatus.Invalid, new TextList(record.ReportingUris), $"The TLS-RPT record is invalid: {record.Problem}.", new[] { MailDomainFindings.TlsRptInvalid(name, record.Problem!) });
            return (TlsRptStatus.Valid, new TextList(record.ReportingUris), $"Reports go to {string.Join(", ", record.ReportingUris)}.", new Finding[0]);
        }
    }
}
