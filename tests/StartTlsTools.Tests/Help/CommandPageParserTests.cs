using System.Linq;
using StartTlsTools.HelpCompiler;

namespace StartTlsTools.Tests.Help
{
    /// <summary>The help compiler reads every section of a PlatyPS schema 2.0.0 page as PlatyPS 0.14 does.</summary>
    public class CommandPageParserTests
    {
        private static CommandHelp Sample() => CommandPageParser.Parse(SamplePage.Markdown, SamplePage.Path);

        [Fact]
        public void Reads_the_name_synopsis_description_and_notes()
        {
            var help = Sample();
            Assert.Equal("Get-Thing", help.Name);
            Assert.Equal(new[] { "Gets a thing from a store." }, SamplePage.Paragraphs(help.Synopsis));
            Assert.Equal(new[] { "First paragraph, still the first.", "Second paragraph." }, SamplePage.Paragraphs(help.Description));
            Assert.Equal(new[] { "Note one." }, SamplePage.Paragraphs(help.Notes));
        }

        [Fact]
        public void Reads_examples_with_every_code_block_and_the_remarks_after_them()
        {
            var examples = Sample().Examples;
            Assert.Equal(new[] { "Example 1: Get a thing by name", "Example 2: Get a thing by id" }, examples.Select(e => e.Title));
            Assert.Equal(new[] { "Get-Thing -Name a", "Name\n----\na" }, examples[0].Code);
            Assert.Equal(new[] { "Gets the thing named a.", "Then shows it." }, SamplePage.Paragraphs(examples[0].Remarks));
            Assert.Equal(new[] { "Get-Thing -Id 1" }, examples[1].Code);
            Assert.Equal("Gets thing 1.", examples[1].Remarks);
        }

        [Fact]
        public void Reads_every_parameter_field_from_its_yaml_and_skips_common_parameters()
        {
            var parameters = Sample().Parameters;
            Assert.Equal(new[] { "Force", "Id", "Name", "Store" }, parameters.Select(p => p.Name));

            var name = parameters.Single(p => p.Name == "Name");
            Assert.Equal(new[] { "The name. Values:", "- a: the first", "- b: the second" }, SamplePage.Paragraphs(name.Description));
            Assert.Equal("String", name.Type);
            Assert.Equal(new[] { "ByName" }, name.ParameterSets);
            Assert.Equal(new[] { "N", "ThingName" }, name.Aliases);
            Assert.Equal(new[] { "a", "b" }, name.AcceptedValues);
            Assert.True(name.Required);
            Assert.Equal("0", name.Position);
            Assert.Equal("None", name.DefaultValue);
            Assert.Equal("True (ByPropertyName, ByValue)", name.PipelineInput);
            Assert.True(name.Globbing);

            var id = parameters.Single(p => p.Name == "Id");
            Assert.Equal("True (ByPropertyName)", id.PipelineInput);
            Assert.Equal("Named", id.Position);
            Assert.False(id.Globbing);

            var store = parameters.Single(p => p.Name == "Store");
            Assert.Equal("The default store", store.DefaultValue);
            Assert.Equal("False", store.PipelineInput);
            Assert.Empty(store.Aliases);
            Assert.True(parameters.Single(p => p.Name == "Force").IsSwitch);
        }

        [Fact]
        public void Builds_one_syntax_per_parameter_set_with_all_set_parameters_in_each_and_positional_ones_first()
        {
            var syntax = Sample().Syntax;
            Assert.Equal(new[] { "ByName", "ById" }, syntax.Select(s => s.ParameterSet));
            Assert.Equal(new[] { "Name", "Force", "Store" }, syntax[0].Parameters.Select(p => p.Name));
            Assert.Equal(new[] { "Id", "Store" }, syntax[1].Parameters.Select(p => p.Name));
        }

