using System.IO;
using System.Linq;
using System.Text;
using System.Xml.Linq;
using StartTlsTools.HelpCompiler;

namespace StartTlsTools.Tests.Help
{
    /// <summary>The MAML has PlatyPS's shape: the elements and attributes Get-Help reads.</summary>
    public class MamlWriterTests
    {
        private static readonly XNamespace Msh = "http://msh";
        private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
        private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
        private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

        // Written to bytes and read back, as Get-Help reads the file.
        private static XElement Compile(string markdown)
        {
            byte[] bytes = MamlWriter.ToBytes(MamlWriter.ToMaml(new[] { CommandPageParser.Parse(markdown, SamplePage.Path) }));
            XDocument document = XDocument.Load(new MemoryStream(bytes));
            Assert.Equal(Msh + "helpItems", document.Root!.Name);
            Assert.Equal("maml", document.Root.Attribute("schema")!.Value);
            return Assert.Single(document.Root.Elements(Command + "command"));
        }

        private static string[] Paras(XElement? parent) => parent!.Elements(Maml + "para").Select(p => p.Value).ToArray();

        private static XElement ParameterIn(XElement parent, string name) =>
            parent.Elements(Command + "parameter").Single(p => p.Element(Maml + "name")!.Value == name);

        [Fact]
        public void Details_hold_name_verb_noun_and_synopsis_and_the_description_its_paragraphs()
        {
            var command = Compile(SamplePage.Markdown);
            var details = command.Element(Command + "details")!;
            Assert.Equal("Get-Thing", details.Element(Command + "name")!.Value);
            Assert.Equal("Get", details.Element(Command + "verb")!.Value);
            Assert.Equal("Thing", details.Element(Command + "noun")!.Value);
            Assert.Equal(new[] { "Gets a thing from a store." }, Paras(details.Element(Maml + "description")));
            Assert.Equal(new[] { "First paragraph, still the first.", "Second paragraph." }, Paras(command.Element(Maml + "description")));
            Assert.Equal(
                new[] { "details", "description", "syntax", "parameters", "inputTypes", "returnValues", "alertSet", "examples", "relatedLinks" },
                command.Elements().Select(e => e.Name.LocalName));
        }

        [Fact]
        public void Parameters_carry_platyps_attributes_type_and_default_value()
        {
            var parameters = Compile(SamplePage.Markdown).Element(Command + "parameters")!;
            Assert.Equal(new[] { "Force", "Id", "Name", "Store" }, parameters.Elements(Command + "parameter").Select(p => p.Element(Maml + "name")!.Value));

            var name = ParameterIn(parameters, "Name");
            Assert.Equal("true", name.Attribute("required")!.Value);
            Assert.Equal("true", name.Attribute("variableLength")!.Value);
            Assert.Equal("true", name.Attribute("globbing")!.Value);
            Assert.Equal("True (ByPropertyName, ByValue)", name.Attribute("pipelineInput")!.Value);
            Assert.Equal("0", name.Attribute("position")!.Value);
            Assert.Equal("N, ThingName", name.Attribute("aliases")!.Value);
            Assert.Equal(new[] { "The name. Values:", "- a: the first", "- b: the second" }, Paras(name.Element(Maml + "description")));
            Assert.Equal("String", name.Element(Command + "parameterValue")!.Value);
            Assert.Equal("true", name.Element(Command + "parameterValue")!.Attribute("required")!.Value);
            Assert.Equal("String", name.Element(Dev + "type")!.Element(Maml + "name")!.Value);
            Assert.Equal("None", name.Element(Dev + "defaultValue")!.Value);
            Assert.Null(name.Element(Command + "parameterValueGroup"));

            var store = ParameterIn(parameters, "Store");
            Assert.Equal("false", store.Attribute("required")!.Value);
            Assert.Equal("named", store.Attribute("position")!.Value);
            Assert.Equal("none", store.Attribute("aliases")!.Value);
            Assert.Equal("False", store.Attribute("pipelineInput")!.Value);
            Assert.Equal("The default store", store.Element(Dev + "defaultValue")!.Value);

            var force = ParameterIn(parameters, "Force");
            Assert.Equal("SwitchParameter", force.Element(Dev + "type")!.Element(Maml + "name")!.Value);
            Assert.Equal("false", force.Element(Command + "parameterValue")!.Attribute("required")!.Value);
            Assert.Equal("False", force.Element(Dev + "defaultValue")!.Value);
        }

