using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;

namespace StartTlsTools.HelpCompiler
{
    /// <summary>
    /// Turns an about topic's Markdown into the text file Get-Help shows. Headings follow PlatyPS 0.14's
    /// TextRenderer ("TOPIC", then the topic name in lower case; '#' and '##' headings as written, '###' and deeper
    /// indented in capitals). Unlike PlatyPS, which runs tables and lists together into one wrapped paragraph, list
    /// items and table rows keep their own lines: paragraphs and list items are wrapped at 80 columns, table rows and
    /// code are indented and kept as written.
    /// </summary>
    internal static class AboutTopicWriter
    {
        private const int Width = 80;
        private const string Indent = "    ";
        private const string NewLine = "\r\n";

        private static readonly Regex ListItem = new Regex(@"^\s*([-*]|\d+\.)\s+");

        /// <summary>Returns the topic name (from the '## about_Name' line) and the text of about_Name.help.txt.</summary>
        public static (string TopicName, string Text) Convert(string markdown, string path)
        {
            IReadOnlyList<Block> blocks = MarkdownPage.Parse(markdown, path).Blocks;
            if (blocks.Count == 0 || !blocks[0].IsHeading(1))
                throw new HelpSchemaException(path, blocks.FirstOrDefault()?.Line ?? 1, "an about topic starts with its title as a '#' heading");
            if (blocks.Count < 2 || !blocks[1].IsHeading(2) || !Regex.IsMatch(blocks[1].Text, @"^about_\S+$", RegexOptions.IgnoreCase))
                throw new HelpSchemaException(path, blocks.Count < 2 ? blocks[0].Line : blocks[1].Line, "the second heading of an about topic is '## about_Name', the name Get-Help looks up");

            string topic = blocks[1].Text;
            var lines = new List<string> { "TOPIC", Indent + topic.ToLowerInvariant(), "" };
            foreach (Block block in blocks.Skip(2))
            {
                switch (block.Kind)
                {
                    case BlockKind.Heading:
                        lines.Add(block.Level == 1 ? block.Text.ToUpperInvariant() : block.Level == 2 ? block.Text : Indent + block.Text.ToUpperInvariant());
                        break;
                    case BlockKind.Code:
                        lines.AddRange(block.Text.Split('\n').Select(line => (Indent + line).TrimEnd()));
                        lines.Add("");
                        break;
                    default:
                        AddText(block.Text, lines);
                        break;
                }
            }
            return (topic, string.Join(NewLine, lines).TrimEnd() + NewLine);
        }

        // Paragraphs are separated by blank lines; inside one, a list marker starts an item and '|' a table row.
        private static void AddText(string markdown, List<string> lines)
        {
            foreach (string paragraph in Regex.Split(markdown, @"\n[ \t]*\n").Where(p => p.Trim().Length > 0))
            {
                var pending = new List<string>();
                string marker = "";
                void Flush()
                {
                    if (pending.Count == 0) return;
                    string text = InlineText.ToHelpText(string.Join(" ", pending.Select(p => p.Trim())));
                    lines.AddRange(Wrap(marker + text, Indent, Indent + new string(' ', marker.Length)));
                    pending.Clear();
                    marker = "";
                }

                foreach (string line in paragraph.Split('\n'))
                {
                    Match item = ListItem.Match(line);
                    if (line.TrimStart().StartsWith("|", StringComparison.Ordinal))
                    {
                        Flush();
                        lines.Add(Indent + line.Trim());
                    }
                    else if (item.Success)
                    {
                        Flush();
                        marker = item.Groups[1].Value + " ";
                        pending.Add(line.Substring(item.Length));
                    }
                    else
                    {
                        pending.Add(line);
                    }
                }
                Flush();
                lines.Add("");
            }
        }

        private static IEnumerable<string> Wrap(string text, string firstIndent, string nextIndent)
        {
            string line = firstIndent;
            bool lineHasWord = false;
            foreach (string word in text.Split(' ').Where(w => w.Length > 0))
            {
                if (lineHasWord && line.Length + 1 + word.Length > Width)
                {
                    yield return line;
                    line = nextIndent;
                    lineHasWord = false;
                }
                line += (lineHasWord ? " " : "") + word;
                lineHasWord = true;
            }
            if (lineHasWord) yield return line;
        }
    }
}
