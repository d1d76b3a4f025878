using System.Collections.Generic;
using System.Threading.Tasks;
using StartTlsTools.Transport;

namespace StartTlsTools.Protocols
{
    /// <summary>
    /// A complete FTP reply (RFC 959 section 4.2). Unlike SMTP, the lines between "NNN-" and the final "NNN "
    /// need not carry the code at all (FEAT's feature lines start with a space), so a reply ends only at a line
    /// that starts with the same code followed by a space, or is the bare code.
    /// </summary>
    public sealed class FtpReply
    {
        /// <summary>Replies longer than this are hostile, not verbose.</summary>
        public const int MaxLines = 512;

        public FtpReply(int code, IReadOnlyList<string> lines)
        {
            Code = code;
            Lines = lines;
        }

        public int Code { get; }
        /// <summary>The first line's text after the code, then intermediate lines verbatim, then the last line's text; one item for a one-line reply.</summary>
        public IReadOnlyList<string> Lines { get; }
        public bool IsPositiveCompletion => Code >= 200 && Code < 300;

        /// <summary>The lines strictly between the first and the last, as FEAT lists its features.</summary>
        public IReadOnlyList<string> InnerLines
        {
            get
            {
                var inner = new List<string>();
                for (int i = 1; i < Lines.Count - 1; i++) inner.Add(Lines[i]);
                return inner;
            }
        }

        public override string ToString() =>
            Lines.Count == 1 ? (Code + " " + Lines[0]).TrimEnd() : Code + "-" + string.Join(" / ", Lines).TrimEnd();

        public static async Task<FtpReply> ReadAsync(ProtocolSession session, string step)
        {
            string first = await session.ReadLineAsync(step).ConfigureAwait(false);
            int code = ParseCode(first, step);
            string codeText = first.Substring(0, 3);
            if (first.Length == 3 || first[3] == ' ') return new FtpReply(code, new[] { first.Length == 3 ? "" : first.Substring(4) });
            if (first[3] != '-')
                throw new StartTlsProtocolException($"The server sent a reply line with '{first[3]}' after the code during {step}: '{ServerText.Shorten(first)}'.");

            var lines = new List<string> { first.Substring(4) };
            while (true)
            {
                if (lines.Count >= MaxLines)
                    throw new StartTlsProtocolException($"The server sent a reply of more than {MaxLines} lines during {step}.");
                string line = await session.ReadLineAsync(step).ConfigureAwait(false);
                if (line.StartsWith(codeText, System.StringComparison.Ordinal) && (line.Length == 3 || line[3] == ' '))
                {
                    lines.Add(line.Length == 3 ? "" : line.Substring(4));
                    return new FtpReply(code, lines);
                }
                // Intermediate lines are free text (RFC 959 4.2), including "NNN-" lines.
                lines.Add(line);
            }
        }

        /// <summary>The reply code of a first line: three digits, the first 1 to 5. Throws StartTlsProtocolException otherwise.</summary>
        public static int ParseCode(string line, string step)
        {
            if (line.Length < 3 || line[0] < '1' || line[0] > '5' || !IsDigit(line[1]) || !IsDigit(line[2]))
                throw new StartTlsProtocolException($"The server sent a line that is not an FTP reply during {step}: '{ServerText.Shorten(line)}'.");
            return (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
        }

        private static bool IsDigit(char c) => c >= '0' && c <= '9';
    }
}
