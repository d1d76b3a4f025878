using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;

namespace StartTlsTools.Cli
{
    /// <summary>One line of a target list: a target, or why the line could not be read.</summary>
    internal sealed class TargetLine
    {
        public int LineNumber { get; set; }
        public string HostName { get; set; } = "";
        /// <summary>Null: the --port option, else the protocol's default.</summary>
        public int? Port { get; set; }
        /// <summary>Null: the --protocol option.</summary>
        public StartTlsProtocol? Protocol { get; set; }
        /// <summary>Set when the line is malformed; the line is then skipped.</summary>
        public string? Error { get; set; }

        public string Label => Port == null ? HostName : HostName.Contains(':') ? $"[{HostName}]:{Port}" : $"{HostName}:{Port}";
    }

    /// <summary>
    /// Reads targets one line at a time (the run starts before the list is read to its end): either lines of
    /// <c>host[:port] [protocol]</c> (whitespace or a comma between the columns; <c>[v6]:port</c> for IPv6 with a
    /// port), or a CSV whose first line is a header naming HostName and optionally Port and Protocol (any order,
    /// any case, quoted or not; other columns ignored, so Export-Csv output of a result works). Blank lines and
    /// lines starting with # are skipped; a malformed line comes back with its <see cref="TargetLine.Error"/>.
    /// </summary>
    internal static class TargetListReader
    {
        /// <summary>A longer line is not a target list (a binary file by mistake); it is reported, not parsed.</summary>
        public const int MaxLineLength = 4096;

        public static IEnumerable<TargetLine> Read(TextReader input)
        {
            int lineNumber = 0;
            bool first = true;
            CsvColumns? csv = null;
            string? line;
            while ((line = input.ReadLine()) != null)
            {
                lineNumber++;
                string text = line.Trim();
                if (lineNumber == 1 && text.Length > 0 && text[0] == '\uFEFF') text = text.Substring(1).Trim();
                if (text.Length == 0 || text[0] == '#') continue;
                if (text.Length > MaxLineLength)
                {
                    yield return new TargetLine { LineNumber = lineNumber, Error = $"longer than {MaxLineLength} characters" };
                    continue;
                }
                if (first)
                {
                    first = false;
                    csv = CsvColumns.TryHeader(text);
                    if (csv != null) continue;
                }
                yield return csv != null ? csv.Parse(text, lineNumber) : ParsePlain(text, lineNumber);
            }
        }

        /// <summary><c>host[:port] [protocol]</c>, columns split at whitespace or a comma; a trailing "# comment" is ignored.</summary>
        internal static TargetLine ParsePlain(string text, int lineNumber)
        {
            var target = new TargetLine { LineNumber = lineNumber };
            var columns = new List<string>();
            foreach (string column in text.Split(new[] { ' ', '\t', ',' }, StringSplitOptions.RemoveEmptyEntries))
            {
                if (column[0] == '#') break;
                columns.Add(column);
            }
            if (columns.Count > 2)
            {
                target.Error = $"expected 'host[:port] [protocol]', found {columns.Count} columns";
                return target;
            }
            target.Error = SplitHostPort(columns[0], target) ?? (columns.Count == 2 ? ParseProtocol(columns[1], target) : null);
            return target;
        }

        /// <summary>host, host:port, [v6] or [v6]:port; a bare IPv6 literal (two or more colons) has no port.</summary>
        private static string? SplitHostPort(string text, TargetLine into)
        {
            string host = text;
            string? port = null;
            if (text.StartsWith("[", StringComparison.Ordinal))
            {
                int close = text.IndexOf(']');
                if (close < 0) return $"'{Shorten(text)}' has no closing ']'";
                host = text.Substring(1, close - 1);
                string rest = text.Substring(close + 1);
                if (rest.Length > 0)
                {
                    if (rest[0] != ':') return $"'{Shorten(text)}': expected ':port' after ']'";
                    port = rest.Substring(1);
                }
            }
            else
            {
                int colon = text.IndexOf(':');
                if (colon >= 0 && colon == text.LastIndexOf(':'))
                {
                    host = text.Substring(0, colon);
                    port = text.Substring(colon + 1);
                }
            }
            if (host.Length == 0) return $"'{Shorten(text)}' has no host name";
            into.HostName = host;
            return port == null ? null : ParsePort(port, into);
        }

