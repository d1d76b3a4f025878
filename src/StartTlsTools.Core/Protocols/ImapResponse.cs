using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using StartTlsTools.Transport;

namespace StartTlsTools.Protocols
{
    /// <summary>One IMAP response line (RFC 9051 / RFC 3501): untagged "*", continuation "+", or tagged.</summary>
    public sealed class ImapResponse
    {
        /// <summary>Untagged lines tolerated before the tagged completion: a bound against hostile chatter.</summary>
        public const int MaxUntaggedLines = 1000;

        private ImapResponse(string tag, string status, string text, string line)
        {
            Tag = tag;
            Status = status;
            Text = text;
            Line = line;
        }

        /// <summary>"*", "+", or the command tag.</summary>
        public string Tag { get; }
        /// <summary>OK, NO, BAD, BYE, PREAUTH, CAPABILITY, ... upper-cased; empty for continuations.</summary>
        public string Status { get; }
        /// <summary>Everything after the status word.</summary>
        public string Text { get; }
        public string Line { get; }
        public bool IsUntagged => Tag == "*";

        public static ImapResponse Parse(string line, string step)
        {
            if (line.StartsWith("+", StringComparison.Ordinal)) return new ImapResponse("+", "", line.Substring(1).Trim(), line);
            int space = line.IndexOf(' ');
            if (space <= 0)
                throw new StartTlsProtocolException($"The server sent a line that is not an IMAP response during {step}: '{ServerText.Shorten(line)}'.");
            string tag = line.Substring(0, space);
            string rest = line.Substring(space + 1);
            int next = rest.IndexOf(' ');
            string status = (next < 0 ? rest : rest.Substring(0, next)).ToUpperInvariant();
            string text = next < 0 ? "" : rest.Substring(next + 1);
            if (status.Length == 0)
                throw new StartTlsProtocolException($"The server sent an IMAP response without a status during {step}: '{ServerText.Shorten(line)}'.");
            return new ImapResponse(tag, status, text, line);
        }

        /// <summary>The atoms of a CAPABILITY response code in the text ("[CAPABILITY a b] ..."), or null.</summary>
        public IReadOnlyList<string>? CapabilityResponseCode()
        {
            if (!Text.StartsWith("[", StringComparison.Ordinal)) return null;
            int close = Text.IndexOf(']');
            if (close < 0) return null;
            string code = Text.Substring(1, close - 1);
            if (!code.StartsWith("CAPABILITY ", StringComparison.OrdinalIgnoreCase)) return null;
            return Atoms(code.Substring("CAPABILITY ".Length));
        }

        public static string[] Atoms(string text) => text.Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries);

        /// <summary>Reads until the tagged completion of <paramref name="tag"/>; returns it and the untagged lines before it.</summary>
        public static async Task<(ImapResponse Completion, List<ImapResponse> Untagged)> ReadCompletionAsync(ProtocolSession session, string tag, string step)
        {
            var untagged = new List<ImapResponse>();
            while (true)
            {
                var response = Parse(await session.ReadLineAsync(step).ConfigureAwait(false), step);
                if (response.Tag == tag) return (response, untagged);
                if (response.IsUntagged && response.Status == "BYE") return (response, untagged);
                if (!response.IsUntagged)
                    throw new StartTlsProtocolException($"The server sent a response with an unexpected tag '{ServerText.Shorten(response.Tag)}' during {step}.");
                untagged.Add(response);
                if (untagged.Count > MaxUntaggedLines)
                    throw new StartTlsProtocolException($"The server sent more than {MaxUntaggedLines} untagged lines during {step}.");
            }
        }
    }
}