        [Fact]
        public void Each_syntax_item_lists_its_sets_parameters_with_accepted_values_and_switches_without_a_value()
        {
            var items = Compile(SamplePage.Markdown).Element(Command + "syntax")!.Elements(Command + "syntaxItem").ToArray();
            Assert.Equal(2, items.Length);
            Assert.All(items, item => Assert.Equal("Get-Thing", item.Element(Maml + "name")!.Value));
            Assert.Equal(new[] { "Name", "Force", "Store" }, items[0].Elements(Command + "parameter").Select(p => p.Element(Maml + "name")!.Value));
            Assert.Equal(new[] { "Id", "Store" }, items[1].Elements(Command + "parameter").Select(p => p.Element(Maml + "name")!.Value));

            var name = ParameterIn(items[0], "Name");
            Assert.Equal(new[] { "a", "b" }, name.Element(Command + "parameterValueGroup")!.Elements(Command + "parameterValue").Select(v => v.Value));
            Assert.Null(ParameterIn(items[0], "Force").Element(Command + "parameterValue"));
        }

        [Fact]
        public void Inputs_outputs_and_notes_are_typed_and_described()
        {
            var command = Compile(SamplePage.Markdown);
            var input = Assert.Single(command.Element(Command + "inputTypes")!.Elements(Command + "inputType"));
            Assert.Equal("System.String", input.Element(Dev + "type")!.Element(Maml + "name")!.Value);
            Assert.Equal(new[] { "A name." }, Paras(input.Element(Maml + "description")));
            var output = Assert.Single(command.Element(Command + "returnValues")!.Elements(Command + "returnValue"));
            Assert.Equal("Sample.Thing", output.Element(Dev + "type")!.Element(Maml + "name")!.Value);
            Assert.Equal(new[] { "Note one." }, Paras(command.Element(Maml + "alertSet")!.Element(Maml + "alert")));
        }

        [Fact]
        public void Examples_have_a_padded_title_all_code_blocks_and_the_remarks()
        {
            var examples = Compile(SamplePage.Markdown).Element(Command + "examples")!.Elements(Command + "example").ToArray();
            Assert.Equal(2, examples.Length);
            string title = examples[0].Element(Maml + "title")!.Value;
            Assert.Equal(new string('-', 16) + " Example 1: Get a thing by name " + new string('-', 16), title);
            Assert.Equal("Get-Thing -Name a\n\nName\n----\na", examples[0].Element(Dev + "code")!.Value);
            Assert.Equal(new[] { "Gets the thing named a.", "Then shows it." }, Paras(examples[0].Element(Dev + "remarks")));
        }

        [Fact]
        public void Related_links_start_with_the_online_version_and_keep_only_absolute_uris()
        {
            var links = Compile(SamplePage.Markdown).Element(Command + "relatedLinks")!.Elements(Maml + "navigationLink")
                .Select(l => (l.Element(Maml + "linkText")!.Value, l.Element(Maml + "uri")!.Value));
            Assert.Equal(
                new[] { ("Online Version:", "https://example.test/docs/Get-Thing.md"), ("Get-Other", "https://example.test/docs/Get-Other.md"), ("about_Things", "") },
                links);

            string relative = SamplePage.With("[Get-Other](https://example.test/docs/Get-Other.md)", "[Get-Other](Get-Other.md)");
            var other = Compile(relative).Element(Command + "relatedLinks")!.Elements(Maml + "navigationLink").ElementAt(1);
            Assert.Equal("", other.Element(Maml + "uri")!.Value);
        }

        [Fact]
        public void Xml_special_characters_are_escaped_and_read_back_unchanged()
        {
            string markdown = SamplePage
                .With("Second paragraph.", "Sends AUTH PLAIN <redacted> & waits for \"235\" or '535'.")
                .Replace("Get-Thing -Id 1\n", "if ($a -lt 1 -and $b -gt 2) { '<&>' }\n");
            byte[] bytes = MamlWriter.ToBytes(MamlWriter.ToMaml(new[] { CommandPageParser.Parse(markdown, SamplePage.Path) }));
            string xml = Encoding.UTF8.GetString(bytes);
            Assert.Contains("AUTH PLAIN &lt;redacted&gt; &amp; waits", xml);

            var command = XDocument.Load(new MemoryStream(bytes)).Root!.Element(Command + "command")!;
            Assert.Equal("Sends AUTH PLAIN <redacted> & waits for \"235\" or '535'.", Paras(command.Element(Maml + "description"))[1]);
            Assert.Equal("if ($a -lt 1 -and $b -gt 2) { '<&>' }", command.Element(Command + "examples")!.Elements().ElementAt(1).Element(Dev + "code")!.Value);
        }

        [Fact]
        public void The_file_is_utf8_with_a_byte_order_mark_and_crlf_the_same_on_every_os()
        {
            byte[] bytes = MamlWriter.ToBytes(MamlWriter.ToMaml(new[] { CommandPageParser.Parse(SamplePage.Markdown, SamplePage.Path) }));
            Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes.Take(3));
            string xml = Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3);
            Assert.StartsWith("<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n<helpItems schema=\"maml\" xmlns=\"http://msh\">", xml);
            Assert.DoesNotContain("\n", xml.Replace("\r\n", ""));
        }
    }
}
