using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace StartTlsTools.HelpCompiler
{
    /// <summary>
    /// Writes MAML exactly in the shape of PlatyPS 0.14's MamlRenderer (elements, order, attributes, the padded
    /// example titles), which is what Get-Help reads from en-US/&lt;Assembly&gt;.dll-Help.xml.
    /// </summary>
    internal static class MamlWriter
    {
        private static readonly XNamespace Msh = "http://msh";
        private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
        private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
        private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";
        private static readonly XNamespace MsHelp = "http://msdn.microsoft.com/mshelp";

        public static XDocument ToMaml(IEnumerable<CommandHelp> commands) =>
            new XDocument(
                new XDeclaration("1.0", "utf-8", null),
                new XElement(Msh + "helpItems", new XAttribute("schema", "maml"), commands.Select(CommandElement)));

        /// <summary>UTF-8 with a byte order mark, CRLF and two-space indentation, the same on every OS.</summary>
        public static byte[] ToBytes(XDocument document)
        {
            var settings = new XmlWriterSettings { Encoding = new UTF8Encoding(true), Indent = true, IndentChars = "  ", NewLineChars = "\r\n" };
            using var stream = new MemoryStream();
            using (var writer = XmlWriter.Create(stream, settings)) document.Save(writer);
            return stream.ToArray();
        }

        private static XElement CommandElement(CommandHelp command)
        {
            string verb = command.Name.Split('-')[0];
            string noun = command.Name.Substring(System.Math.Min(verb.Length + 1, command.Name.Length));
            return new XElement(Command + "command",
                new XAttribute(XNamespace.Xmlns + "maml", Maml),
                new XAttribute(XNamespace.Xmlns + "command", Command),
                new XAttribute(XNamespace.Xmlns + "dev", Dev),
                new XAttribute(XNamespace.Xmlns + "MSHelp", MsHelp),
                new XElement(Command + "details",
                    new XElement(Command + "name", command.Name),
                    new XElement(Command + "verb", verb),
                    new XElement(Command + "noun", noun),
                    new XElement(Maml + "description", Paragraphs(command.Synopsis))),
                new XElement(Maml + "description", Paragraphs(command.Description)),
                new XElement(Command + "syntax", command.Syntax.Select(syntax =>
                    new XElement(Command + "syntaxItem",
                        new XElement(Maml + "name", command.Name),
                        syntax.Parameters.Select(p => Parameter(p, inSyntax: true))))),
                new XElement(Command + "parameters", command.Parameters.Select(p => Parameter(p, inSyntax: false))),
                new XElement(Command + "inputTypes", command.Inputs.Select(input =>
                    new XElement(Command + "inputType",
                        new XElement(Dev + "type", new XElement(Maml + "name", input.TypeName)),
                        new XElement(Maml + "description", Paragraphs(input.Description))))),
                new XElement(Command + "returnValues", command.Outputs.Select(output =>
                    new XElement(Command + "returnValue",
                        new XElement(Dev + "type", new XElement(Maml + "name", output.TypeName)),
                        new XElement(Maml + "description", Paragraphs(output.Description))))),
                new XElement(Maml + "alertSet", new XElement(Maml + "alert", Paragraphs(command.Notes))),
                new XElement(Command + "examples", command.Examples.Select(example =>
                    new XElement(Command + "example",
                        new XElement(Maml + "title", PadExampleTitle(example.Title)),
                        new XElement(Dev + "code", string.Join("\n\n", example.Code)),
                        new XElement(Dev + "remarks", Paragraphs(example.Remarks))))),
                new XElement(Command + "relatedLinks", command.Links.Select(link =>
                    new XElement(Maml + "navigationLink",
                        new XElement(Maml + "linkText", link.Text),
                        // Get-Help wants a valid URI or none: a page-relative link keeps only its text.
                        new XElement(Maml + "uri", System.Uri.TryCreate(link.Uri, System.UriKind.Absolute, out _) ? link.Uri : "")))));
        }

        private static XElement Parameter(ParameterHelp parameter, bool inSyntax)
        {
            string type = parameter.Type == null ? "" : parameter.IsSwitch ? "SwitchParameter" : parameter.Type;
            bool isSwitch = type == "SwitchParameter" || type == "System.Management.Automation.SwitchParameter";
            string defaultValue = isSwitch && (string.IsNullOrEmpty(parameter.DefaultValue) || parameter.DefaultValue == "None")
                ? "False"
                : parameter.DefaultValue ?? "None";
            return new XElement(Command + "parameter",
                new XAttribute("required", Lower(parameter.Required)),
                new XAttribute("variableLength", "true"),
                new XAttribute("globbing", Lower(parameter.Globbing)),
                new XAttribute("pipelineInput", parameter.PipelineInput),
                new XAttribute("position", parameter.Position.ToLowerInvariant()),
                new XAttribute("aliases", parameter.Aliases.Any() ? string.Join(", ", parameter.Aliases) : "none"),
                new XElement(Maml + "name", parameter.Name),
                new XElement(Maml + "description", Paragraphs(parameter.Description)),
                inSyntax && parameter.AcceptedValues.Any()
                    ? new XElement(Command + "parameterValueGroup", parameter.AcceptedValues.Select(value =>
                        new XElement(Command + "parameterValue", new XAttribute("required", "false"), new XAttribute(Command + "variableLength", "false"), value)))
                    : null,
                // The syntax line shows a switch without a value, as Get-Command -Syntax does.
                !inSyntax || !isSwitch
                    ? new XElement(Command + "parameterValue", new XAttribute("required", Lower(!parameter.IsSwitch)), new XAttribute("variableLength", "false"), type)
                    : null,
                new XElement(Dev + "type", new XElement(Maml + "name", type), new XElement(Maml + "uri")),
                new XElement(Dev + "defaultValue", defaultValue));
        }

        // One maml:para per paragraph; PlatyPS also turns no-break spaces into spaces.
        private static IEnumerable<XElement> Paragraphs(string? text) =>
            text == null
                ? Enumerable.Empty<XElement>()
                : text.Replace('\u00a0', ' ').Split(new[] { InlineText.ParagraphBreak }, System.StringSplitOptions.None).Select(p => new XElement(Maml + "para", p));

        // "-------- Example 1: Title --------", padded towards 64 characters, as PlatyPS writes titles.
        private static string PadExampleTitle(string title)
        {
            if (string.IsNullOrWhiteSpace(title) || title.Length >= 62) return title;
            string dashes = new string('-', (64 - title.Length - 2) / 2);
            return dashes + " " + title + " " + dashes;
        }

        private static string Lower(bool value) => value ? "true" : "false";
    }
}
