using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;

namespace StartTlsTools.Tests.Replay
{
    /// <summary>
    /// A replayed conversation and what it must produce. Format, one item per line:
    /// "# expect-KEY: value" headers; "S: text" a server line; "C: text" the line the client must send;
    /// "S+ N x" a server line of N copies of x with no CRLF (over-long input); "S# hex" raw server bytes (one
    /// record: PerLine delivery hands it over in one read); "C# hex" the exact bytes the client must send (binary protocols);
    /// "--- TLS ---" splits the plaintext part from the part read over TLS. "# protocol: Name" is required.
    /// </summary>
    public sealed class TranscriptFile
    {
        public string Name { get; private set; } = "";
        public StartTlsProtocol Protocol { get; private set; }
        public Dictionary<string, string> Expect { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        public List<ScriptStep> Plain { get; } = new List<ScriptStep>();
        public List<ScriptStep>? OverTls { get; private set; }

        public static string Folder => Path.Combine(AppContext.BaseDirectory, "Transcripts");

        public static IEnumerable<string> All() =>
            Directory.GetFiles(Folder, "*.txt", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(Folder, f).Replace('\\', '/'))
                .OrderBy(f => f, StringComparer.Ordinal);

        public static TranscriptFile Load(string relativePath) =>
            Parse(relativePath, File.ReadAllLines(Path.Combine(Folder, relativePath)));

        public static TranscriptFile Parse(string relativePath, IEnumerable<string> lines)
        {
            var file = new TranscriptFile { Name = relativePath };
            bool protocolDeclared = false;
            List<ScriptStep> current = file.Plain;
            foreach (string raw in lines)
            {
                string line = raw.TrimEnd('\r');
                if (line.StartsWith("# expect-", StringComparison.Ordinal))
                {
                    int colon = line.IndexOf(':');
                    file.Expect[line.Substring(9, colon - 9)] = line.Substring(colon + 1).Trim();
                }
                else if (line.StartsWith("# protocol:", StringComparison.Ordinal))
                {
                    file.Protocol = Enum.Parse<StartTlsProtocol>(line.Substring(11).Trim(), ignoreCase: true);
                    protocolDeclared = true;
                }
                else if (line.StartsWith("#", StringComparison.Ordinal) || line.Trim().Length == 0) continue;
                else if (line == "--- TLS ---") current = file.OverTls = new List<ScriptStep>();
                else if (line.StartsWith("S: ", StringComparison.Ordinal)) current.Add(ScriptStep.Server(line.Substring(3)));
                else if (line == "S:") current.Add(ScriptStep.Server(""));
                else if (line.StartsWith("C: ", StringComparison.Ordinal)) current.Add(ScriptStep.Client(line.Substring(3)));
                else if (line.StartsWith("S+ ", StringComparison.Ordinal))
                {
                    string[] parts = line.Substring(3).Split(' ', 2);
                    current.Add(ScriptStep.ServerRaw(Encoding.ASCII.GetBytes(new string(parts[1][0], int.Parse(parts[0])))));
                }
                else if (line.StartsWith("S# ", StringComparison.Ordinal))
                    current.Add(ScriptStep.ServerRaw(Convert.FromHexString(line.Substring(3).Replace(" ", ""))));
                else if (line.StartsWith("C# ", StringComparison.Ordinal))
                    current.Add(ScriptStep.ClientRaw(Convert.FromHexString(line.Substring(3).Replace(" ", ""))));
                else throw new InvalidDataException($"{relativePath}: cannot read line '{line}'.");
            }
            // No default: a transcript that forgets its protocol would silently be replayed as SMTP.
            if (!protocolDeclared) throw new InvalidDataException($"{relativePath}: no '# protocol:' line.");
            return file;
        }

        public override string ToString() => Name;
    }
}
