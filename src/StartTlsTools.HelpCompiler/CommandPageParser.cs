using System;
using System.Collections.Generic;
using System.Linq;

namespace StartTlsTools.HelpCompiler
{
    /// <summary>
    /// Reads a cmdlet page in PlatyPS's Markdown schema 2.0.0 (docs/developer/platyPS/platyPS.schema.md in
    /// PowerShell/platyPS) with the same grammar as PlatyPS 0.14's ModelTransformerVersion2. Anything PlatyPS would
    /// reject is an error naming the file and line; so is example text that New-ExternalHelp would silently drop.
    /// </summary>
    internal sealed class CommandPageParser
    {
        public const string AllParameterSets = "(All)";

        private static readonly string[] KnownSections = { "SYNOPSIS", "SYNTAX", "DESCRIPTION", "EXAMPLES", "PARAMETERS", "INPUTS", "OUTPUTS", "NOTES", "RELATED LINKS" };

        private static readonly HashSet<string> KnownParameterKeys = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "Type", "Parameter Sets", "Aliases", "Accepted values", "Required", "Position", "Default value",
            "Accept pipeline input", "Accept wildcard characters", "Applicable",
        };

        private readonly MarkdownPage page;
        private int next;

        // For each parameter, in page order: the yaml variant that applies to each parameter set named in it.
        private readonly List<Dictionary<string, ParameterHelp>> parameterSetMaps = new List<Dictionary<string, ParameterHelp>>();

        private CommandPageParser(MarkdownPage page) => this.page = page;

        public static CommandHelp Parse(string markdown, string path) => new CommandPageParser(MarkdownPage.Parse(markdown, path)).ReadCommand();

        private CommandHelp ReadCommand()
        {
            string? schema = page.Meta("schema");
            if (schema != null && schema != "2.0.0") throw Error(1, $"schema {schema} is not supported: pages use PlatyPS schema 2.0.0");

            Block? title = Next();
            if (title == null || !title.IsHeading(1)) throw Error(title?.Line ?? 1, "expected the command name as the first heading, '# Verb-Noun'");
            var command = new CommandHelp(title.Text, page.Path) { ExternalHelpFile = page.Meta("external help file") };

            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            for (Block? heading = Next(); heading != null; heading = Next())
            {
                if (heading.IsHeading(1)) throw Error(heading.Line, $"a page documents one command; {heading.Describe()} starts a second one");
                if (!heading.IsHeading(2)) throw Error(heading.Line, $"expected a '##' section heading, found {heading.Describe()}");
                string section = heading.Text.ToUpperInvariant();
                if (!KnownSections.Contains(section))
                    throw Error(heading.Line, $"unknown section '## {heading.Text}'; schema 2.0.0 has {string.Join(", ", KnownSections)}");
                if (!seen.Add(section)) throw Error(heading.Line, $"the section '## {heading.Text}' appears twice");

                switch (section)
                {
                    case "SYNOPSIS": command.Synopsis = ReadText(); break;
                    case "DESCRIPTION": command.Description = ReadText(); break;
                    case "NOTES": command.Notes = ReadText(); break;
                    case "SYNTAX": SkipSyntax(); break;
                    case "EXAMPLES": ReadExamples(command); break;
                    case "PARAMETERS": ReadParameters(command); break;
                    case "INPUTS": ReadTypes(command.Inputs); break;
                    case "OUTPUTS": ReadTypes(command.Outputs); break;
                    case "RELATED LINKS": ReadLinks(command); break;
                }
            }

            command.Syntax.AddRange(GatherSyntax());

            // New-ExternalHelp puts the page's online version first, where Get-Help -Online looks for it.
            string? online = page.Meta("online version");
            if (!string.IsNullOrEmpty(online) && (command.Links.Count == 0 || command.Links[0].Uri != online))
                command.Links.Insert(0, new LinkHelp("Online Version:", online!));
            return command;
        }

        // SYNOPSIS, DESCRIPTION, NOTES and the body of an input, output or example remark: one text block, or nothing.
        private string ReadText() => Peek()?.Kind == BlockKind.Text ? InlineText.ToHelpText(Next()!.Text) : "";

        // The syntax is generated from the parameters' yaml, as PlatyPS does; the page's copy is only for readers.
        private void SkipSyntax()
        {
            while (Peek() is Block block && (block.Kind == BlockKind.Code || block.IsHeading(3))) Next();
        }

        private void ReadExamples(CommandHelp command)
        {
            while (Peek() is Block block && block.IsHeading(3))
            {
                Block title = Next()!;
                Block? introduction = Peek()?.Kind == BlockKind.Text ? Next() : null;
                var code = new List<string>();
                while (Peek()?.Kind == BlockKind.Code) code.Add(Next()!.Text);
                if (code.Count == 0) throw Error(title.Line, $"example '{title.Text}' has no ``` code block");
                if (introduction != null)
                    throw Error(introduction.Line, $"text before the first code block of example '{title.Text}': PlatyPS's New-ExternalHelp drops it; put the code first and explain it after");
                command.Examples.Add(new ExampleHelp(title.Text, code, ReadText()));
            }
        }

