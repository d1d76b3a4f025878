using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace StartTlsTools.HelpCompiler
{
    internal enum SpanKind
    {
        Plain,
        Emphasis,
        Link,
        HardBreak,
    }

    /// <summary>A piece of a paragraph: plain text, bold or italic text, a [text](uri) link, or a hard line break.</summary>
    internal readonly struct Span
    {
        public Span(SpanKind kind, string text, string uri, int offset)
        {
            Kind = kind;
            Text = text;
            Uri = uri;
            Offset = offset;
        }

        public SpanKind Kind { get; }

        public string Text { get; }

        public string Uri { get; }

        /// <summary>Where the span starts in the block's text (to name the line in an error).</summary>
        public int Offset { get; }
    }

    /// <summary>
    /// PlatyPS 0.14's reading of the text between two headings or code blocks, reproduced so that New-ExternalHelp
    /// and this compiler write the same paragraphs: single line breaks become spaces, a blank line starts a new
    /// paragraph, consecutive "- " / "* " list lines keep their line breaks, ** and * (or __ and _) emphasis loses its
    /// markers, a link becomes "text (uri)", and backslash escapes are removed. Backticks stay as they are.
    /// </summary>
    internal static class InlineText
    {
        /// <summary>Paragraph separator in PlatyPS's text; MamlWriter makes one maml:para per piece.</summary>
        public const string ParagraphBreak = "\r\n";

        // PlatyPS's inline patterns in its priority order: the earliest match wins, and on a tie the first listed.
        private static readonly (SpanKind Kind, Regex Pattern)[] Patterns =
        {
            (SpanKind.HardBreak, new Regex(@"[ ]{2}\n")),
            (SpanKind.Link, new Regex(@"\[(.+?)\]\((.*)\)")),
            (SpanKind.Emphasis, new Regex(@"\*\*(.+?)\*\*")),
            (SpanKind.Emphasis, new Regex(@"\*(.+?)\*")),
            (SpanKind.Emphasis, new Regex(@"(?<![a-zA-Z0-9])__(.+?)__(?![a-zA-Z0-9])")),
            (SpanKind.Emphasis, new Regex(@"(?<![a-zA-Z0-9])_(.+?)_(?![a-zA-Z0-9])")),
        };

        /// <summary>Splits Markdown text (lines joined with \n) into spans; whitespace-only plain text is dropped.</summary>
        public static IReadOnlyList<Span> Spans(string markdown)
        {
            var spans = new List<Span>();
            void AddPlain(int start, int end)
            {
                string raw = markdown.Substring(start, end - start);
                if (raw.Trim().Length > 0) spans.Add(new Span(SpanKind.Plain, Unescape(raw.Trim()), "", start + raw.Length - raw.TrimStart().Length));
            }

            int offset = 0;
            while (offset < markdown.Length)
            {
                Match? best = null;
                SpanKind bestKind = SpanKind.Plain;
                foreach (var (kind, pattern) in Patterns)
                {
                    // Match(input, start, length) hides the text before start from look-behinds, as in PlatyPS.
                    Match match = pattern.Match(markdown, offset, markdown.Length - offset);
                    if (match.Success && (best == null || match.Index < best.Index))
                    {
                        best = match;
                        bestKind = kind;
                        if (match.Index == offset) break;
                    }
                }
                if (best == null)
                {
                    AddPlain(offset, markdown.Length);
                    break;
                }
                if (best.Index > offset) AddPlain(offset, best.Index);
                spans.Add(bestKind switch
                {
                    SpanKind.HardBreak => new Span(SpanKind.HardBreak, "\n", "", best.Index),
                    SpanKind.Link => new Span(SpanKind.Link, best.Groups[1].Value, best.Groups[2].Value, best.Index),
                    _ => new Span(SpanKind.Emphasis, Unescape(best.Groups[1].Value.Trim()), "", best.Index),
                });
                offset = best.Index + best.Length;
            }
            return spans;
        }

        /// <summary>The text PlatyPS puts into MAML for a block: paragraphs separated by <see cref="ParagraphBreak"/>.</summary>
        public static string ToHelpText(string markdown)
        {
            var text = new StringBuilder();
            bool first = true;
            bool previousSpecial = false;
            foreach (Span span in Spans(markdown))
            {
                // Emphasis and links are set off by one space on each side, because every plain span was trimmed.
                bool special = span.Kind == SpanKind.Emphasis || span.Kind == SpanKind.Link;
                if ((!first && special) || previousSpecial) text.Append(' ');
                text.Append(span.Text);
                previousSpecial = special;
                if (span.Kind == SpanKind.Link && span.Uri.Trim().Length > 0)
                {
                    text.Append(" (").Append(span.Uri).Append(')');
                    previousSpecial = false;
                }
                first = false;
            }
            return text.ToString();
        }

        /// <summary>The line of a span inside a block that starts at <paramref name="blockLine"/>.</summary>
        public static int LineOf(string markdown, Span span, int blockLine) =>
            blockLine + markdown.Take(span.Offset).Count(c => c == '\n');

        // PlatyPS's UnwindMarkdownCharsEscaping: remove escapes, then join lines (lists excepted) into paragraphs.
        private static string Unescape(string text)
        {
            text = text
                .Replace(@"\[", "[").Replace(@"\]", "]")
                .Replace(@"\(", "(").Replace(@"\)", ")")
                .Replace(@"\`", "`")
                .Replace(@"\<", "<").Replace(@"\>", ">")
                .Replace(@"\_", "_").Replace(@"\*", "*")
                .Replace(@"\\", @"\");

            var joined = new StringBuilder();
            string previous = "foo";
            bool inList = false;
            foreach (string line in text.Split('\n').Append(""))
            {
                string current = line;
                bool previousIsListItem = IsListItem(previous);
                previous = line;
                if (current.Trim().Length == 0)
                {
                    joined.Append(ParagraphBreak);
                }
                else if (previousIsListItem && IsListItem(current))
                {
                    inList = true;
                    joined.Append(ParagraphBreak).Append(current);
                }
                else
                {
                    if (inList)
                    {
                        // The first line after a list starts a new paragraph.
                        inList = false;
                        current = ParagraphBreak + current;
                    }
                    joined.Append(current).Append(' ');
                }
            }
            return joined.ToString().Replace(" " + ParagraphBreak, ParagraphBreak).Trim();
        }

        private static bool IsListItem(string line) =>
            line.StartsWith("--", StringComparison.Ordinal) || line.StartsWith("- ", StringComparison.Ordinal) || line.StartsWith("* ", StringComparison.Ordinal);
    }
}
