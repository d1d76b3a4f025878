using System;
using System.Linq;
using StartTlsTools.HelpCompiler;

namespace StartTlsTools.Tests.Help
{
    /// <summary>An about topic becomes the text Get-Help about_Name prints.</summary>
    public class AboutTopicWriterTests
    {
        private const string Topic = """
            # about_Things

            ## about_Things

            ## SHORT DESCRIPTION
            Explains things.

            ## LONG DESCRIPTION
            A long paragraph about things that goes on and on, well past the eighty columns that an about topic may use, so that it has to be wrapped.

            ### How it works

            1. The first step, which is also described at such great length that it cannot fit on one line of the text.
            2. The second step.

            - A **bold** point with a [link](https://example.test/things).

            | Name | Port |
            | ---- | ---- |
            | Smtp | 25   |

            ```powershell
            Get-Thing -Name a |
                Format-List
            ```

            ## SEE ALSO
            - Get-Thing
            """;

        private static string[] Lines(string markdown) =>
            AboutTopicWriter.Convert(markdown.Replace("\r\n", "\n"), "docs/about_Things.help.md").Text.Split("\r\n");

        [Fact]
        public void Starts_with_topic_and_the_lookup_name_and_keeps_the_headings()
        {
            var (name, text) = AboutTopicWriter.Convert(Topic.Replace("\r\n", "\n"), "docs/about_Things.help.md");
            Assert.Equal("about_Things", name);
            string[] lines = text.Split("\r\n");
            Assert.Equal(new[] { "TOPIC", "    about_things", "", "SHORT DESCRIPTION", "    Explains things.", "", "LONG DESCRIPTION" }, lines.Take(7));
            Assert.Contains("    HOW IT WORKS", lines);
            Assert.Contains("SEE ALSO", lines);
            Assert.EndsWith("\r\n", text);
        }

        [Fact]
        public void Paragraphs_and_list_items_wrap_at_80_columns_with_a_hanging_indent()
        {
            string[] lines = Lines(Topic);
            Assert.All(lines.Where(l => !l.TrimStart().StartsWith("|", StringComparison.Ordinal)), l => Assert.True(l.Length <= 80, $"too long: '{l}'"));

            int first = Array.FindIndex(lines, l => l.StartsWith("    A long paragraph", StringComparison.Ordinal));
            Assert.Equal("    A long paragraph about things that goes on and on, well past the eighty", lines[first]);
            Assert.Equal("    columns that an about topic may use, so that it has to be wrapped.", lines[first + 1]);

            int step = Array.FindIndex(lines, l => l.StartsWith("    1. ", StringComparison.Ordinal));
            Assert.StartsWith("       ", lines[step + 1]);
            Assert.Equal("    2. The second step.", lines[step + 2]);
        }

        [Fact]
        public void Inline_markup_becomes_text_and_tables_and_code_keep_their_lines()
        {
            string[] lines = Lines(Topic);
            Assert.Contains("    - A bold point with a link (https://example.test/things).", lines);
            Assert.Contains("    | Name | Port |", lines);
            Assert.Contains("    | Smtp | 25   |", lines);
            Assert.Contains("    Get-Thing -Name a |", lines);
            Assert.Contains("        Format-List", lines);
            Assert.Contains("    - Get-Thing", lines);
        }

        [Fact]
        public void The_second_heading_must_be_the_about_name()
        {
            string markdown = Topic.Replace("\r\n", "\n").Replace("## about_Things\n", "## Things\n");
            var error = Assert.Throws<HelpSchemaException>(() => AboutTopicWriter.Convert(markdown, "docs/about_Things.help.md"));
            Assert.Equal(3, error.Line);
            Assert.Contains("about_Name", error.Reason);
        }
    }
}
