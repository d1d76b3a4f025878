using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using StartTlsTools.Resolution;

namespace StartTlsTools.MailDomain
{
    /// <summary>What kind of MX set a domain has.</summary>
    public enum MxSetKind
    {
        Records = 0,
        NullMx = 1,
        Implicit = 2,
        DomainNotFound = 3,
        LookupFailed = 4,
    }

    /// <summary>One MX host with its addresses and what is wrong with it.</summary>
    public sealed class MxHost
    {
        public int Preference { get; set; }
        public string Name { get; set; } = "";
        public MailExchangerSource Source { get; set; }
        public IReadOnlyList<IPAddress> Addresses { get; set; } = new IPAddress[0];
        public DnsLookupStatus AddressLookup { get; set; }
        public DnssecStatus AddressDnssec { get; set; }
        public bool IsCname { get; set; }
        public string CanonicalName { get; set; } = "";
        public bool IsIpLiteral { get; set; }
        public string Reason { get; set; } = "";
        /// <summary>The A (or AAAA) answer, for the TLSA name rules of RFC 7672 section 2.2.2.</summary>
        public DnsAnswer? AddressAnswer { get; set; }
        public List<Finding> Findings { get; } = new List<Finding>();
    }

    /// <summary>A domain's mail exchangers, in the order a sender tries them.</summary>
    public sealed class MxSet
    {
        public string Domain { get; set; } = "";
        public MxSetKind Kind { get; set; }
        public DnssecStatus MxDnssec { get; set; }
        public string Summary { get; set; } = "";
        public List<MxHost> Hosts { get; } = new List<MxHost>();
        /// <summary>Findings about the domain as a whole (null MX, implicit MX, the MX lookup).</summary>
        public List<Finding> Findings { get; } = new List<Finding>();
    }

    /// <summary>
    /// MX resolution as a sender does it (RFC 5321 section 5.1, RFC 7505): MX records by preference, each host's
    /// addresses; the null MX; no MX records means the domain's own addresses. Never throws for what DNS answers.
    /// </summary>
    public static class MxResolver
    {
        public static async Task<MxSet> ResolveAsync(string domain, IDnsResolver resolver, CancellationToken cancel)
        {
            string name = DnsClientResolver.Normalize(domain);
            var set = new MxSet { Domain = name };
            DnsAnswer mx = await resolver.QueryAsync(name, DnsRecordType.MX, cancel).ConfigureAwait(false);
            set.MxDnssec = mx.Dnssec;

            if (mx.Status == DnsLookupStatus.Success)
            {
                if (mx.MxRecords.Any(r => r.Exchange.Length == 0))
                {
                    set.Kind = MxSetKind.NullMx;
                    bool alone = mx.MxRecords.Count == 1;
                    set.Summary = alone ? "Null MX: the domain accepts no mail." : "Null MX beside other MX records (RFC 7505 section 3 allows it only alone); senders treat the domain as accepting no mail.";
                    set.Findings.Add(MailDomainFindings.NullMx(name));
                    return set;
                }
                set.Kind = MxSetKind.Records;
                // Equal preferences are tried in random order by senders (RFC 5321 section 5.1); by name here, so output is stable.
                foreach (MxRecordData record in mx.MxRecords.OrderBy(r => r.Preference).ThenBy(r => r.Exchange, StringComparer.Ordinal))
                    set.Hosts.Add(new MxHost { Preference = record.Preference, Name = record.Exchange, Source = MailExchangerSource.Mx });
                set.Summary = $"{set.Hosts.Count} MX record(s).";
                await Task.WhenAll(set.Hosts.Select(h => ResolveHostAsync(h, resolver, cancel))).ConfigureAwait(false);
                return set;
            }
            if (mx.Status == DnsLookupStatus.NoRecords)
            {
                set.Kind = MxSetKind.Implicit;
                var host = new MxHost { Preference = 0, Name = name, Source = MailExchangerSource.ImplicitMx };
                set.Hosts.Add(host);
                await ResolveHostAsync(host, resolver, cancel).ConfigureAwait(false);
                set.MxDnssec = mx.Dnssec;
                set.Summary = "No MX records: the domain's own address is the implicit MX.";
                if (host.Addresses.Count > 0) set.Findings.Add(MailDomainFindings.ImplicitMx(name));
                return set;
            }
            if (mx.Status == DnsLookupStatus.NameNotFound)
            {
                set.Kind = MxSetKind.DomainNotFound;
                set.Summary = "The domain does not exist (NXDOMAIN).";
                set.Findings.Add(MailDomainFindings.DomainNotFound(name));
                return set;
            }
            set.Kind = MxSetKind.LookupFailed;
            set.Summary = $"The MX lookup failed: {mx.Status}. {mx.Reason}";
            set.Findings.Add(mx.Dnssec == DnssecStatus.Bogus
                ? MailDomainFindings.DnssecBogus(name + " MX", mx.Reason)
                : MailDomainFindings.MxLookupFailed(name + " MX", $"{mx.Status}: {mx.Reason}"));
            return set;
        }

