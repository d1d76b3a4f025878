using System.Collections.Generic;
using System.Linq;
using System.Net;

namespace StartTlsTools.Resolution
{
    /// <summary>What a validating resolver said about an answer's DNSSEC, read from its AD bit (as Postfix does).</summary>
    public enum DnssecStatus
    {
        /// <summary>The resolver is not trusted to validate (not on loopback), or the lookup failed for another reason.</summary>
        Unknown = 0,
        /// <summary>The resolver validated the answer (AD bit set).</summary>
        Secure = 1,
        /// <summary>The answer is unsigned (AD bit clear from a trusted resolver).</summary>
        Insecure = 2,
        /// <summary>The name is signed but validation failed: the resolver answered SERVFAIL.</summary>
        Bogus = 3,
    }

    /// <summary>How one DNS lookup ended. Every ending is data; none throws.</summary>
    public enum DnsLookupStatus
    {
        Success = 0,
        /// <summary>The name exists but has no records of this type (NOERROR, empty answer).</summary>
        NoRecords = 1,
        /// <summary>NXDOMAIN.</summary>
        NameNotFound = 2,
        ServerFailure = 3,
        Refused = 4,
        Timeout = 5,
        /// <summary>Anything else: a malformed or truncated answer that TCP could not repair, a socket error.</summary>
        Failed = 6,
    }

    /// <summary>The record types the mail-domain checks ask for.</summary>
    public enum DnsRecordType
    {
        A = 1,
        NS = 2,
        CNAME = 5,
        MX = 15,
        TXT = 16,
        AAAA = 28,
        DS = 43,
        DNSKEY = 48,
        TLSA = 52,
    }

    /// <summary>One MX record.</summary>
    public sealed class MxRecordData
    {
        public MxRecordData(int preference, string exchange)
        {
            Preference = preference;
            Exchange = exchange;
        }

        public int Preference { get; }
        /// <summary>The exchange's name without the trailing dot; "" for the null MX's ".".</summary>
        public string Exchange { get; }
        public override string ToString() => $"{Preference} {(Exchange.Length == 0 ? "." : Exchange)}";
    }

    /// <summary>
    /// One lookup's answer: the status, the DNSSEC status, and the records of the asked type (after the CNAMEs in the
    /// answer, which are kept in <see cref="CnameChain"/>). Built by a resolver, never thrown.
    /// </summary>
    public sealed class DnsAnswer
    {
        public DnsAnswer(string name, DnsRecordType type, DnsLookupStatus status, DnssecStatus dnssec, string reason)
        {
            Name = name;
            Type = type;
            Status = status;
            Dnssec = dnssec;
            Reason = reason;
        }

        public string Name { get; }
        public DnsRecordType Type { get; }
        public DnsLookupStatus Status { get; }
        public DnssecStatus Dnssec { get; internal set; }
        /// <summary>Why: the rcode, the timeout, how the DNSSEC status was decided.</summary>
        public string Reason { get; internal set; }
        /// <summary>The resolver set the AD bit (whether or not it is trusted to).</summary>
        public bool AuthenticatedData { get; set; }
        /// <summary>Owner names the answer went through, in order: name, its CNAME target, ... (only the name when no CNAME).</summary>
        public IReadOnlyList<string> CnameChain { get; set; } = new string[0];
        public IReadOnlyList<IPAddress> Addresses { get; set; } = new IPAddress[0];
        public IReadOnlyList<MxRecordData> MxRecords { get; set; } = new MxRecordData[0];
        /// <summary>TXT records, each one's strings concatenated (RFC 7208 section 3.3 style).</summary>
        public IReadOnlyList<string> TextRecords { get; set; } = new string[0];
        public IReadOnlyList<TlsaRecord> TlsaRecords { get; set; } = new TlsaRecord[0];
        /// <summary>How many records of the asked type came back (the Bogus check only counts DS, DNSKEY and NS).</summary>
        public int RecordCount { get; set; }

        public bool Succeeded => Status == DnsLookupStatus.Success;
        /// <summary>NOERROR or NXDOMAIN: the resolver answered (an empty answer is still an answer).</summary>
        public bool Answered => Status == DnsLookupStatus.Success || Status == DnsLookupStatus.NoRecords || Status == DnsLookupStatus.NameNotFound;
        /// <summary>The final name after the answer's CNAMEs.</summary>
        public string CanonicalName => CnameChain.Count == 0 ? Name : CnameChain[CnameChain.Count - 1];
        public bool HasCname => CnameChain.Count > 1;

        public override string ToString() => $"{Name} {Type}: {Status}, {Dnssec}" + (Reason.Length > 0 ? " (" + Reason + ")" : "");

        internal static string Describe(IEnumerable<DnsAnswer> answers) => string.Join("; ", answers.Select(a => a.ToString()));
    }
}
