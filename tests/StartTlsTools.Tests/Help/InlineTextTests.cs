using StartTlsTools.HelpCompiler;

namespace StartTlsTools.Tests.Help
{
    /// <summary>Paragraph text is read as PlatyPS 0.14 reads it, so both tools write the same maml:para elements.</summary>
    public class InlineTextTests
    {
        private static string[] Paragraphs(string markdown) => SamplePage.Paragraphs(InlineText.ToHelpText(markdown));

        [Fact]
        public void Line_breaks_join_and_blank_lines_separate_paragraphs()
        {
            Assert.Equal(new[] { "One line and the next.", "A second paragraph." }, Paragraphs("One line\nand the next.\n\nA second paragraph."));
        }

        [Fact]
        public void List_items_keep_their_lines_and_the_text_after_the_list_is_a_new_paragraph()
        {
            Assert.Equal(
                new[] { "Values:", "- a", "- b", "* c", "", "After." },
                Paragraphs("Values:\n\n- a\n- b\n* c\n\nAfter."));
        }

        [Fact]
        public void Links_become_text_and_uri_and_empty_links_only_text()
        {
            // As in PlatyPS, the text right after a link with a uri follows the ')' without a space.
            Assert.Equal("See about_X (https://example.test/x)for more on Get-Y and Get-Z.", InlineText.ToHelpText("See [about_X](https://example.test/x) for more\non [Get-Y]() and Get-Z."));
        }

        [Fact]
        public void Two_links_on_one_line_run_together_as_in_platyps()
        {
            // PlatyPS's link pattern takes the uri up to the last ')' of the line; the docs keep one link per line.
            var span = Assert.Single(InlineText.Spans("[a](https://example.test/a) and [b](https://example.test/b)"));
            Assert.Equal(("a", "https://example.test/a) and [b](https://example.test/b"), (span.Text, span.Uri));
        }

        [Fact]
        public void Emphasis_markers_are_removed()
        {
            Assert.Equal("A bold and an italic word, and a second bold one.", InlineText.ToHelpText("A **bold** and an *italic* word, and a __second bold__ one."));
        }

        [Fact]
        public void A_pair_of_stars_anywhere_on_a_line_is_emphasis_as_in_platyps()
        {
            // Why the docs never write `Name*`: PlatyPS reads the two stars as emphasis and the text loses them.
            Assert.Equal("columns `StartTls ` and `Implicit ` here", InlineText.ToHelpText("columns `StartTls*` and `Implicit*` here"));
        }

        [Fact]
        public void Underscores_inside_words_are_not_emphasis()
        {
            Assert.Equal("about_StartTlsTools and STARTTLS_PASSWORD", InlineText.ToHelpText("about_StartTlsTools and STARTTLS_PASSWORD"));
        }

        [Fact]
        public void Backslash_escapes_are_removed_and_backticks_and_other_text_stay()
        {
            Assert.Equal(@"[x] (y) <z> \ `code` \0user", InlineText.ToHelpText(@"\[x\] \(y\) \<z\> \\ `code` \0user"));
        }

        [Fact]
        public void Xml_special_characters_are_plain_text_here()
        {
            Assert.Equal("AUTH PLAIN <redacted> & \"quotes\" 'too'", InlineText.ToHelpText("AUTH PLAIN <redacted> & \"quotes\" 'too'"));
        }
    }
}