        private void ReadParameters(CommandHelp command)
        {
            while (Peek() is Block block && block.IsHeading(3))
            {
                Block heading = Next()!;
                string name = heading.Text.StartsWith("-", StringComparison.Ordinal) ? heading.Text.Substring(1) : heading.Text;

                // The description: text and any code blocks that are not ```yaml, as PlatyPS joins them.
                var description = new List<string>();
                while (Peek() is Block part && (part.Kind == BlockKind.Text || (part.Kind == BlockKind.Code && !IsYaml(part))))
                {
                    Block read = Next()!;
                    description.Add(read.Kind == BlockKind.Text ? InlineText.ToHelpText(read.Text) : read.Text);
                }
                if (name.Equals("CommonParameters", StringComparison.OrdinalIgnoreCase) || name.Equals("WorkflowCommonParameters", StringComparison.OrdinalIgnoreCase))
                    continue;

                string text = string.Join(InlineText.ParagraphBreak + InlineText.ParagraphBreak, description);
                var bySet = new Dictionary<string, ParameterHelp>(StringComparer.OrdinalIgnoreCase);
                ParameterHelp? first = null;
                while (Peek()?.Kind == BlockKind.Code)
                {
                    ParameterHelp variant = ReadYaml(Next()!, name, text, out bool namesSets);
                    first ??= variant;
                    foreach (string set in namesSets ? variant.ParameterSets : new[] { AllParameterSets }) bySet[set] = variant;
                }
                command.Parameters.Add(first ?? new ParameterHelp(name, text));
                parameterSetMaps.Add(bySet);
            }
        }

        private ParameterHelp ReadYaml(Block yaml, string name, string description, out bool namesSets)
        {
            var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            string[] lines = yaml.Text.Split('\n');
            for (int i = 0; i < lines.Length; i++)
            {
                if (lines[i].Trim().Length == 0) continue;
                var (key, value) = MarkdownPage.ParseKeyValue(lines[i], page.Path, yaml.Line + 1 + i);
                if (!KnownParameterKeys.Contains(key)) throw Error(yaml.Line + 1 + i, $"unknown key '{key}' in the yaml of -{name}");
                values[key] = value;
            }

            string? Value(string key) => values.TryGetValue(key, out string? value) ? value : null;
            IReadOnlyList<string> List(string key) =>
                Value(key)?.Split(',').Select(v => v.Trim()).ToArray() ?? Array.Empty<string>();

            namesSets = values.ContainsKey("Parameter Sets");
            return new ParameterHelp(name, description)
            {
                Type = Value("Type"),
                ParameterSets = List("Parameter Sets").Where(s => s.Length > 0).ToArray(),
                Aliases = List("Aliases"),
                AcceptedValues = List("Accepted values"),
                Required = string.Equals(Value("Required"), "true", StringComparison.OrdinalIgnoreCase),
                Position = Value("Position") ?? "named",
                DefaultValue = Value("Default value"),
                PipelineInput = Value("Accept pipeline input") ?? "false",
                Globbing = string.Equals(Value("Accept wildcard characters"), "true", StringComparison.OrdinalIgnoreCase),
            };
        }

        private void ReadTypes(List<TypeHelp> types)
        {
            while (Peek() is Block block && block.IsHeading(3))
            {
                string typeName = Next()!.Text;
                types.Add(new TypeHelp(typeName, ReadText()));
            }
        }

        // One link per line: [text](uri). "[name]()" is allowed (PlatyPS writes it for a command without a page URL).
        private void ReadLinks(CommandHelp command)
        {
            if (Peek()?.Kind != BlockKind.Text) return;
            Block block = Next()!;
            foreach (Span span in InlineText.Spans(block.Text))
            {
                if (span.Kind != SpanKind.Link)
                    throw Error(InlineText.LineOf(block.Text, span, block.Line), $"RELATED LINKS holds only links such as [Test-StartTls](https://...), one per line; found '{span.Text.Trim()}'");
                command.Links.Add(new LinkHelp(span.Text, span.Uri));
            }
        }

        // PlatyPS's GatherSyntax: one syntax per parameter set, in the order the sets first appear; a parameter
        // for "(All)" joins every set, and "(All)" is a syntax of its own only when no parameter names a set.
        private IEnumerable<SyntaxHelp> GatherSyntax()
        {
            var setNames = new List<string>();
            foreach (string set in parameterSetMaps.SelectMany(map => map.Keys))
                if (!setNames.Contains(set, StringComparer.OrdinalIgnoreCase)) setNames.Add(set);
            if (setNames.Count == 0)
            {
                yield return new SyntaxHelp(AllParameterSets, Array.Empty<ParameterHelp>());
                yield break;
            }

            foreach (string set in setNames)
            {
                if (set == AllParameterSets && setNames.Count > 1) continue;
                var members = new List<ParameterHelp>();
                foreach (var map in parameterSetMaps)
                {
                    if (map.TryGetValue(set, out ParameterHelp? variant)) members.Add(variant);
                    else if (map.Count == 1 && map.ContainsKey(AllParameterSets)) members.Add(map[AllParameterSets]);
                }
                // Positional parameters first, by position; OrderBy is stable, so named ones keep page order.
                yield return new SyntaxHelp(set, members.OrderBy(p => p.Position, StringComparer.OrdinalIgnoreCase).ToArray());
            }
        }

        private static bool IsYaml(Block block) => block.Language.Equals("yaml", StringComparison.OrdinalIgnoreCase);

        private Block? Peek() => next < page.Blocks.Count ? page.Blocks[next] : null;

        private Block? Next() => next < page.Blocks.Count ? page.Blocks[next++] : null;

        private HelpSchemaException Error(int line, string reason) => new HelpSchemaException(page.Path, line, reason);
    }
}
