using System;
using System.Net;
using System.Threading.Tasks;
using StartTlsTools.Resolution;

namespace StartTlsTools.Commands
{
    /// <summary>
    /// -DnsServer on every cmdlet that resolves: "address[:port]". Without it, host names go to the system resolver
    /// (the engines' default) and DNS records to the system's configured DNS servers through DnsClient.
    /// </summary>
    internal static class DnsServerParameter
    {
        /// <summary>Null and the endpoint (null when not given) when valid; otherwise the message for InvalidParameter.</summary>
        public static string? TryParse(string? value, out IPEndPoint? endpoint)
        {
            endpoint = null;
            if (value == null) return null;
            string? problem = DnsServerEndpoint.TryParse(value, out IPEndPoint parsed);
            if (problem == null) endpoint = parsed;
            return problem;
        }

        /// <summary>The engines' host-lookup seam: DnsClient on the given server, or null for the system resolver.</summary>
        public static Func<string, Task<IPAddress[]>>? HostLookup(IPEndPoint? endpoint, TimeSpan timeout) =>
            endpoint == null ? null : new DnsClientResolver(endpoint, timeout).LookupHostAsync;
    }
}
