using System;
using System.Linq;

namespace StartTlsTools.Tests.Help
{
    /// <summary>A small cmdlet page in PlatyPS schema 2.0.0 that uses every section and two parameter sets.</summary>
    internal static class SamplePage
    {
        public const string Path = "docs/Get-Thing.md";

        /// <summary>The page with \n line endings, whatever the checkout did to this file.</summary>
        public static readonly string Markdown = Raw.Replace("\r\n", "\n");

        private const string Raw = """
            ---
            external help file: Sample.dll-Help.xml
            Module Name: Sample
            online version: https://example.test/docs/Get-Thing.md
            schema: 2.0.0
            ---

            # Get-Thing

            ## SYNOPSIS
            Gets a thing
            from a store.

            ## SYNTAX

            ### ByName (Default)
            ```
            Get-Thing [-Name] <String> [-Force] [-Store <String>] [<CommonParameters>]
            ```

            ### ById
            ```
            Get-Thing -Id <Int32> [-Store <String>] [<CommonParameters>]
            ```

            ## DESCRIPTION
            First paragraph,
            still the first.

            Second paragraph.

            ## EXAMPLES

            ### Example 1: Get a thing by name
            ```powershell
            Get-Thing -Name a
            ```

            ```Output
            Name
            ----
            a
            ```

            Gets the thing named a.

            Then shows it.

            ### Example 2: Get a thing by id
            ```powershell
            Get-Thing -Id 1
            ```

            Gets thing 1.

            ## PARAMETERS

            ### -Force
            Forces it.

            ```yaml
            Type: SwitchParameter
            Parameter Sets: ByName
            Aliases:

            Required: False
            Position: Named
            Default value: None
            Accept pipeline input: False
            Accept wildcard characters: False
            ```

            ### -Id
            The id.

            ```yaml
            Type: Int32
            Parameter Sets: ById
            Aliases: Identity

            Required: True
            Position: Named
            Default value: None
            Accept pipeline input: True (ByPropertyName)
            Accept wildcard characters: False
            ```

            ### -Name
            The name. Values:

            - a: the first
            - b: the second

            ```yaml
            Type: String
            Parameter Sets: ByName
            Aliases: N, ThingName
            Accepted values: a, b

            Required: True
            Position: 0
            Default value: None
            Accept pipeline input: True (ByPropertyName, ByValue)
            Accept wildcard characters: True
            ```

            ### -Store
            Where to look.

            ```yaml
            Type: String
            Parameter Sets: (All)
            Aliases:

            Required: False
            Position: Named
            Default value: The default store
            Accept pipeline input: False
            Accept wildcard characters: False
            ```

            ### CommonParameters
            This cmdlet supports the common parameters. For more information, see [about_CommonParameters](http://go.microsoft.com/fwlink/?LinkID=113216).

            ## INPUTS

            ### System.String
            A name.

            ## OUTPUTS

            ### Sample.Thing
            The thing.

            ## NOTES
            Note one.

            ## RELATED LINKS

            [Get-Other](https://example.test/docs/Get-Other.md)

            [about_Things]()
            """;

        /// <summary>The sample with one exact piece of text replaced (the test fails if it is not there).</summary>
        public static string With(string original, string replacement)
        {
            original = original.Replace("\r\n", "\n");
            if (!Markdown.Contains(original, StringComparison.Ordinal)) throw new ArgumentException($"The sample page has no '{original}'.");
            return Markdown.Replace(original, replacement.Replace("\r\n", "\n"), StringComparison.Ordinal);
        }

        /// <summary>The 1-based line of the first line of <paramref name="markdown"/> that contains <paramref name="text"/>.</summary>
        public static int LineOf(string markdown, string text)
        {
            string[] lines = markdown.Replace("\r\n", "\n").Split('\n');
            int index = Array.FindIndex(lines, l => l.Contains(text, StringComparison.Ordinal));
            if (index < 0) throw new ArgumentException($"No line contains '{text}'.");
            return index + 1;
        }

        public static string[] Paragraphs(string? text) => text == null ? Array.Empty<string>() : text.Split("\r\n").ToArray();
    }
}
