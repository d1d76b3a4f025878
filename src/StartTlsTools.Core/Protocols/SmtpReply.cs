using System;
using System.Collections.Generic;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using StartTlsTools.Transport;

namespace StartTlsTools.Protocols
{
    /// <summary>A complete SMTP/LMTP reply (RFC 5321 section 4.2), possibly multi-line.</summary>
    public sealed class SmtpReply
    {
        /// <summary>Replies longer than this are hostile, not verbose.</summary>
        public const int MaxLines = 512;
        private static readonly Regex EnhancedCode = new Regex(@"^([245])\.(\d{1,3})\.(\d{1,3})(?=\s|$)", RegexOptions.CultureInvariant);

        public SmtpReply(int code, IReadOnlyList<string> lines)
        {
            Code = code;
            Lines = lines;
            var match = EnhancedCode.Match(lines.Count > 0 ? lines[0] : "");
            EnhancedStatusCode = match.Success ? match.Value : null;
        }

        public int Code { get; }
        /// <summary>The text of each line, without the code and separator.</summary>
        public IReadOnlyList<string> Lines { get; }
        /// <summary>RFC 3463 enhanced status code from the first line, e.g. "2.0.0".</summary>
        public string? EnhancedStatusCode { get; }
        public bool IsPositiveCompletion => Code >= 200 && Code < 300;

        public override string ToString()
        {
            var parts = new string[Lines.Count];
            for (int i = 0; i < Lines.Count; i++) parts[i] = Code + (i == Lines.Count - 1 ? " " : "-") + Lines[i];
            return string.Join(" / ", parts).TrimEnd();
        }

        /// <summary>Reads lines until the final one ("250 x" after "250-y" lines).</summary>
        public static async Task<SmtpReply> ReadAsync(ProtocolSession session, string step)
        {
            var lines = new List<string>();
            int code = -1;
            while (true)
            {
                string line = await session.ReadLineAsync(step).ConfigureAwait(false);
                ParseLine(line, step, out int lineCode, out bool isFinal, out string text);
                if (code == -1) code = lineCode;
                else if (lineCode != code)
                    throw new StartTlsProtocolException($"The server changed the reply code from {code} to {lineCode} inside one reply during {step}.");
                lines.Add(text);
                if (isFinal) return new SmtpReply(code, lines);
                if (lines.Count >= MaxLines)
                    throw new StartTlsProtocolException($"The server sent a reply of more than {MaxLines} lines during {step}.");
            }
        }

        /// <summary>Splits "250-SIZE 1000" into code, continuation flag and text. Throws StartTlsProtocolException when malformed.</summary>
        public static void ParseLine(string line, string step, out int code, out bool isFinal, out string text)
        {
            if (line.Length < 3 || !IsDigit(line[0], '2', '5') || !IsDigit(line[1], '0', '9') || !IsDigit(line[2], '0', '9'))
                throw new StartTlsProtocolException($"The server sent a line that is not an SMTP reply during {step}: '{ServerText.Shorten(line)}'.");
            code = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
            if (line.Length == 3)
            {
                isFinal = true;
                text = "";
                return;
            }
            char separator = line[3];
            if (separator != ' ' && separator != '-')
                throw new StartTlsProtocolException($"The server sent a reply line with '{separator}' after the code during {step}: '{ServerText.Shorten(line)}'.");
            isFinal = separator == ' ';
            text = line.Substring(4);
        }

        private static bool IsDigit(char c, char min, char max) => c >= min && c <= max;
    }
}
