using System;
using System.Net;
using System.Net.Sockets;

namespace StartTlsTools
{
    /// <summary>Syntax checks for host names, so bad input is rejected before any connection.</summary>
    public static class HostNameRules
    {
        /// <summary>Null when <paramref name="host"/> is a usable host name or IP literal; otherwise why not.</summary>
        public static string? Check(string? host)
        {
            if (host == null || host.Trim().Length == 0) return "The host name is empty.";
            if (host != host.Trim()) return $"The host name '{host}' has leading or trailing white space.";
            if (TryParseAddress(host, out _)) return null;
            string name = host.EndsWith(".", StringComparison.Ordinal) ? host.Substring(0, host.Length - 1) : host;
            if (name.Length == 0 || name.Length > 253) return $"The host name '{host}' is not between 1 and 253 characters.";
            foreach (string label in name.Split('.'))
            {
                if (label.Length == 0 || label.Length > 63)
                    return $"The host name '{host}' has an empty label or a label longer than 63 characters.";
                if (label[0] == '-' || label[label.Length - 1] == '-')
                    return $"The host name '{host}' has a label that starts or ends with '-'.";
                foreach (char c in label)
                {
                    // Underscore is tolerated: it appears in real internal names even though DNS host rules forbid it.
                    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
                    if (!ok) return $"The host name '{host}' contains the character '{c}', which is not valid in a host name.";
                }
            }
            return null;
        }

        /// <summary>Parses IPv4, IPv6 and bracketed IPv6 literals ("[::1]").</summary>
        public static bool TryParseAddress(string host, out IPAddress address)
        {
            string candidate = host.Length > 2 && host[0] == '[' && host[host.Length - 1] == ']' ? host.Substring(1, host.Length - 2) : host;
            if (IPAddress.TryParse(candidate, out IPAddress? parsed) && parsed != null
                && (parsed.AddressFamily == AddressFamily.InterNetworkV6 || candidate.Split('.').Length == 4))
            {
                address = parsed;
                return true;
            }
            address = IPAddress.None;
            return false;
        }

        /// <summary>An SMTP address literal such as "[192.0.2.1]" or "[IPv6:2001:db8::1]".</summary>
        public static bool IsAddressLiteral(string value)
        {
            if (value.Length < 3 || value[0] != '[' || value[value.Length - 1] != ']') return false;
            string inner = value.Substring(1, value.Length - 2);
            if (inner.StartsWith("IPv6:", StringComparison.OrdinalIgnoreCase)) inner = inner.Substring(5);
            return IPAddress.TryParse(inner, out _);
        }

        /// <summary>The name as certificates and SNI see it: no brackets, no trailing dot.</summary>
        public static string Normalize(string host)
        {
            if (TryParseAddress(host, out IPAddress address)) return address.ToString();
            return host.TrimEnd('.');
        }

        /// <summary>This machine's fully qualified name, the polite default for EHLO.</summary>
        public static string LocalHelloName()
        {
            try
            {
                var props = System.Net.NetworkInformation.IPGlobalProperties.GetIPGlobalProperties();
                string fqdn = string.IsNullOrEmpty(props.DomainName) ? props.HostName : props.HostName + "." + props.DomainName;
                if (HostNameRules.Check(fqdn) == null) return fqdn;
            }
            catch (Exception ex) when (ex is System.Net.NetworkInformation.NetworkInformationException || ex is PlatformNotSupportedException)
            {
                // Fall through to the machine name.
            }
            string machine = Environment.MachineName;
            return HostNameRules.Check(machine) == null ? machine : "localhost";
        }
    }
}