        private static async Task ResolveHostAsync(MxHost host, IDnsResolver resolver, CancellationToken cancel)
        {
            host.CanonicalName = host.Name;
            if (HostNameRules.TryParseAddress(host.Name, out _) || LooksLikeAddress(host.Name))
            {
                // An MX cannot hold an address; senders look it up as a name, which finds nothing.
                host.IsIpLiteral = true;
                host.AddressLookup = DnsLookupStatus.NameNotFound;
                host.Reason = "The MX record holds an IP address, not a host name.";
                host.Findings.Add(MailDomainFindings.MxIsIpLiteral(host.Name));
                return;
            }
            Task<DnsAnswer> a = resolver.QueryAsync(host.Name, DnsRecordType.A, cancel);
            Task<DnsAnswer> aaaa = resolver.QueryAsync(host.Name, DnsRecordType.AAAA, cancel);
            DnsAnswer[] answers = await Task.WhenAll(a, aaaa).ConfigureAwait(false);
            DnsAnswer primary = answers[0].Succeeded || !answers[1].Succeeded ? answers[0] : answers[1];
            host.AddressAnswer = primary;
            host.Addresses = answers.SelectMany(x => x.Addresses).Distinct().ToList();
            host.AddressDnssec = primary.Dnssec;
            host.AddressLookup = host.Addresses.Count > 0 ? DnsLookupStatus.Success : primary.Status;
            DnsAnswer? aliased = answers.FirstOrDefault(x => x.HasCname);
            if (aliased != null)
            {
                host.IsCname = true;
                host.CanonicalName = aliased.CanonicalName;
                host.Findings.Add(MailDomainFindings.MxIsCname(host.Name, aliased.CanonicalName));
            }
            if (host.Addresses.Count > 0)
            {
                host.Reason = $"{host.Addresses.Count} address(es).";
                return;
            }
            DnsAnswer? bogus = answers.FirstOrDefault(x => x.Dnssec == DnssecStatus.Bogus);
            if (bogus != null)
            {
                host.Reason = bogus.Reason;
                host.Findings.Add(MailDomainFindings.DnssecBogus(host.Name, bogus.Reason));
            }
            else if (answers.All(x => x.Answered))
            {
                host.Reason = answers.All(x => x.Status == DnsLookupStatus.NameNotFound) ? "The name does not exist (NXDOMAIN)." : "The name has no A or AAAA records.";
                host.Findings.Add(MailDomainFindings.MxWithoutAddress(host.Name, answers[0].Status == DnsLookupStatus.NameNotFound ? "NXDOMAIN" : "no A or AAAA records"));
            }
            else
            {
                host.Reason = "The address lookup failed: " + DnsAnswer.Describe(answers.Where(x => !x.Answered));
                host.Findings.Add(MailDomainFindings.MxLookupFailed(host.Name, host.Reason));
            }
        }

        /// <summary>"192.0.2.1" as an MX name (written without brackets in a zone); IPv6 cannot be a DNS name at all.</summary>
        private static bool LooksLikeAddress(string name)
        {
            string[] labels = name.Split('.');
            return labels.Length == 4 && labels.All(l => l.Length > 0 && l.Length <= 3 && l.All(char.IsDigit));
        }
    }
}
