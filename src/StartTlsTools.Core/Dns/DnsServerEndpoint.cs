using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace StartTlsTools.Resolution
{
    /// <summary>Parses -DnsServer / --dns-server: "address", "address:port", "[v6]:port" or a bare IPv6 address.</summary>
    public static class DnsServerEndpoint
    {
        public const int DefaultPort = 53;

        /// <summary>Null and the endpoint when valid; otherwise a message a user can act on.</summary>
        public static string? TryParse(string? text, out IPEndPoint endpoint)
        {
            endpoint = new IPEndPoint(IPAddress.Loopback, DefaultPort);
            string value = (text ?? "").Trim();
            if (value.Length == 0) return "The DNS server is empty: give an IP address, optionally with :port.";
            string host = value;
            int port = DefaultPort;
            if (value.StartsWith("[", System.StringComparison.Ordinal))
            {
                int close = value.IndexOf(']');
                if (close < 0) return $"The DNS server '{value}' has '[' without ']'.";
                host = value.Substring(1, close - 1);
                string rest = value.Substring(close + 1);
                if (rest.Length > 0 && (!rest.StartsWith(":", System.StringComparison.Ordinal) || !TryPort(rest.Substring(1), out port)))
                    return $"The DNS server '{value}' has an invalid port: use 1 to 65535.";
            }
            else if (value.IndexOf(':') == value.LastIndexOf(':') && value.IndexOf(':') > 0)
            {
                int colon = value.IndexOf(':');
                host = value.Substring(0, colon);
                if (!TryPort(value.Substring(colon + 1), out port)) return $"The DNS server '{value}' has an invalid port: use 1 to 65535.";
            }
            if (!IPAddress.TryParse(host, out IPAddress? address) || address == null ||
                (address.AddressFamily != AddressFamily.InterNetwork && address.AddressFamily != AddressFamily.InterNetworkV6) ||
                (address.AddressFamily == AddressFamily.InterNetwork && host.Split('.').Length != 4))
                return $"The DNS server '{value}' is not an IP address (a name would need a resolver of its own).";
            endpoint = new IPEndPoint(address, port);
            return null;
        }

        public static string Format(IPEndPoint endpoint) =>
            endpoint.AddressFamily == AddressFamily.InterNetworkV6
                ? $"[{endpoint.Address}]:{endpoint.Port.ToString(CultureInfo.InvariantCulture)}"
                : $"{endpoint.Address}:{endpoint.Port.ToString(CultureInfo.InvariantCulture)}";

        private static bool TryPort(string text, out int port) =>
            int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port >= 1 && port <= 65535;
    }
}
