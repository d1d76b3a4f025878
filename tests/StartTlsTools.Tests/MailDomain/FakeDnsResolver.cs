using System;
using System.Collections.Generic;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using StartTlsTools.Resolution;

namespace StartTlsTools.Tests.MailDomain
{
    /// <summary>
    /// Answers from a table, for unit tests of what the mail-domain logic does with DNS answers (the real resolver is
    /// tested against the lab's unbound and against hostile DNS servers). Anything not in the table is NXDOMAIN.
    /// </summary>
    internal sealed class FakeDnsResolver : IDnsResolver
    {
        private readonly Dictionary<(string, DnsRecordType), Func<DnsAnswer>> _answers = new Dictionary<(string, DnsRecordType), Func<DnsAnswer>>();

        public string Description => "fake resolver";
        public bool TrustedToValidate { get; set; } = true;
        public List<string> Asked { get; } = new List<string>();

        public FakeDnsResolver Mx(string name, params (int Preference, string Exchange)[] records) =>
            Add(name, DnsRecordType.MX, a => a.MxRecords = Array.ConvertAll(records, r => new MxRecordData(r.Preference, r.Exchange)));

        public FakeDnsResolver A(string name, params string[] addresses) =>
            Add(name, DnsRecordType.A, a => a.Addresses = Array.ConvertAll(addresses, IPAddress.Parse));

        public FakeDnsResolver Cname(string name, string target, params string[] addresses)
        {
            Add(name, DnsRecordType.A, a => { a.CnameChain = new[] { name, target }; a.Addresses = Array.ConvertAll(addresses, IPAddress.Parse); });
            return Add(name, DnsRecordType.AAAA, a => { a.CnameChain = new[] { name, target }; }, DnsLookupStatus.NoRecords);
        }

        public FakeDnsResolver Txt(string name, params string[] texts) => Add(name, DnsRecordType.TXT, a => a.TextRecords = texts);

        public FakeDnsResolver Tlsa(string name, DnssecStatus dnssec, params TlsaRecord[] records) =>
            Add(name, DnsRecordType.TLSA, a => a.TlsaRecords = records, DnsLookupStatus.Success, dnssec);

        public FakeDnsResolver Empty(string name, DnsRecordType type) => Add(name, type, _ => { }, DnsLookupStatus.NoRecords);

        public FakeDnsResolver Fail(string name, DnsRecordType type, DnsLookupStatus status, DnssecStatus dnssec = DnssecStatus.Unknown) =>
            Add(name, type, _ => { }, status, dnssec);

        public FakeDnsResolver Add(string name, DnsRecordType type, Action<DnsAnswer> fill, DnsLookupStatus status = DnsLookupStatus.Success, DnssecStatus dnssec = DnssecStatus.Secure)
        {
            _answers[(name, type)] = () =>
            {
                var answer = new DnsAnswer(name, type, status, dnssec, status == DnsLookupStatus.Success || status == DnsLookupStatus.NoRecords ? "" : status.ToString())
                {
                    AuthenticatedData = dnssec == DnssecStatus.Secure,
                    CnameChain = new[] { name },
                };
                fill(answer);
                return answer;
            };
            return this;
        }

        public Task<DnsAnswer> QueryAsync(string name, DnsRecordType type, CancellationToken cancel)
        {
            lock (Asked) Asked.Add(name + " " + type);
            return Task.FromResult(_answers.TryGetValue((name, type), out var make)
                ? make()
                : new DnsAnswer(name, type, DnsLookupStatus.NameNotFound, DnssecStatus.Secure, "NotExistentDomain") { CnameChain = new[] { name } });
        }
    }
}
