using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using DnsClient;
using DnsClient.Protocol;
using StartTlsTools.Transport;

namespace StartTlsTools.Resolution
{
    /// <summary>
    /// <see cref="IDnsResolver"/> on DnsClient: one server given by the user (-DnsServer) or the system's configured
    /// servers, no cache, the DO bit set so that a validating resolver reports its AD bit, TCP when an answer is truncated.
    /// Every ending (timeout, SERVFAIL, a malformed answer, a socket error) comes back as a <see cref="DnsAnswer"/>.
    /// </summary>
    public sealed class DnsClientResolver : IDnsResolver
    {
        /// <summary>How far up the Bogus check walks: enough for any mail domain, bounded for a hostile one.</summary>
        private const int MaxBogusCheckLabels = 8;
        private const int MaxCnameHops = 16;

        private readonly LookupClient? _client;
        private readonly TimeSpan _timeout;
        private readonly string? _noServerReason;

        /// <param name="server">The one server to ask; null for the system's configured servers.</param>
        /// <param name="timeout">For each query, UDP and any TCP retry together.</param>
        public DnsClientResolver(IPEndPoint? server, TimeSpan timeout)
        {
            _timeout = timeout;
            IReadOnlyCollection<NameServer> servers;
            if (server != null) servers = new[] { new NameServer(server) };
            else
            {
                // Never fall back to a public resolver: a machine without DNS gets a clear failure instead.
                try { servers = NameServer.ResolveNameServers(skipIPv6SiteLocal: true, fallbackToGooglePublicDns: false); }
                catch (Exception ex) when (!(ex is OutOfMemoryException)) { servers = new NameServer[0]; _noServerReason = "The system's DNS servers could not be read: " + ex.Message; }
            }
            var endpoints = servers.Select(s => new IPEndPoint(IPAddress.Parse(s.Address), s.Port)).ToList();
            Description = server != null
                ? DnsServerEndpoint.Format(server)
                : "the system's DNS servers (" + (endpoints.Count == 0 ? "none" : string.Join(", ", endpoints.Select(DnsServerEndpoint.Format))) + ")";
            TrustedToValidate = endpoints.Count > 0 && endpoints.All(e => IPAddress.IsLoopback(e.Address));
            if (endpoints.Count == 0)
            {
                _noServerReason ??= "No DNS server is configured on this machine; give one with -DnsServer.";
                return;
            }
            _client = new LookupClient(new LookupClientOptions(servers.ToArray())
            {
                UseCache = false,
                Timeout = timeout,
                // One try per server: the caller's timeout is per step, and loopback does not lose datagrams.
                Retries = 0,
                UseTcpFallback = true,
                ThrowDnsErrors = false,
                ContinueOnDnsError = false,
                ContinueOnEmptyResponse = false,
                RequestDnsSecRecords = true,
                UseRandomNameServer = false,
                EnableAuditTrail = false,
            });
        }

        public string Description { get; }
        public bool TrustedToValidate { get; }

        public Task<DnsAnswer> QueryAsync(string name, DnsRecordType type, CancellationToken cancel) => QueryAsync(name, type, true, cancel);

        /// <summary>
        /// A host lookup for the engines' connection seam (<c>Func&lt;string, Task&lt;IPAddress[]&gt;&gt;</c>): A and AAAA
        /// through this resolver. Fails the way the system resolver's seam does (a name-resolution failure or a step
        /// timeout, which the engines turn into a Status); never for a name that has at least one address.
        /// </summary>
        public async Task<IPAddress[]> LookupHostAsync(string name)
        {
            Task<DnsAnswer> a = QueryAsync(name, DnsRecordType.A, CancellationToken.None);
            Task<DnsAnswer> aaaa = QueryAsync(name, DnsRecordType.AAAA, CancellationToken.None);
            DnsAnswer[] answers = await Task.WhenAll(a, aaaa).ConfigureAwait(false);
            IPAddress[] addresses = answers.SelectMany(x => x.Addresses).Distinct().ToArray();
            if (addresses.Length > 0) return addresses;
            if (answers.All(x => x.Status == DnsLookupStatus.Timeout)) throw new StepTimeoutException($"name resolution of {name} by {Description}", _timeout);
            throw new NameResolutionFailedException($"The name '{name}' did not resolve through {Description}: {DnsAnswer.Describe(answers)}.");
        }

