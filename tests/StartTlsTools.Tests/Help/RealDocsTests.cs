using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Reflection;
using System.Xml.Linq;
using StartTlsTools.HelpCompiler;
using StartTlsTools.Tests.Cmdlets;

namespace StartTlsTools.Tests.Help
{
    /// <summary>The real docs/en-US pages compile, match the cmdlets they document, and are complete.</summary>
    public class RealDocsTests
    {
        public const string OnlineBase = "https://github.com/starttlstools/StartTlsTools/blob/main/docs/en-US/";

        private static string Docs => Path.Combine(ModuleContractTests.RepoRoot, "docs", "en-US");

        private static string CmdletName(Type type)
        {
            var attribute = type.GetCustomAttribute<CmdletAttribute>()!;
            return attribute.VerbName + "-" + attribute.NounName;
        }

        public static TheoryData<string> Cmdlets()
        {
            var data = new TheoryData<string>();
            foreach (var type in ModuleContractTests.CmdletTypes()) data.Add(CmdletName(type));
            return data;
        }

        private static Type CmdletType(string name) => ModuleContractTests.CmdletTypes().Single(t => CmdletName(t) == name);

        private static string PagePath(string cmdlet) => Path.Combine(Docs, cmdlet + ".md");

        private static CommandHelp Page(string cmdlet) => CommandPageParser.Parse(File.ReadAllText(PagePath(cmdlet)), PagePath(cmdlet));

        [Fact]
        public void Every_page_compiles_into_one_maml_file_for_the_exported_cmdlets_and_the_about_topic()
        {
            var files = HelpCompiler.HelpCompiler.Compile(Docs);
            Assert.Equal(new[] { "StartTlsTools.dll-Help.xml", "about_StartTlsTools.help.txt" }, files.Select(f => f.Name).OrderBy(n => n, StringComparer.Ordinal));

            XNamespace command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
            var maml = XDocument.Load(new MemoryStream(files.Single(f => f.Name.EndsWith(".xml", StringComparison.Ordinal)).Content));
            var documented = maml.Root!.Elements(command + "command").Select(c => c.Element(command + "details")!.Element(command + "name")!.Value);
            Assert.Equal(ModuleContractTests.CmdletTypes().Select(CmdletName).OrderBy(n => n, StringComparer.Ordinal), documented.OrderBy(n => n, StringComparer.Ordinal));
        }

        [Theory]
        [MemberData(nameof(Cmdlets))]
        public void The_online_version_is_the_pages_github_address_and_the_cmdlets_help_uri(string cmdlet)
        {
            string expected = OnlineBase + cmdlet + ".md";
            Assert.Equal(expected, CmdletType(cmdlet).GetCustomAttribute<CmdletAttribute>()!.HelpUri);
            var first = Page(cmdlet).Links[0];
            Assert.Equal(("Online Version:", expected), (first.Text, first.Uri));
        }

        [Theory]
        [MemberData(nameof(Cmdlets))]
        public void The_page_has_synopsis_description_inputs_outputs_and_related_links(string cmdlet)
        {
            var page = Page(cmdlet);
            Assert.Equal(cmdlet, page.Name);
            Assert.False(string.IsNullOrWhiteSpace(page.Synopsis), "SYNOPSIS");
            Assert.False(string.IsNullOrWhiteSpace(page.Description), "DESCRIPTION");
            Assert.NotEmpty(page.Inputs);
            Assert.NotEmpty(page.Outputs);
            Assert.All(page.Inputs.Concat(page.Outputs), t => Assert.False(string.IsNullOrWhiteSpace(t.Description), t.TypeName));
            Assert.True(page.Links.Count >= 2, "RELATED LINKS needs links besides the online version");
            Assert.All(page.Links, l => Assert.True(Uri.TryCreate(l.Uri, UriKind.Absolute, out var uri) && uri.Scheme == "https", $"{l.Text}: '{l.Uri}' is not an https address"));
        }

        [Theory]
        [MemberData(nameof(Cmdlets))]
        public void The_page_has_enough_examples_each_with_code_and_remarks(string cmdlet)
        {
            var examples = Page(cmdlet).Examples;
            Assert.True(examples.Count >= (cmdlet == "Test-StartTls" ? 6 : 3), $"{cmdlet} has {examples.Count} examples");
            Assert.All(examples, e =>
            {
                Assert.NotEmpty(e.Code);
                Assert.All(e.Code, c => Assert.False(string.IsNullOrWhiteSpace(c), e.Title));
                Assert.False(string.IsNullOrWhiteSpace(e.Remarks), $"{e.Title} has no remarks");
            });
        }

