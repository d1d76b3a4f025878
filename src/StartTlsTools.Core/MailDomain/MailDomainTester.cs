using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using StartTlsTools.Resolution;
using StartTlsTools.Transport;

namespace StartTlsTools.MailDomain
{
    /// <summary>
    /// Is mail to this domain protected in transit? MX set, then every address of every MX host tested on port 25
    /// (STARTTLS, certificate, DANE against the presented chain, MTA-STS per MX), plus the domain's MTA-STS and TLS-RPT.
    /// One flat row per MX address. Never throws for anything DNS or a server does.
    /// </summary>
    public sealed class MailDomainTester
    {
        /// <summary>
        /// MX addresses of one domain tested at once. Domains themselves are run concurrently by the caller (the
        /// cmdlet's -ThrottleLimit); every connection also holds a slot of the process-wide per-address cap, and the
        /// limiter below keeps this domain's own tests to one at a time per address.
        /// </summary>
        public const int ParallelMxTests = 2;

        private readonly IDnsResolver _resolver;
        private readonly Func<string, Task<IPAddress[]>>? _policyHostLookup;
        private readonly HostConnectionLimiter _limiter = new HostConnectionLimiter(maxPerHost: 1);

        /// <param name="resolver">Every DNS record lookup (MX, A/AAAA of the MX hosts, TLSA, TXT).</param>
        /// <param name="policyHostLookup">How mta-sts.&lt;domain&gt; is resolved; the system resolver when null.</param>
        public MailDomainTester(IDnsResolver resolver, Func<string, Task<IPAddress[]>>? policyHostLookup = null)
        {
            _resolver = resolver;
            _policyHostLookup = policyHostLookup;
        }

        /// <summary>The resolvers for the options: DnsClient on -DnsServer (records and policy host), or on the system's servers (records) with the system resolver for the policy host.</summary>
        public static MailDomainTester ForOptions(MailDomainTestOptions options)
        {
            var resolver = new DnsClientResolver(options.DnsServer, options.Timeout);
            return new MailDomainTester(resolver, options.DnsServer != null ? resolver.LookupHostAsync : (Func<string, Task<IPAddress[]>>?)null);
        }

        /// <summary>For tests against a fake policy server on another port.</summary>
        internal int PolicyPort { get; set; } = 443;
        /// <summary>For tests against fake MX servers: the port of the STARTTLS test (25 for everyone else).</summary>
        internal int SmtpPort { get; set; } = 25;

        public async Task<IReadOnlyList<MailDomainResult>> TestAsync(MailDomainTestOptions options, CancellationToken cancel = default)
        {
            var problems = options.Validate();
            if (problems.Count > 0) throw new ArgumentException(string.Join(" ", problems), nameof(options));
            var clock = Stopwatch.StartNew();
            DateTimeOffset started = DateTimeOffset.UtcNow;
            string domain = DnsClientResolver.Normalize(options.Domain);

            var checker = new MtaStsChecker(_resolver, _policyHostLookup) { PolicyPort = PolicyPort };
            Task<MxSet> mxTask = MxResolver.ResolveAsync(domain, _resolver, cancel);
            Task<MtaStsPolicyResult> stsTask = checker.CheckAsync(domain, options.Timeout, options.TrustedRoots, cancel);
            var rptTask = TlsRptChecker.CheckAsync(_resolver, domain, cancel);
            MxSet mx = await mxTask.ConfigureAwait(false);
            MtaStsPolicyResult sts = await stsTask.ConfigureAwait(false);
            var rpt = await rptTask.ConfigureAwait(false);

            var domainFindings = new List<Finding>(mx.Findings);
            domainFindings.AddRange(sts.Findings);
            // A domain that takes no mail needs no reporting address; a failed lookup already has its finding.
            if (mx.Kind != MxSetKind.NullMx && mx.Kind != MxSetKind.DomainNotFound) domainFindings.AddRange(rpt.Findings);

            MailDomainResult Row()
            {
                var row = new MailDomainResult
                {
                    Domain = domain,
                    MxSummary = mx.Summary,
                    MxDnssec = mx.MxDnssec,
                    MailExchangers = new TextList(mx.Hosts.Select(h => h.Source == MailExchangerSource.ImplicitMx ? "implicit " + h.Name : $"{h.Preference} {h.Name}")),
                    Port = SmtpPort,
                    MtaStsStatus = sts.Status,
                    MtaStsMode = sts.Mode,
                    MtaStsPolicyId = sts.PolicyId,
                    MtaStsMxPatterns = sts.MxPatterns,
                    MtaStsReason = sts.Reason,
                    TlsRptStatus = rpt.Status,
                    TlsRptUris = rpt.Uris,
                    TlsRptReason = rpt.Reason,
                    DnsServer = _resolver.Description,
                    StartedAt = started,
                };
                return row;
            }

            var rows = new List<MailDomainResult>();
            var work = new List<(MxHost Host, IPAddress? Address, MailDomainResult Row)>();
            foreach (MxHost host in mx.Hosts)
            {
                if (host.Addresses.Count == 0)
                {
                    MailDomainResult row = Row();
                    FillHost(row, host);
                    row.Reason = host.Reason;
                    var mtaSts = MtaStsChecker.EvaluateMx(sts, host.Name, null);
                    row.MtaStsMxCovered = mtaSts.Covered;
                    row.Findings = MailDomainFindings.Combine(host.Findings.Concat(mtaSts.Findings).Concat(domainFindings));
                    rows.Add(row);
                    continue;
                }
                foreach (IPAddress address in host.Addresses)
                {
                    MailDomainResult row = Row();
                    FillHost(row, host);
                    row.IPAddress = address.ToString();
                    rows.Add(row);
                    work.Add((host, address, row));
                }
            }
            if (mx.Hosts.Count == 0)
            {
                MailDomainResult row = Row();
                row.Reason = mx.Summary;
                row.Findings = MailDomainFindings.Combine(domainFindings);
                rows.Add(row);
            }

            // TLSA once per host, then the hosts' addresses a few at a time, one connection per address at once.
            var tlsa = new Dictionary<MxHost, Task<TlsaLookup>>();
            foreach (MxHost host in work.Select(w => w.Host).Distinct())
                tlsa[host] = DaneCheck.LookupAsync(_resolver, host.Name, SmtpPort, host.AddressAnswer, cancel);
            using (var parallel = new SemaphoreSlim(ParallelMxTests))
            {
                await Task.WhenAll(work.Select(async w =>
                {
                    await parallel.WaitAsync(cancel).ConfigureAwait(false);
                    try
                    {
                        await TestAddressAsync(w.Host, w.Address!, w.Row, await tlsa[w.Host].ConfigureAwait(false), sts, domainFindings, options, cancel).ConfigureAwait(false);
                    }
                    finally
                    {
                        parallel.Release();
                    }
                })).ConfigureAwait(false);
            }
            foreach (MailDomainResult row in rows) row.TotalMs = clock.Elapsed.TotalMilliseconds;
            return rows;
        }

