using System;
using System.Collections.Generic;

namespace StartTlsTools.HelpCompiler
{
    /// <summary>
    /// One cmdlet's help as read from its page. Text fields hold PlatyPS's text: paragraphs separated by
    /// <see cref="InlineText.ParagraphBreak"/>; null when the page has no such section.
    /// </summary>
    internal sealed class CommandHelp
    {
        public CommandHelp(string name, string sourcePath)
        {
            Name = name;
            SourcePath = sourcePath;
        }

        public string Name { get; }

        public string SourcePath { get; }

        /// <summary>The front matter's "external help file": the MAML file this command goes into.</summary>
        public string? ExternalHelpFile { get; set; }

        public string? Synopsis { get; set; }

        public string? Description { get; set; }

        public string? Notes { get; set; }

        /// <summary>One entry per parameter set, each with its parameters in position order.</summary>
        public List<SyntaxHelp> Syntax { get; } = new List<SyntaxHelp>();

        public List<ParameterHelp> Parameters { get; } = new List<ParameterHelp>();

        public List<TypeHelp> Inputs { get; } = new List<TypeHelp>();

        public List<TypeHelp> Outputs { get; } = new List<TypeHelp>();

        public List<ExampleHelp> Examples { get; } = new List<ExampleHelp>();

        /// <summary>Related links; the page's "online version" is the first, as PlatyPS puts it.</summary>
        public List<LinkHelp> Links { get; } = new List<LinkHelp>();
    }

    /// <summary>A parameter as one ```yaml block describes it (a parameter that differs between sets has several).</summary>
    internal sealed class ParameterHelp
    {
        public ParameterHelp(string name, string description)
        {
            Name = name;
            Description = description;
        }

        public string Name { get; }

        public string Description { get; }

        public string? Type { get; set; }

        public IReadOnlyList<string> ParameterSets { get; set; } = Array.Empty<string>();

        public IReadOnlyList<string> Aliases { get; set; } = Array.Empty<string>();

        public IReadOnlyList<string> AcceptedValues { get; set; } = Array.Empty<string>();

        public bool Required { get; set; }

        public string Position { get; set; } = "named";

        public string? DefaultValue { get; set; }

        public string PipelineInput { get; set; } = "false";

        public bool Globbing { get; set; }

        public bool IsSwitch =>
            string.Equals(Type, "SwitchParameter", StringComparison.OrdinalIgnoreCase) || string.Equals(Type, "switch", StringComparison.OrdinalIgnoreCase);
    }

    internal sealed class SyntaxHelp
    {
        public SyntaxHelp(string parameterSet, IReadOnlyList<ParameterHelp> parameters)
        {
            ParameterSet = parameterSet;
            Parameters = parameters;
        }

        public string ParameterSet { get; }

        public IReadOnlyList<ParameterHelp> Parameters { get; }
    }

    internal sealed class TypeHelp
    {
        public TypeHelp(string typeName, string description)
        {
            TypeName = typeName;
            Description = description;
        }

        public string TypeName { get; }

        public string Description { get; }
    }

    internal sealed class ExampleHelp
    {
        public ExampleHelp(string title, IReadOnlyList<string> code, string remarks)
        {
            Title = title;
            Code = code;
            Remarks = remarks;
        }

        public string Title { get; }

        /// <summary>Every code block of the example, in order (the command, then for example its output).</summary>
        public IReadOnlyList<string> Code { get; }

        public string Remarks { get; }
    }

    internal sealed class LinkHelp
    {
        public LinkHelp(string text, string uri)
        {
            Text = text;
            Uri = uri;
        }

        public string Text { get; }

        public string Uri { get; }
    }
}
