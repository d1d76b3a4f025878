using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;

namespace StartTlsTools.HelpCompiler
{
    internal enum BlockKind
    {
        Heading,
        Code,
        Text,
    }

    /// <summary>
    /// One block of a page as PlatyPS 0.14's parser sees it: a '#' heading, a ``` code block, or the text between
    /// them (PlatyPS keeps all text up to the next heading or code block as one paragraph node, blank lines included).
    /// </summary>
    internal sealed class Block
    {
        public Block(BlockKind kind, int line, string text, int level = 0, string language = "")
        {
            Kind = kind;
            Line = line;
            Text = text;
            Level = level;
            Language = language;
        }

        public BlockKind Kind { get; }

        /// <summary>1-based line of the heading, of the opening ``` or of the first non-blank text line.</summary>
        public int Line { get; }

        /// <summary>Heading text, code (lines joined with \n) or raw Markdown text (lines joined with \n).</summary>
        public string Text { get; }

        public int Level { get; }

        public string Language { get; }

        public bool IsHeading(int level) => Kind == BlockKind.Heading && Level == level;

        public string Describe() => Kind switch
        {
            BlockKind.Heading => $"the heading '{new string('#', Level)} {Text}'",
            BlockKind.Code => "a ``` code block",
            _ => $"the text '{Shorten(Text)}'",
        };

        private static string Shorten(string text)
        {
            string firstLine = text.Split('\n')[0].Trim();
            return firstLine.Length <= 50 ? firstLine : firstLine.Substring(0, 50) + "...";
        }
    }

    /// <summary>A Markdown page split into its front matter (the "key: value" lines between "---") and its blocks.</summary>
    internal sealed class MarkdownPage
    {
        private static readonly Regex UnderlineHeading = new Regex(@"^(==+|--+)[ ]*$");

        private MarkdownPage(string path, IReadOnlyDictionary<string, string?> metadata, IReadOnlyList<Block> blocks)
        {
            Path = path;
            Metadata = metadata;
            Blocks = blocks;
        }

        public string Path { get; }

        /// <summary>Front matter keys (case-insensitive); an empty value is null, as in PlatyPS.</summary>
        public IReadOnlyDictionary<string, string?> Metadata { get; }

        public IReadOnlyList<Block> Blocks { get; }

        public string? Meta(string key) => Metadata.TryGetValue(key, out string? value) ? value : null;

        public static MarkdownPage Parse(string markdown, string path)
        {
            // PlatyPS reads every en dash as a hyphen; doing the same keeps both tools' output equal.
            string[] lines = markdown.Replace("\r\n", "\n").Replace('\r', '\n').Replace('\u2013', '-').Split('\n');
            int index = 0;
            while (index < lines.Length && lines[index].Trim().Length == 0) index++;

            var metadata = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            if (index < lines.Length && lines[index] == "---")
            {
                int opening = index;
                for (index++; index < lines.Length && !lines[index].StartsWith("---", StringComparison.Ordinal); index++)
                {
                    if (lines[index].Trim().Length == 0) continue;
                    if (lines[index].StartsWith("#", StringComparison.Ordinal)) break;
                    var (key, value) = ParseKeyValue(lines[index], path, index + 1);
                    metadata[key] = value;
                }
                if (index == lines.Length || !lines[index].StartsWith("---", StringComparison.Ordinal))
                    throw new HelpSchemaException(path, opening + 1, "the front matter that starts here has no closing '---' line");
                index++;
            }

            var blocks = new List<Block>();
            var text = new List<string>();
            int textLine = 0;
            void FlushText()
            {
                int first = text.FindIndex(l => l.Trim().Length > 0);
                if (first >= 0)
                {
                    int last = text.FindLastIndex(l => l.Trim().Length > 0);
                    blocks.Add(new Block(BlockKind.Text, textLine + first, string.Join("\n", text.Skip(first).Take(last - first + 1))));
                }
                text.Clear();
            }

            for (; index < lines.Length; index++)
            {
                string line = lines[index];
                if (line.TrimStart().StartsWith("```", StringComparison.Ordinal))
                {
                    FlushText();
                    string afterTicks = line.TrimStart().Substring(3);
                    string language = new string(afterTicks.TakeWhile(c => char.IsLetterOrDigit(c) || c == '_').ToArray());
                    int opening = index;
                    var code = new List<string>();
                    for (index++; index < lines.Length && !lines[index].TrimStart().StartsWith("```", StringComparison.Ordinal); index++)
                    {
                        // PlatyPS drops the blank lines right after the opening fence.
                        if (code.Count == 0 && lines[index].Length == 0) continue;
                        code.Add(lines[index]);
                    }
                    if (index == lines.Length) throw new HelpSchemaException(path, opening + 1, "this code block is never closed with ```");
                    // A fence with a language can only open a block: the block above was left open.
                    if (lines[index].TrimStart().Length > 3 && char.IsLetterOrDigit(lines[index].TrimStart()[3]))
                        throw new HelpSchemaException(path, opening + 1, $"this code block is not closed with ``` before the {lines[index].Trim()} on line {index + 1}");
                    blocks.Add(new Block(BlockKind.Code, opening + 1, string.Join("\n", code), language: language));
                }
                else if (line.StartsWith("#", StringComparison.Ordinal))
                {
                    FlushText();
                    int level = line.TakeWhile(c => c == '#').Count();
                    string title = line.Substring(level).Trim().TrimEnd('#').TrimEnd();
                    blocks.Add(new Block(BlockKind.Heading, index + 1, title, level));
                }
                else
                {
                    // PlatyPS would read the text line above this one as a heading ("Title" over "====" or "----").
                    if (UnderlineHeading.IsMatch(line) && text.Count > 0 && text[text.Count - 1].Trim().Length > 0)
                        throw new HelpSchemaException(path, index + 1, "a line of only '=' or '-' turns the line above into a heading; use '#' headings");
                    if (text.Count == 0) textLine = index + 1;
                    text.Add(line);
                }
            }
            FlushText();
            return new MarkdownPage(path, metadata, blocks);
        }

        /// <summary>PlatyPS's "simple key-value pairs": split at the first ':', both sides trimmed, empty value = null.</summary>
        internal static (string Key, string? Value) ParseKeyValue(string line, string path, int lineNumber)
        {
            int colon = line.IndexOf(':');
            if (colon < 0) throw new HelpSchemaException(path, lineNumber, $"expected 'key: value', found '{line.Trim()}'");
            string value = line.Substring(colon + 1).Trim();
            return (line.Substring(0, colon).Trim(), value.Length == 0 ? null : value);
        }
    }
}
