using System;
using System.IO;
using StartTlsTools.HelpCompiler;

namespace StartTlsTools.Tests.Help
{
    /// <summary>A page PlatyPS would reject, or whose text New-ExternalHelp would drop, is an error naming file and line.</summary>
    public class MalformedPageTests
    {
        private static HelpSchemaException Fails(string markdown)
        {
            var error = Assert.Throws<HelpSchemaException>(() => CommandPageParser.Parse(markdown, SamplePage.Path));
            Assert.Equal(SamplePage.Path, error.FilePath);
            Assert.StartsWith($"{SamplePage.Path}, line {error.Line}: ", error.Message);
            return error;
        }

        [Fact]
        public void An_unclosed_code_block_names_the_line_that_opens_it()
        {
            string markdown = SamplePage.With("```powershell\nGet-Thing -Id 1\n```\n", "```powershell\nGet-Thing -Id 1\n");
            var error = Fails(markdown);
            Assert.Equal(SamplePage.LineOf(markdown, "Get-Thing -Id 1") - 1, error.Line);
            Assert.Contains($"not closed with ``` before the ```yaml on line {SamplePage.LineOf(markdown, "```yaml")}", error.Reason);
        }

        [Fact]
        public void A_code_block_still_open_at_the_end_of_the_page_names_its_line()
        {
            string markdown = SamplePage.Markdown + "\n\n```powershell\nGet-Thing\n";
            var error = Fails(markdown);
            Assert.Equal(SamplePage.Markdown.Split('\n').Length + 2, error.Line);
            Assert.Contains("never closed", error.Reason);
        }

        [Fact]
        public void An_unknown_section_is_named()
        {
            string markdown = SamplePage.With("## NOTES", "## REMARKS");
            var error = Fails(markdown);
            Assert.Equal(SamplePage.LineOf(markdown, "## REMARKS"), error.Line);
            Assert.Contains("'## REMARKS'", error.Reason);
        }

        [Fact]
        public void A_section_twice_is_an_error()
        {
            string markdown = SamplePage.With("## NOTES\nNote one.", "## NOTES\nNote one.\n\n## Notes\nNote two.");
            Assert.Equal(SamplePage.LineOf(markdown, "## Notes"), Fails(markdown).Line);
        }

        [Fact]
        public void Text_after_a_parameters_yaml_is_an_error_at_that_text()
        {
            string markdown = SamplePage.With("Default value: The default store\nAccept pipeline input: False\nAccept wildcard characters: False\n```\n",
                "Default value: The default store\nAccept pipeline input: False\nAccept wildcard characters: False\n```\n\nStray remark.\n");
            var error = Fails(markdown);
            Assert.Equal(SamplePage.LineOf(markdown, "Stray remark."), error.Line);
            Assert.Contains("Stray remark.", error.Reason);
        }

        [Fact]
        public void An_unknown_yaml_key_names_the_key_and_its_line()
        {
            string markdown = SamplePage.With("Aliases: Identity", "Alias: Identity");
            var error = Fails(markdown);
            Assert.Equal(SamplePage.LineOf(markdown, "Alias: Identity"), error.Line);
            Assert.Contains("'Alias'", error.Reason);
            Assert.Contains("-Id", error.Reason);
        }

        [Fact]
        public void A_yaml_line_without_a_colon_is_an_error()
        {
            string markdown = SamplePage.With("Required: True\nPosition: 0", "Required True\nPosition: 0");
            Assert.Equal(SamplePage.LineOf(markdown, "Required True"), Fails(markdown).Line);
        }

        [Fact]
        public void Text_before_an_examples_code_is_an_error_because_new_externalhelp_drops_it()
        {
            string markdown = SamplePage.With("### Example 2: Get a thing by id\n", "### Example 2: Get a thing by id\nThis text would vanish.\n\n");
            var error = Fails(markdown);
            Assert.Equal(SamplePage.LineOf(markdown, "This text would vanish."), error.Line);
            Assert.Contains("Example 2", error.Reason);
        }

        [Fact]
        public void An_example_without_code_is_an_error_at_its_title()
        {
            string markdown = SamplePage.With("```powershell\nGet-Thing -Id 1\n```\n\n", "");
            var error = Fails(markdown);
            Assert.Equal(SamplePage.LineOf(markdown, "### Example 2"), error.Line);
            Assert.Contains("no ``` code block", error.Reason);
        }

        [Fact]
        public void A_code_block_after_an_examples_remarks_is_an_error()
        {
            string markdown = SamplePage.With("Gets thing 1.\n", "Gets thing 1.\n\n```\nmore code\n```\n");
            Assert.Equal(SamplePage.LineOf(markdown, "more code") - 1, Fails(markdown).Line);
        }

        [Fact]
        public void Related_links_hold_only_links_and_the_error_names_the_line_of_the_stray_text()
        {
            string markdown = SamplePage.With("[about_Things]()", "[about_Things]()\n\nSee also the manual.");
            var error = Fails(markdown);
            Assert.Equal(SamplePage.LineOf(markdown, "See also the manual."), error.Line);
            Assert.Contains("See also the manual.", error.Reason);
        }

        [Fact]
        public void A_page_must_start_with_the_command_heading()
        {
            string markdown = SamplePage.With("# Get-Thing\n", "Get Thing page\n");
            Assert.Equal(SamplePage.LineOf(markdown, "Get Thing page"), Fails(markdown).Line);
        }

        [Fact]
        public void A_second_command_on_one_page_is_an_error()
        {
            string markdown = SamplePage.Markdown + "\n\n# Get-Other\n\n## SYNOPSIS\nOther.\n";
            Assert.Equal(SamplePage.LineOf(markdown, "# Get-Other"), Fails(markdown).Line);
        }

        [Fact]
        public void A_heading_at_the_wrong_level_is_an_error()
        {
            string markdown = SamplePage.With("## INPUTS\n\n### System.String", "## INPUTS\n\n#### System.String");
            Assert.Equal(SamplePage.LineOf(markdown, "#### System.String"), Fails(markdown).Line);
        }

        [Fact]
        public void Another_schema_version_is_refused()
        {
            var error = Fails(SamplePage.With("schema: 2.0.0", "schema: 1.0.0"));
            Assert.Contains("1.0.0", error.Reason);
        }

        [Fact]
        public void Front_matter_without_its_closing_line_is_an_error_at_its_opening_line()
        {
            string markdown = SamplePage.With("schema: 2.0.0\n---\n", "schema: 2.0.0\n");
            Assert.Equal(1, Fails(markdown).Line);
        }

        [Fact]
        public void An_underlined_heading_is_refused_because_platyps_would_read_the_line_above_as_a_heading()
        {
            string markdown = SamplePage.With("Note one.", "Note one.\n---------");
            Assert.Equal(SamplePage.LineOf(markdown, "---------"), Fails(markdown).Line);
        }

        [Fact]
        public void The_compiler_fails_with_an_msbuild_error_and_writes_nothing_when_one_page_is_malformed()
        {
            string docs = Directory.CreateTempSubdirectory("help-docs-").FullName;
            string outputParent = Directory.CreateTempSubdirectory("help-out-").FullName;
            string output = Path.Combine(outputParent, "en-US");
            try
            {
                File.WriteAllText(Path.Combine(docs, "Get-Thing.md"), SamplePage.Markdown);
                string broken = SamplePage.With("## NOTES", "## REMARKS");
                File.WriteAllText(Path.Combine(docs, "Get-Broken.md"), broken);
                var stdout = new StringWriter();
                var stderr = new StringWriter();

                int exitCode = Program.Run(new[] { docs, output }, stdout, stderr);

                Assert.Equal(1, exitCode);
                string expected = $"{Path.Combine(docs, "Get-Broken.md")}({SamplePage.LineOf(broken, "## REMARKS")}): error STHELP1: unknown section '## REMARKS'";
                Assert.StartsWith(expected, stderr.ToString());
                Assert.False(Directory.Exists(output), "no help may be written when a page is malformed");
            }
            finally
            {
                Directory.Delete(docs, true);
                Directory.Delete(outputParent, true);
            }
        }

        [Fact]
        public void A_cmdlet_page_without_its_maml_file_name_is_an_error()
        {
            string docs = Directory.CreateTempSubdirectory("help-docs-").FullName;
            try
            {
                File.WriteAllText(Path.Combine(docs, "Get-Thing.md"), SamplePage.With("external help file: Sample.dll-Help.xml\n", ""));
                var error = Assert.Throws<HelpSchemaException>(() => HelpCompiler.HelpCompiler.Compile(docs));
                Assert.Equal(Path.Combine(docs, "Get-Thing.md"), error.FilePath);
                Assert.Contains("external help file", error.Reason);
            }
            finally
            {
                Directory.Delete(docs, true);
            }
        }

        [Fact]
        public void The_compiler_exits_2_on_bad_usage()
        {
            var stderr = new StringWriter();
            Assert.Equal(2, Program.Run(Array.Empty<string>(), new StringWriter(), stderr));
            Assert.Contains("usage:", stderr.ToString());
        }
    }
}
