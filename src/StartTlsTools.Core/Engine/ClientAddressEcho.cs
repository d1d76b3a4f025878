using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;
using StartTlsTools.Transport;

namespace StartTlsTools
{
    /// <summary>
    /// Finds this client's own address in what the server said before TLS: Exim's "250-mx Hello client [203.0.113.7]",
    /// Sendmail's "Hello client [addr], pleased to meet you". A plain search with boundary checks, no regex.
    /// </summary>
    public static class ClientAddressEcho
    {
        /// <summary>The address as the server wrote it, or null when no plaintext server line contains it.</summary>
        public static string? Find(IEnumerable<TranscriptEntry> entries, IPAddress local)
        {
            if (local.IsIPv4MappedToIPv6) local = local.MapToIPv4();
            string address = local.ToString();
            foreach (TranscriptEntry entry in entries)
            {
                if (entry.Direction != TranscriptDirection.Server || entry.Phase != TranscriptPhase.Plain) continue;
                if (Contains(entry.Text, address, local.AddressFamily == AddressFamily.InterNetworkV6)) return address;
            }
            return null;
        }

        /// <summary>Whether <paramref name="address"/> stands on its own in the text (not part of a longer number or address).</summary>
        public static bool Contains(string text, string address, bool ipv6)
        {
            for (int at = text.IndexOf(address, StringComparison.OrdinalIgnoreCase); at >= 0;
                 at = text.IndexOf(address, at + 1, StringComparison.OrdinalIgnoreCase))
            {
                int end = at + address.Length;
                bool before = at == 0 || !IsAddressChar(text[at - 1], ipv6)
                    || (ipv6 && at >= 5 && string.Compare(text, at - 5, "IPv6:", 0, 5, StringComparison.OrdinalIgnoreCase) == 0);
                bool after = end == text.Length || !IsAddressChar(text[end], ipv6);
                if (before && after) return true;
            }
            return false;
        }

        private static bool IsAddressChar(char c, bool ipv6) =>
            c >= '0' && c <= '9' || c == '.' || (ipv6 && (c == ':' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'));
    }
}