        private static void FillHost(MailDomainResult row, MxHost host)
        {
            row.Preference = host.Source == MailExchangerSource.ImplicitMx ? (int?)null : host.Preference;
            row.HostName = host.Name;
            row.AddressDnssec = host.AddressDnssec;
        }

        private async Task TestAddressAsync(MxHost host, IPAddress address, MailDomainResult row, TlsaLookup tlsa, MtaStsPolicyResult sts,
            List<Finding> domainFindings, MailDomainTestOptions options, CancellationToken cancel)
        {
            var testOptions = new StartTlsTestOptions
            {
                HostName = host.Name,
                Protocol = StartTlsProtocol.Smtp,
                Port = SmtpPort,
                Timeout = options.Timeout,
                EhloName = options.EhloName,
                ExpiryWarningDays = options.ExpiryWarningDays,
                // The domain test always learns whether the MX requires TLS (MAIL FROM:<> on a second connection, issue 13).
                CheckEnforcement = true,
            };
            testOptions.TrustedRoots.AddRange(options.TrustedRoots);
            // This row's address only: the host's other addresses have rows of their own.
            var tester = new StartTlsTester(_ => Task.FromResult(new[] { address }));
            StartTlsResult result;
            using (await _limiter.AcquireAsync(address.ToString(), cancel).ConfigureAwait(false))
                result = await tester.TestAsync(testOptions, cancel).ConfigureAwait(false);

            List<Finding> dane = DaneCheck.Apply(tlsa, result, smtpRules: true, DateTime.UtcNow);
            var mtaSts = MtaStsChecker.EvaluateMx(sts, host.Name, result);

            row.Status = result.Status;
            row.Reason = result.Reason;
            row.StartTlsOffered = result.StartTlsOffered;
            row.TlsRequired = result.TlsRequired;
            row.TlsRequiredEvidence = result.TlsRequiredEvidence;
            row.TlsVersion = result.TlsEstablished ? result.TlsVersion : (TlsProtocolVersion?)null;
            row.CipherSuite = result.CipherSuite;
            row.CertificateValid = result.CertificateValid;
            row.CertificateError = result.CertificateError;
            row.CertificateSubject = result.CertificateSubject;
            row.CertificateNotAfter = result.CertificateNotAfter;
            row.DaneStatus = result.DaneStatus;
            row.DaneMatchedRecord = result.DaneMatchedRecord;
            row.DaneMatchedDepth = result.DaneMatchedDepth;
            row.DaneReason = result.DaneReason ?? "";
            row.TlsaRecords = result.TlsaRecords;
            row.TlsaDnssec = result.TlsaDnssec;
            row.MtaStsMxCovered = mtaSts.Covered;
            row.MtaStsCompliant = mtaSts.Compliant;
            if (mtaSts.Reason.Length > 0) row.MtaStsReason = sts.Reason + " " + mtaSts.Reason;
            row.Findings = MailDomainFindings.Combine(host.Findings.Concat(result.Findings).Concat(dane).Concat(mtaSts.Findings).Concat(domainFindings));
        }
    }
}
