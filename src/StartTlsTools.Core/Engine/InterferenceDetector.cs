using System.Linq;
using System.Text;
using StartTlsTools.Protocols;
using StartTlsTools.Transport;

namespace StartTlsTools
{
    /// <summary>
    /// Tells "something on the path interfered with STARTTLS" from "the server does not offer it", from what the test
    /// saw: a masked keyword in the capability list, an "unrecognized" answer to an advertised STARTTLS (the dialect
    /// reports that one), or plaintext where the TLS handshake should be. Typed outcome plus the evidence as seen.
    /// </summary>
    internal static class InterferenceDetector
    {
        public static void Record(StartTlsResult result, PlainPhaseOutcome? plain, ProtocolRules rules, ProtocolSession? session)
        {
            if (plain != null && plain.Interference != StartTlsInterference.None)
            {
                result.Interference = plain.Interference;
                result.InterferenceEvidence = plain.InterferenceEvidence;
                return;
            }
            if (plain != null && plain.StopStatus == StartTlsStatus.NotOffered && !plain.StartTlsOffered)
            {
                string? masked = plain.Capabilities.FirstOrDefault(rules.IsMaskedStartTls);
                if (masked != null)
                {
                    result.Interference = StartTlsInterference.MaskedStartTls;
                    result.InterferenceEvidence = $"'{masked}' in the capability list where {rules.StartTlsKeyword} belongs";
                    return;
                }
            }
            if (result.Status == StartTlsStatus.HandshakeFailed && session != null)
            {
                byte[] first = session.FirstHandshakeBytesReceived;
                if (first.Length > 0 && !LooksLikeTls(first))
                {
                    result.Interference = StartTlsInterference.NonTlsAfterGoAhead;
                    result.InterferenceEvidence = "after the go-ahead the server side sent '" + AsText(first) + "' instead of a TLS record";
                }
            }
        }

        /// <summary>A TLS record header (content type 20-24, version major 3), or an SSLv2-style record (high bit set).</summary>
        public static bool LooksLikeTls(byte[] bytes)
        {
            byte type = bytes[0];
            if (type >= 0x80) return true;
            return type >= 0x14 && type <= 0x18 && (bytes.Length < 2 || bytes[1] == 0x03);
        }

        /// <summary>The bytes as one line of inert text: up to the first line break, Latin-1, control characters made visible.</summary>
        private static string AsText(byte[] bytes)
        {
            string text = Encoding.GetEncoding("ISO-8859-1").GetString(bytes);
            int end = text.IndexOfAny(new[] { '\r', '\n' });
            if (end >= 0) text = text.Substring(0, end);
            return ServerText.Shorten(ServerText.Inert(text), 60);
        }
    }
}