        private static string? ParsePort(string text, TargetLine into)
        {
            if (text.Length == 0) return null;
            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port < 1 || port > 65535)
                return $"port '{Shorten(text)}' is not a number from 1 to 65535";
            into.Port = port;
            return null;
        }

        private static string? ParseProtocol(string text, TargetLine into)
        {
            if (text.Length == 0) return null;
            // Names only: Enum.TryParse would also take "3" or "1,2".
            foreach (StartTlsProtocol protocol in Enum.GetValues<StartTlsProtocol>())
            {
                if (string.Equals(protocol.ToString(), text, StringComparison.OrdinalIgnoreCase))
                {
                    into.Protocol = protocol;
                    return null;
                }
            }
            return $"unknown protocol '{Shorten(text)}' (one of: {string.Join(", ", Enum.GetNames<StartTlsProtocol>())})";
        }

        private static string Shorten(string text) => ServerText.Shorten(ServerText.Inert(text), 60);

        /// <summary>Where HostName, Port and Protocol are in a CSV with a header.</summary>
        private sealed class CsvColumns
        {
            private int _host = -1, _port = -1, _protocol = -1;

            public static CsvColumns? TryHeader(string line)
            {
                List<string>? cells = SplitCsv(line);
                if (cells == null) return null;
                var columns = new CsvColumns();
                for (int i = 0; i < cells.Count; i++)
                {
                    string name = cells[i].Trim();
                    if (string.Equals(name, "HostName", StringComparison.OrdinalIgnoreCase) && columns._host < 0) columns._host = i;
                    else if (string.Equals(name, "Port", StringComparison.OrdinalIgnoreCase) && columns._port < 0) columns._port = i;
                    else if (string.Equals(name, "Protocol", StringComparison.OrdinalIgnoreCase) && columns._protocol < 0) columns._protocol = i;
                }
                return columns._host >= 0 ? columns : null;
            }

            public TargetLine Parse(string line, int lineNumber)
            {
                var target = new TargetLine { LineNumber = lineNumber };
                List<string>? cells = SplitCsv(line);
                if (cells == null)
                {
                    target.Error = "unbalanced quotes";
                    return target;
                }
                string Cell(int index) => index >= 0 && index < cells.Count ? cells[index].Trim() : "";
                target.HostName = Cell(_host);
                // Brackets are allowed around an IPv6 literal; the port is its own column here.
                if (target.HostName.StartsWith("[", StringComparison.Ordinal) && target.HostName.EndsWith("]", StringComparison.Ordinal))
                    target.HostName = target.HostName.Substring(1, target.HostName.Length - 2);
                if (target.HostName.Length == 0)
                {
                    target.Error = "the HostName column is empty";
                    return target;
                }
                target.Error = ParsePort(Cell(_port), target) ?? ParseProtocol(Cell(_protocol), target);
                return target;
            }

            /// <summary>RFC 4180 cells of one line ("" inside quotes is a quote); null when a quote is left open.</summary>
            private static List<string>? SplitCsv(string line)
            {
                var cells = new List<string>();
                var cell = new StringBuilder();
                bool quoted = false;
                for (int i = 0; i < line.Length; i++)
                {
                    char c = line[i];
                    if (quoted)
                    {
                        if (c != '"') cell.Append(c);
                        else if (i + 1 < line.Length && line[i + 1] == '"') { cell.Append('"'); i++; }
                        else quoted = false;
                    }
                    else if (c == '"') quoted = true;
                    else if (c == ',') { cells.Add(cell.ToString()); cell.Clear(); }
                    else cell.Append(c);
                }
                if (quoted) return null;
                cells.Add(cell.ToString());
                return cells;
            }
        }
    }
}