        [Theory]
        [MemberData(nameof(Cmdlets))]
        public void Every_parameter_is_documented_with_the_type_aliases_and_pipeline_input_of_the_code(string cmdlet)
        {
            var page = Page(cmdlet);
            var properties = CmdletType(cmdlet).GetProperties().Where(p => p.GetCustomAttributes<ParameterAttribute>().Any()).ToArray();
            Assert.Equal(properties.Select(p => p.Name).OrderBy(n => n, StringComparer.Ordinal), page.Parameters.Select(p => p.Name).OrderBy(n => n, StringComparer.Ordinal));

            foreach (var property in properties)
            {
                var documented = page.Parameters.Single(p => p.Name == property.Name);
                var attributes = property.GetCustomAttributes<ParameterAttribute>().ToArray();
                string because = $"{cmdlet} -{property.Name}";
                Assert.False(string.IsNullOrWhiteSpace(documented.Description), because + ": description");
                Assert.False(string.IsNullOrWhiteSpace(documented.DefaultValue), because + ": Default value");
                Assert.Equal(property.PropertyType.Name, documented.Type);
                Assert.Equal(PipelineInput(attributes), documented.PipelineInput);
                Assert.Equal(property.GetCustomAttribute<AliasAttribute>()?.AliasNames ?? Array.Empty<string>(), documented.Aliases.Where(a => a.Length > 0));
                if (attributes.Length == 1)
                {
                    Assert.True(attributes[0].Mandatory == documented.Required, because + ": Required");
                    Assert.Equal(attributes[0].Position >= 0 ? attributes[0].Position.ToString() : "Named", documented.Position);
                }
            }
        }

        // PlatyPS's wording of "Accept pipeline input".
        private static string PipelineInput(IEnumerable<ParameterAttribute> attributes)
        {
            var ways = new List<string>();
            if (attributes.Any(a => a.ValueFromPipelineByPropertyName)) ways.Add("ByPropertyName");
            if (attributes.Any(a => a.ValueFromPipeline)) ways.Add("ByValue");
            return ways.Count == 0 ? "False" : $"True ({string.Join(", ", ways)})";
        }

        [Fact]
        public void No_page_has_emphasis_or_two_links_on_a_line_that_platyps_would_garble()
        {
            foreach (string path in Directory.GetFiles(Docs, "*.md"))
            {
                var page = MarkdownPage.Parse(File.ReadAllText(path), path);
                foreach (var block in page.Blocks.Where(b => b.Kind == BlockKind.Text))
                {
                    var spans = InlineText.Spans(block.Text);
                    for (int i = 0; i < spans.Count; i++)
                    {
                        var span = spans[i];
                        string where = $"{path}, line {InlineText.LineOf(block.Text, span, block.Line)}";
                        if (span.Kind == SpanKind.Emphasis) Assert.Fail($"{where}: '{span.Text}' would lose its '*' or '_' in Get-Help");
                        if (span.Kind != SpanKind.Link || span.Uri.Length == 0) continue;
                        if (span.Uri.Contains("](", StringComparison.Ordinal)) Assert.Fail($"{where}: two links on one line run together in Get-Help");
                        if (i + 1 < spans.Count && spans[i + 1].Kind == SpanKind.Plain && char.IsLetterOrDigit(spans[i + 1].Text[0])) Assert.Fail($"{where}: the text after this link would lose its space in Get-Help");
                    }
                }
            }
        }

        [Fact]
        public void The_about_topic_is_about_StartTlsTools_and_its_prose_fits_80_columns()
        {
            string path = Path.Combine(Docs, "about_StartTlsTools.help.md");
            var (name, text) = AboutTopicWriter.Convert(File.ReadAllText(path), path);
            Assert.Equal("about_StartTlsTools", name);
            string[] lines = text.Split("\r\n");
            Assert.Equal(new[] { "TOPIC", "    about_starttlstools" }, lines.Take(2));
            Assert.Contains("SHORT DESCRIPTION", lines);
            Assert.Contains("LONG DESCRIPTION", lines);
            Assert.All(lines.Where(l => !l.TrimStart().StartsWith("|", StringComparison.Ordinal)), l => Assert.True(l.Length <= 80, $"too long: '{l}'"));
        }
    }
}
