using System;
using System.Collections.Generic;
using System.Linq;

namespace StartTlsTools.Protocols
{
    /// <summary>
    /// Reads why a server turned a session away (a 421/554 greeting, 421 mid-dialogue, an IMAP BYE, a MySQL ERR
    /// greeting) into an <see cref="UnavailableKind"/> and, for block lists, the list's name. The reply code gives the
    /// default; a few well-known phrases refine it. Plain substring and token checks, no regex: this is server text.
    /// </summary>
    public static class ServerRefusal
    {
        /// <summary>Phrases that name a block list (Postfix: "blocked using zen.spamhaus.org"; Exim, Sendmail alike).</summary>
        private static readonly string[] BlockListPhrases =
        {
            "blocked using", "listed in", "listed at", "listed on", "listed by", "blacklist", "blocklist", "block list",
            "black list", "dnsbl", "denylist",
        };

        /// <summary>Words in the names of widely used DNS block lists.</summary>
        private static readonly string[] BlockListZoneWords =
        {
            "spamhaus", "spamcop", "barracudacentral", "sorbs", "uceprotect", "psbl", "mailspike", "abuseat", "spameatingmonkey",
            "0spam", "backscatterer", "surbl", "dnsbl", "rbl", "blocklist", "blacklist",
        };

        private static readonly string[] RateLimitPhrases =
        {
            "too many", "connection limit", "connections limit", "rate limit", "ratelimit", "rate-limit", "throttl",
            "slow down", "max connections", "maximum number of connections", "concurrent connections", "connection rate", "busy", "overload",
        };

        private static readonly char[] TokenSeparators = { ' ', '\t', '(', ')', '[', ']', '<', '>', ';', ',', '"', '\'', '=' };

        /// <summary>
        /// The kind of refusal: <paramref name="byCode"/> unless the words say more. A named block list wins over a rate
        /// limit; an SMTP 421 with an enhanced code 4.7.x (policy) and no other words is a rate limit.
        /// </summary>
        public static UnavailableKind Classify(string replyText, UnavailableKind byCode)
        {
            string text = replyText.ToLowerInvariant();
            if (BlockListPhrases.Any(text.Contains) || BlockListName(replyText) != null) return UnavailableKind.BlockListed;
            if (RateLimitPhrases.Any(text.Contains)) return UnavailableKind.RateLimited;
            return byCode;
        }

        /// <summary>The SMTP reading: 421 closes (4.7.x: policy, a rate limit), 5xx rejects; then the words.</summary>
        public static UnavailableKind ClassifySmtp(SmtpReply reply)
        {
            UnavailableKind byCode = reply.Code >= 500
                ? UnavailableKind.Rejected
                : reply.EnhancedStatusCode != null && reply.EnhancedStatusCode.StartsWith("4.7.", StringComparison.Ordinal)
                    ? UnavailableKind.RateLimited
                    : UnavailableKind.Closing;
            return Classify(string.Join(" ", reply.Lines), byCode);
        }

        /// <summary>
        /// The block list a refusal names ("zen.spamhaus.org", "bl.spamcop.net"): the DNS name after "using", "in", "at"
        /// or "by", or any DNS name carrying a well-known list's name. Null when none is named.
        /// </summary>
        public static string? BlockListName(string replyText)
        {
            string[] tokens = replyText.Split(TokenSeparators, StringSplitOptions.RemoveEmptyEntries)
                .Select(t => t.TrimEnd('.', ':', ',', ';', '!')).ToArray();
            for (int i = 1; i < tokens.Length; i++)
            {
                string previous = tokens[i - 1].ToLowerInvariant();
                if ((previous == "using" || previous == "in" || previous == "at" || previous == "by") && LooksLikeDnsName(tokens[i])
                    && i >= 2 && (tokens[i - 2].Equals("blocked", StringComparison.OrdinalIgnoreCase) || tokens[i - 2].Equals("listed", StringComparison.OrdinalIgnoreCase)))
                    return tokens[i];
            }
            foreach (string token in tokens)
            {
                string lower = token.ToLowerInvariant();
                if (LooksLikeDnsName(token) && BlockListZoneWords.Any(lower.Contains)) return token;
            }
            return null;
        }

        /// <summary>At least two labels of letters, digits and hyphens, with a letter in the last one.</summary>
        private static bool LooksLikeDnsName(string token)
        {
            if (token.Length < 4 || token.Length > 253) return false;
            string[] labels = token.Split('.');
            if (labels.Length < 2) return false;
            foreach (string label in labels)
            {
                if (label.Length == 0 || label.Length > 63) return false;
                foreach (char c in label)
                    if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-')) return false;
            }
            return labels[labels.Length - 1].Any(char.IsLetter);
        }

        /// <summary>"rate limit", "block list", ...: how reasons and findings name a kind.</summary>
        public static string Describe(UnavailableKind kind)
        {
            switch (kind)
            {
                case UnavailableKind.RateLimited: return "a rate or connection limit";
                case UnavailableKind.BlockListed: return "a block list";
                case UnavailableKind.Rejected: return "a policy refusal";
                default: return "the service closing the session";
            }
        }

        /// <summary>Applies the verdict to a plaintext outcome: Status Unavailable, the kind, the list's name, a reason quoting the reply.</summary>
        public static PlainPhaseOutcome Stop(PlainPhaseOutcome outcome, UnavailableKind kind, string when, string reply)
        {
            outcome.Unavailable = kind;
            outcome.BlockList = kind == UnavailableKind.BlockListed ? BlockListName(reply) : null;
            string list = outcome.BlockList != null ? $" {outcome.BlockList}" : "";
            return PlainPhaseOutcome.Stop(outcome, StartTlsStatus.Unavailable,
                $"The server turned the session away {when}, which reads as {Describe(kind)}{list}: '{ServerText.Shorten(reply, 160)}'.");
        }

        /// <summary>Every kind, for documentation and tests.</summary>
        public static IReadOnlyList<UnavailableKind> Kinds => (UnavailableKind[])Enum.GetValues(typeof(UnavailableKind));
    }
}