        private async Task<DnsAnswer> QueryAsync(string name, DnsRecordType type, bool checkBogus, CancellationToken cancel)
        {
            string query = Normalize(name);
            if (_client == null) return new DnsAnswer(query, type, DnsLookupStatus.Failed, DnssecStatus.Unknown, _noServerReason ?? "No DNS server.");
            IDnsQueryResponse response;
            try
            {
                using (var bound = CancellationTokenSource.CreateLinkedTokenSource(cancel))
                {
                    // DnsClient bounds each attempt; this bounds the whole query (UDP, then TCP after truncation) as one step.
                    Task<IDnsQueryResponse> lookup = _client.QueryAsync(query, (QueryType)(int)type, QueryClass.IN, bound.Token);
                    Task done = await Task.WhenAny(lookup, Task.Delay(_timeout + _timeout, bound.Token)).ConfigureAwait(false);
                    cancel.ThrowIfCancellationRequested();
                    if (done != lookup)
                    {
                        bound.Cancel();
                        _ = lookup.ContinueWith(t => t.Exception, TaskContinuationOptions.OnlyOnFaulted);
                        return Fail(query, type, DnsLookupStatus.Timeout, $"No answer from {Description} within {_timeout.TotalSeconds:0.#} s.");
                    }
                    response = await lookup.ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (cancel.IsCancellationRequested)
            {
                throw;
            }
            catch (DnsResponseException ex) when (ex.Code == DnsResponseCode.ConnectionTimeout)
            {
                return Fail(query, type, DnsLookupStatus.Timeout, $"No answer from {Description} within {_timeout.TotalSeconds:0.#} s.");
            }
            // DnsClient's parser and transports throw many types for hostile or broken answers (parse errors, index
            // errors, socket errors, a TCP close after truncation); all of them are the server's doing, so all are data.
            catch (Exception ex) when (!(ex is OutOfMemoryException) && !(ex is OperationCanceledException && cancel.IsCancellationRequested))
            {
                return Fail(query, type, DnsLookupStatus.Failed, $"The lookup through {Description} failed: {ex.GetType().Name}: {ex.Message}");
            }

            DnsAnswer answer = Read(query, type, response);
            if (answer.Status == DnsLookupStatus.ServerFailure && checkBogus && TrustedToValidate)
                await DecideBogusAsync(answer, cancel).ConfigureAwait(false);
            return answer;
        }

        private DnsAnswer Fail(string name, DnsRecordType type, DnsLookupStatus status, string reason) =>
            new DnsAnswer(name, type, status, DnssecStatus.Unknown, reason);

        private DnsAnswer Read(string name, DnsRecordType type, IDnsQueryResponse response)
        {
            DnsResponseHeader header = response.Header;
            DnsLookupStatus status;
            switch (header.ResponseCode)
            {
                case DnsHeaderResponseCode.NoError: status = DnsLookupStatus.Success; break;
                case DnsHeaderResponseCode.NotExistentDomain: status = DnsLookupStatus.NameNotFound; break;
                case DnsHeaderResponseCode.ServerFailure: status = DnsLookupStatus.ServerFailure; break;
                case DnsHeaderResponseCode.Refused: status = DnsLookupStatus.Refused; break;
                default: status = DnsLookupStatus.Failed; break;
            }
            if (header.ResultTruncated && status == DnsLookupStatus.Success)
                return Fail(name, type, DnsLookupStatus.Failed, $"{Description} sent a truncated answer and TCP did not give a whole one.");

            var chain = FollowCnames(name, response.Answers);
            var owners = new HashSet<string>(chain, StringComparer.OrdinalIgnoreCase);
            var records = response.Answers.Where(r => (int)r.RecordType == (int)type && owners.Contains(Normalize(r.DomainName.Value))).ToList();
            if (status == DnsLookupStatus.Success && records.Count == 0) status = DnsLookupStatus.NoRecords;

            string rcode = header.ResponseCode.ToString();
            var answer = new DnsAnswer(name, type, status, DnssecStatus.Unknown, status == DnsLookupStatus.Success || status == DnsLookupStatus.NoRecords ? "" : rcode)
            {
                AuthenticatedData = header.IsAuthenticData,
                CnameChain = chain,
                Addresses = records.OfType<ARecord>().Select(r => r.Address).Concat(records.OfType<AaaaRecord>().Select(r => r.Address)).ToList(),
                MxRecords = records.OfType<MxRecord>().Select(r => new MxRecordData(r.Preference, Normalize(r.Exchange.Value))).ToList(),
                TextRecords = records.OfType<TxtRecord>().Select(r => string.Concat(r.Text)).ToList(),
                TlsaRecords = records.OfType<DnsClient.Protocol.TlsaRecord>()
                    .Select(r => new TlsaRecord((byte)r.CertificateUsage, (byte)r.Selector, (byte)r.MatchingType, r.CertificateAssociationData.ToArray())).ToList(),
                RecordCount = records.Count,
            };
            if (!TrustedToValidate)
            {
                answer.Dnssec = DnssecStatus.Unknown;
                answer.Reason = Join(answer.Reason, $"{Description} is not on loopback, so its AD bit ({(header.IsAuthenticData ? "set" : "clear")}) is not trusted");
            }
            else if (answer.Answered)
            {
                answer.Dnssec = header.IsAuthenticData ? DnssecStatus.Secure : DnssecStatus.Insecure;
            }
            return answer;
        }

        /// <summary>
        /// A validating resolver answers SERVFAIL both for signatures that do not validate and for an unreachable
        /// authority; DnsClient cannot set the CD bit to tell them apart. So: walk the name's ancestors from the top
        /// down. A secure DS set on the way (a signed delegation) or a secure DNSKEY set at an apex the resolver holds
        /// as a trust anchor means the name is in signed DNS, and the SERVFAIL is Bogus. A secure proof of no DS at a
        /// name that has NS records (an insecure delegation), an insecure answer, or a failure on the way stop the walk
        /// first. Top down, so that no query goes inside the broken zone (unbound takes seconds over those).
        /// </summary>
        private async Task DecideBogusAsync(DnsAnswer answer, CancellationToken cancel)
        {
            string[] labels = answer.Name.Split('.');
            bool signedAbove = false;
            string? anchor = null;
            int first = Math.Max(0, labels.Length - 2), last = Math.Max(0, labels.Length - MaxBogusCheckLabels);
            for (int i = first; i >= last && i >= 0; i--)
            {
                string suffix = string.Join(".", labels, i, labels.Length - i);
                DnsAnswer ds = await QueryAsync(suffix, DnsRecordType.DS, false, cancel).ConfigureAwait(false);
                if (ds.Succeeded && ds.RecordCount > 0 && ds.Dnssec == DnssecStatus.Secure)
                {
                    answer.Dnssec = DnssecStatus.Bogus;
                    answer.Reason = $"SERVFAIL from the validating resolver {Description}, and {suffix} has a secure DS set: the signatures do not validate";
                    return;
                }
                if (!ds.Answered && !signedAbove)
                {
                    // No DS to be had here (outside the resolver's view, or above its trust anchor): is this a signed apex?
                    DnsAnswer keys = await QueryAsync(suffix, DnsRecordType.DNSKEY, false, cancel).ConfigureAwait(false);
                    if (keys.Succeeded && keys.RecordCount > 0 && keys.Dnssec == DnssecStatus.Secure) { signedAbove = true; anchor = suffix; }
                    continue;
                }
                if (!ds.Answered || ds.Dnssec != DnssecStatus.Secure) break;
                if (signedAbove && i > 0)
                {
                    DnsAnswer ns = await QueryAsync(suffix, DnsRecordType.NS, false, cancel).ConfigureAwait(false);
                    if (!ns.Answered || ns.RecordCount > 0) { signedAbove = false; break; }   // an insecure delegation, or cannot tell
                }
            }
            if (signedAbove)
            {
                answer.Dnssec = DnssecStatus.Bogus;
                answer.Reason = $"SERVFAIL from the validating resolver {Description} inside the signed zone {anchor}: the signatures do not validate";
                return;
            }
            answer.Reason = $"SERVFAIL from {Description}; no secure DS or DNSKEY above the name, so not a DNSSEC failure as far as can be seen";
        }

        private static IReadOnlyList<string> FollowCnames(string name, IReadOnlyList<DnsResourceRecord> answers)
        {
            var chain = new List<string> { name };
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { name };
            string current = name;
            for (int hop = 0; hop < MaxCnameHops; hop++)
            {
                var cname = answers.OfType<CNameRecord>().FirstOrDefault(r => string.Equals(Normalize(r.DomainName.Value), current, StringComparison.OrdinalIgnoreCase));
                if (cname == null) break;
                string target = Normalize(cname.CanonicalName.Value);
                // A loop in the answer: stop where it closes.
                if (!seen.Add(target)) break;
                chain.Add(target);
                current = target;
            }
            return chain;
        }

        /// <summary>Lower case, no trailing dot: the form every name here is compared in.</summary>
        public static string Normalize(string name) => name.Trim().TrimEnd('.').ToLowerInvariant();

        private static string Join(string a, string b) => a.Length == 0 ? b : a + "; " + b;
    }
}
