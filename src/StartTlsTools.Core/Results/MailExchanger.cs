using StartTlsTools.Resolution;

namespace StartTlsTools
{
    /// <summary>Where a domain's mail host came from.</summary>
    public enum MailExchangerSource
    {
        /// <summary>An MX record.</summary>
        Mx = 0,
        /// <summary>No MX records: the domain's own address records (RFC 5321 section 5.1).</summary>
        ImplicitMx = 1,
    }

    /// <summary>
    /// One mail exchanger of a domain (Resolve-MailExchanger): flat, and shaped to bind by property name into
    /// Test-StartTls, Get-TlsCapability and Test-StartTlsInjection (HostName, Port 25, Protocol Smtp).
    /// </summary>
    public sealed class MailExchanger
    {
        public string Domain { get; set; } = "";
        public int Preference { get; set; }
        /// <summary>The exchange's name as the MX record gives it (the domain itself for an implicit MX).</summary>
        public string HostName { get; set; } = "";
        public int Port { get; set; } = 25;
        public StartTlsProtocol Protocol { get; set; } = StartTlsProtocol.Smtp;
        public MailExchangerSource Source { get; set; }
        /// <summary>The host's IPv4 and IPv6 addresses; empty when it has none.</summary>
        public TextList IPAddresses { get; set; } = TextList.Empty;
        /// <summary>How the address lookup ended.</summary>
        public DnsLookupStatus AddressLookup { get; set; }
        /// <summary>DNSSEC status of the MX answer (of the address answer for an implicit MX).</summary>
        public DnssecStatus MxDnssec { get; set; }
        public DnssecStatus AddressDnssec { get; set; }
        /// <summary>The exchange's name is an alias (CNAME), which RFC 5321 section 5.1 and RFC 2181 section 10.3 forbid.</summary>
        public bool IsCname { get; set; }
        /// <summary>The name after the aliases; the host name itself when there is none.</summary>
        public string CanonicalName { get; set; } = "";
        /// <summary>The exchange is written as an IP address, which an MX record cannot hold.</summary>
        public bool IsIpLiteral { get; set; }
        public string Reason { get; set; } = "";
        /// <summary>The resolver asked.</summary>
        public string DnsServer { get; set; } = "";
        public FindingList Findings { get; set; } = FindingList.Empty;
        public string FindingIds => Findings.ToString();
    }
}
