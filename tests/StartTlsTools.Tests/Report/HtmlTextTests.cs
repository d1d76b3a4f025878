using StartTlsTools.Reporting;

namespace StartTlsTools.Tests.Report
{
    /// <summary>The report's one escaping routine, character by character.</summary>
    public class HtmlTextTests
    {
        [Theory]
        [InlineData("plain text", "plain text")]
        [InlineData("<script>", "&lt;script&gt;")]
        [InlineData("a & b", "a &amp; b")]
        [InlineData("\"double\" 'single'", "&quot;double&quot; &#39;single&#39;")]
        [InlineData("</script>", "&lt;/script&gt;")]
        [InlineData("]]>", "]]&gt;")]
        [InlineData("tab\tnew\nline\r", "tab\tnew\nline\r")]
        [InlineData("\u0000\u0001\u001b\u001f", "\u2400\u2401\u241b\u241f")]
        [InlineData("del\u007f", "del\u2421")]
        [InlineData("c1\u0080\u0085\u009f", "c1\uFFFD\uFFFD\uFFFD")]
        [InlineData("\u2028\u2029", "\u2028\u2029")]
        [InlineData("\uD83D\uDE00", "\uD83D\uDE00")]
        [InlineData("\uFDD0\uFFFE\uFFFF", "\uFFFD\uFFFD\uFFFD")]
        [InlineData("caf\u00e9 \u65e5\u672c", "caf\u00e9 \u65e5\u672c")]
        public void Escapes_markup_and_replaces_what_html_forbids(string input, string expected) =>
            Assert.Equal(expected, HtmlText.Escape(input));

        [Fact]
        public void Lone_surrogates_and_plane_noncharacters_become_the_replacement_character()
        {
            // Not theory data: xunit's serialisation of test cases would mangle lone surrogates.
            Assert.Equal("lone\uFFFD and \uFFFD!", HtmlText.Escape("lone\uD800 and \uDC00!"));
            Assert.Equal("\uFFFD\uFFFDend", HtmlText.Escape("\uD83F\uDFFE\uD800end"));
        }

        [Fact]
        public void Null_and_empty_are_empty() => Assert.Equal("", HtmlText.Escape(null) + HtmlText.Escape(""));

        [Fact]
        public void Long_values_are_cut_with_a_note_and_never_between_surrogate_halves()
        {
            Assert.Equal("abc \u2026 [2 more characters not shown]", HtmlText.Escape("abcde", 3));
            Assert.Equal("ab \u2026 [3 more characters not shown]", HtmlText.Escape("ab\uD83D\uDE00c", 3));
            Assert.Equal("&lt;&lt; \u2026 [1 more characters not shown]", HtmlText.Escape("<<<", 2));
            Assert.Equal("abc", HtmlText.Escape("abc", 3));
        }
    }
}