        [Fact]
        public void A_parameter_without_parameter_sets_gives_one_syntax()
        {
            string markdown = SamplePage.Markdown
                .Replace("Parameter Sets: ByName\n", "Parameter Sets: (All)\n")
                .Replace("Parameter Sets: ById\n", "Parameter Sets: (All)\n");
            var syntax = CommandPageParser.Parse(markdown, SamplePage.Path).Syntax;
            Assert.Equal(CommandPageParser.AllParameterSets, Assert.Single(syntax).ParameterSet);
            Assert.Equal(new[] { "Name", "Force", "Id", "Store" }, syntax[0].Parameters.Select(p => p.Name));
        }

        [Fact]
        public void A_parameter_that_differs_between_sets_takes_each_yaml_block_for_its_set()
        {
            // -Store: optional in ByName (first yaml block, the one listed under PARAMETERS), mandatory in ById.
            string markdown = SamplePage.With("""
                Parameter Sets: (All)
                Aliases:

                Required: False
                Position: Named
                Default value: The default store
                Accept pipeline input: False
                Accept wildcard characters: False
                ```
                """, """
                Parameter Sets: ByName
                Aliases:

                Required: False
                Position: Named
                Default value: The default store
                Accept pipeline input: False
                Accept wildcard characters: False
                ```

                ```yaml
                Type: String
                Parameter Sets: ById
                Required: True
                Position: 1
                Accept pipeline input: True (ByPropertyName)
                ```
                """);
            var help = CommandPageParser.Parse(markdown, SamplePage.Path);

            Assert.False(help.Parameters.Single(p => p.Name == "Store").Required);
            var inById = help.Syntax.Single(s => s.ParameterSet == "ById").Parameters.Single(p => p.Name == "Store");
            Assert.True(inById.Required);
            Assert.Equal("True (ByPropertyName)", inById.PipelineInput);
            Assert.Equal(new[] { "Store", "Id" }, help.Syntax.Single(s => s.ParameterSet == "ById").Parameters.Select(p => p.Name));
            Assert.False(help.Syntax.Single(s => s.ParameterSet == "ByName").Parameters.Single(p => p.Name == "Store").Required);
        }

        [Fact]
        public void Reads_inputs_outputs_and_related_links_with_the_online_version_first()
        {
            var help = Sample();
            Assert.Equal("System.String", Assert.Single(help.Inputs).TypeName);
            Assert.Equal("A name.", help.Inputs[0].Description);
            Assert.Equal("Sample.Thing", Assert.Single(help.Outputs).TypeName);
            Assert.Equal(
                new[] { ("Online Version:", "https://example.test/docs/Get-Thing.md"), ("Get-Other", "https://example.test/docs/Get-Other.md"), ("about_Things", "") },
                help.Links.Select(l => (l.Text, l.Uri)));
        }

        [Fact]
        public void The_online_version_is_not_repeated_when_it_is_already_the_first_link()
        {
            string markdown = SamplePage.With("[Get-Other](https://example.test/docs/Get-Other.md)", "[Get-Thing](https://example.test/docs/Get-Thing.md)");
            var links = CommandPageParser.Parse(markdown, SamplePage.Path).Links;
            Assert.Equal(new[] { "Get-Thing", "about_Things" }, links.Select(l => l.Text));
        }

        [Fact]
        public void Without_an_online_version_the_links_are_as_written()
        {
            string markdown = SamplePage.With("online version: https://example.test/docs/Get-Thing.md", "online version:");
            Assert.Equal(new[] { "Get-Other", "about_Things" }, CommandPageParser.Parse(markdown, SamplePage.Path).Links.Select(l => l.Text));
        }

        [Fact]
        public void Windows_line_endings_read_the_same()
        {
            var unix = Sample();
            var windows = CommandPageParser.Parse(SamplePage.Markdown.Replace("\n", "\r\n"), SamplePage.Path);
            Assert.Equal(unix.Description, windows.Description);
            Assert.Equal(unix.Examples[0].Code, windows.Examples[0].Code);
            Assert.Equal(unix.Parameters.Select(p => p.PipelineInput), windows.Parameters.Select(p => p.PipelineInput));
        }
    }
}
