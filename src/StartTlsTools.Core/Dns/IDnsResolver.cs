using System.Threading;
using System.Threading.Tasks;

namespace StartTlsTools.Resolution
{
    /// <summary>
    /// The record-level resolver seam of the mail-domain checks (MX, TLSA, TXT, A/AAAA with DNSSEC status).
    /// Implementations never throw for anything the network or a server does: every ending is a <see cref="DnsAnswer"/>.
    /// Plain host lookups for a connection keep the engines' <c>Func&lt;string, Task&lt;IPAddress[]&gt;&gt;</c> seam;
    /// <see cref="DnsClientResolver.LookupHostAsync"/> fits it.
    /// </summary>
    public interface IDnsResolver
    {
        /// <summary>Who answers, for reasons and warnings: "127.0.0.1:53" or "the system's resolvers (...)".</summary>
        string Description { get; }

        /// <summary>
        /// Whether this resolver's AD bit may be believed: true only when every server it asks is on loopback, where no
        /// one can flip the bit on the way (RFC 6698 section 4, RFC 7672 section 2.1.1).
        /// </summary>
        bool TrustedToValidate { get; }

        Task<DnsAnswer> QueryAsync(string name, DnsRecordType type, CancellationToken cancel);
    }
}
