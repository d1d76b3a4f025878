using System.Text;

namespace StartTlsTools.Reporting
{
    /// <summary>
    /// The one escaping routine of the HTML report. Every string that did not come from the report's own code
    /// (server banners, capabilities, certificate names, finding text, titles, command lines, JSON property names)
    /// goes through it, in element text and in attribute values alike: both quote kinds are escaped, so the
    /// output is safe in either. Characters HTML forbids in a document are replaced by visible stand-ins so that
    /// a hostile byte neither breaks the parse nor disappears from the reader's view.
    /// </summary>
    public static class HtmlText
    {
        /// <summary>Longest server-supplied value shown whole; longer ones are cut with a note (the result keeps them).</summary>
        public const int DefaultMaxLength = 8192;

        public static string Escape(string? value, int maxLength = int.MaxValue)
        {
            var builder = new StringBuilder();
            Append(builder, value, maxLength);
            return builder.ToString();
        }

        public static void Append(StringBuilder builder, string? value, int maxLength = DefaultMaxLength)
        {
            if (string.IsNullOrEmpty(value)) return;
            int end = value!.Length <= maxLength ? value.Length : maxLength;
            // Never cut between the halves of a surrogate pair.
            if (end < value.Length && end > 0 && char.IsHighSurrogate(value[end - 1])) end--;
            for (int i = 0; i < end; i++)
            {
                char c = value[i];
                switch (c)
                {
                    case '&': builder.Append("&amp;"); continue;
                    case '<': builder.Append("&lt;"); continue;
                    case '>': builder.Append("&gt;"); continue;
                    case '"': builder.Append("&quot;"); continue;
                    case '\'': builder.Append("&#39;"); continue;
                    case '\t':
                    case '\n':
                    case '\r': builder.Append(c); continue;
                }
                if (c < 0x20) { builder.Append((char)(0x2400 + c)); continue; }   // U+2400.. Control Pictures: "␀", "␛"
                if (c == 0x7F) { builder.Append('\u2421'); continue; }             // "␡"
                if (c >= 0x80 && c <= 0x9F) { builder.Append('\uFFFD'); continue; } // C1 controls
                if (char.IsHighSurrogate(c))
                {
                    if (i + 1 < end && char.IsLowSurrogate(value[i + 1]))
                    {
                        int codePoint = char.ConvertToUtf32(c, value[i + 1]);
                        if ((codePoint & 0xFFFE) == 0xFFFE) builder.Append('\uFFFD');
                        else builder.Append(c).Append(value[i + 1]);
                        i++;
                    }
                    else builder.Append('\uFFFD');
                    continue;
                }
                if (char.IsLowSurrogate(c) || (c >= 0xFDD0 && c <= 0xFDEF) || c == 0xFFFE || c == 0xFFFF) { builder.Append('\uFFFD'); continue; }
                builder.Append(c);
            }
            if (end < value.Length)
                builder.Append(" \u2026 [").Append(value.Length - end).Append(" more characters not shown]");
        }
    }
}
