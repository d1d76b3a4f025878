using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;

namespace StartTlsTools.HelpCompiler
{
    /// <summary>A compiled help file: its name in the culture folder (en-US) and its bytes.</summary>
    internal sealed class HelpFile
    {
        public HelpFile(string name, byte[] content)
        {
            Name = name;
            Content = content;
        }

        public string Name { get; }

        public byte[] Content { get; }
    }

    /// <summary>
    /// Compiles a docs folder: every about_*.md becomes about_Name.help.txt, every other *.md is a cmdlet page that
    /// goes into the MAML file named by its front matter's "external help file". Everything is read and checked
    /// before anything is written, so a malformed page leaves no half-written help behind.
    /// </summary>
    internal static class HelpCompiler
    {
        private static readonly Encoding Utf8WithBom = new UTF8Encoding(true);

        public static IReadOnlyList<HelpFile> Compile(string docsDirectory)
        {
            string[] pages = Directory.GetFiles(docsDirectory, "*.md").OrderBy(p => p, StringComparer.Ordinal).ToArray();
            if (pages.Length == 0) throw new HelpSchemaException(docsDirectory, 0, "the folder has no Markdown pages");

            var files = new List<HelpFile>();
            var commandsByFile = new SortedDictionary<string, List<CommandHelp>>(StringComparer.Ordinal);
            foreach (string path in pages)
            {
                string markdown = File.ReadAllText(path);
                if (Path.GetFileName(path).StartsWith("about_", StringComparison.OrdinalIgnoreCase))
                {
                    var (topic, text) = AboutTopicWriter.Convert(markdown, path);
                    // Get-Help finds about_Name by this file name. (PlatyPS would name it after the .md file.)
                    files.Add(new HelpFile(topic + ".help.txt", Utf8WithBom.GetPreamble().Concat(Utf8WithBom.GetBytes(text)).ToArray()));
                    continue;
                }

                CommandHelp command = CommandPageParser.Parse(markdown, path);
                string? mamlFile = command.ExternalHelpFile;
                if (string.IsNullOrEmpty(mamlFile) || mamlFile!.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || !mamlFile.EndsWith(".xml", StringComparison.OrdinalIgnoreCase))
                    throw new HelpSchemaException(path, 1, "the front matter needs 'external help file: <Assembly>.dll-Help.xml'");
                if (!commandsByFile.TryGetValue(mamlFile, out List<CommandHelp>? commands)) commandsByFile[mamlFile] = commands = new List<CommandHelp>();
                CommandHelp? twin = commands.FirstOrDefault(c => c.Name.Equals(command.Name, StringComparison.OrdinalIgnoreCase));
                if (twin != null) throw new HelpSchemaException(path, 1, $"{command.Name} is documented twice (also in {twin.SourcePath})");
                commands.Add(command);
            }

            foreach (var pair in commandsByFile)
                files.Add(new HelpFile(pair.Key, MamlWriter.ToBytes(MamlWriter.ToMaml(pair.Value))));
            return files;
        }

        /// <summary>Compiles <paramref name="docsDirectory"/> into <paramref name="outputDirectory"/>; returns the paths written.</summary>
        public static IReadOnlyList<string> CompileDirectory(string docsDirectory, string outputDirectory)
        {
            IReadOnlyList<HelpFile> files = Compile(docsDirectory);
            Directory.CreateDirectory(outputDirectory);
            var written = new List<string>();
            foreach (HelpFile file in files)
            {
                string path = Path.Combine(outputDirectory, file.Name);
                File.WriteAllBytes(path, file.Content);
                written.Add(path);
            }
            return written;
        }
    }
}
