using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using StartTlsTools.Transport;

namespace StartTlsTools.Tls
{
    /// <summary>RFC 6125 name checks: DNS SANs with a left-most wildcard, IP SANs for literals, CN only when there are no DNS SANs.</summary>
    public static class HostnameMatcher
    {
        private const string SubjectAltNameOid = "2.5.29.17";

        public sealed class SubjectAltNames
        {
            public List<string> Dns { get; } = new List<string>();
            public List<IPAddress> IPAddresses { get; } = new List<IPAddress>();
            public List<string> Other { get; } = new List<string>();

            public IEnumerable<string> Describe() =>
                Dns.Select(d => "DNS:" + d).Concat(IPAddresses.Select(i => "IP:" + i)).Concat(Other);
        }

        public static SubjectAltNames ReadSubjectAltNames(X509Certificate2 certificate)
        {
            var names = new SubjectAltNames();
            foreach (X509Extension extension in certificate.Extensions)
            {
                if (extension.Oid?.Value != SubjectAltNameOid) continue;
                try
                {
                    var sequence = new DerReader(extension.RawData).ReadNested(0x30);
                    while (sequence.HasData)
                    {
                        var (tag, offset, length) = sequence.ReadElement();
                        byte[] value = sequence.Bytes(offset, length);
                        switch (tag)
                        {
                            case 0x82: names.Dns.Add(Encoding.ASCII.GetString(value)); break;
                            case 0x87 when length == 4 || length == 16: names.IPAddresses.Add(new IPAddress(value)); break;
                            case 0x81: names.Other.Add("email:" + Encoding.ASCII.GetString(value)); break;
                            case 0x86: names.Other.Add("URI:" + Encoding.ASCII.GetString(value)); break;
                        }
                    }
                }
                catch (StartTlsProtocolException)
                {
                    names.Other.Add("(malformed subjectAltName)");
                }
            }
            return names;
        }

        public static bool Matches(X509Certificate2 certificate, string host)
        {
            var names = ReadSubjectAltNames(certificate);
            if (HostNameRules.TryParseAddress(host, out IPAddress address))
                return names.IPAddresses.Any(a => a.Equals(address));
            string name = host.TrimEnd('.');
            if (names.Dns.Count > 0) return names.Dns.Any(pattern => MatchesPattern(pattern, name));
            string? commonName = certificate.GetNameInfo(X509NameType.SimpleName, false);
            return commonName != null && MatchesPattern(commonName, name);
        }

        /// <summary>Exact match, or "*.example.com" matching exactly one left-most label.</summary>
        public static bool MatchesPattern(string pattern, string host)
        {
            pattern = pattern.TrimEnd('.');
            if (string.Equals(pattern, host, StringComparison.OrdinalIgnoreCase)) return true;
            if (!pattern.StartsWith("*.", StringComparison.Ordinal)) return false;
            int dot = host.IndexOf('.');
            if (dot <= 0) return false;
            string suffix = pattern.Substring(1);
            // A wildcard never spans a public-suffix-like single label ("*.com").
            return suffix.IndexOf('.', 1) > 0 && string.Equals(host.Substring(dot), suffix, StringComparison.OrdinalIgnoreCase);
        }
    }
}
