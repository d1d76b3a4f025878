using System;
using System.Collections.Generic;
using System.Text;
using System.Threading.Tasks;
using StartTlsTools.Transport;

namespace StartTlsTools.Protocols
{
    /// <summary>
    /// A ManageSieve response (RFC 5804 section 4): capability lines made of strings (quoted or {n} literals),
    /// ended by an OK, NO or BYE line. Literals are bounded well below the line limit.
    /// </summary>
    public sealed class ManageSieveResponse
    {
        public const int MaxLines = 256;
        public const int MaxLiteralBytes = 8 * 1024;
        private static readonly Encoding Utf8 = new UTF8Encoding(false, false);

        private ManageSieveResponse(string status, string line, IReadOnlyList<string> capabilities)
        {
            Status = status;
            Line = line;
            Capabilities = capabilities;
        }

        /// <summary>OK, NO or BYE, upper case.</summary>
        public string Status { get; }
        /// <summary>The final line as received.</summary>
        public string Line { get; }
        /// <summary>Each capability line as "NAME value", e.g. "SASL PLAIN LOGIN" or "STARTTLS".</summary>
        public IReadOnlyList<string> Capabilities { get; }
        public bool IsOk => Status == "OK";

        public static async Task<ManageSieveResponse> ReadAsync(ProtocolSession session, string step)
        {
            var capabilities = new List<string>();
            while (true)
            {
                string line = await session.ReadLineAsync(step).ConfigureAwait(false);
                string status = StatusOf(line);
                if (status.Length > 0) return new ManageSieveResponse(status, line, capabilities);
                if (capabilities.Count >= MaxLines)
                    throw new StartTlsProtocolException($"The server sent more than {MaxLines} capability lines during {step}.");
                var strings = await ReadStringsAsync(session, line, step).ConfigureAwait(false);
                capabilities.Add(string.Join(" ", strings).Trim());
            }
        }

        /// <summary>"OK", "NO" or "BYE" when the line is a response line; "" when it is a capability line.</summary>
        public static string StatusOf(string line)
        {
            foreach (string status in new[] { "OK", "NO", "BYE" })
                if (line.StartsWith(status, StringComparison.OrdinalIgnoreCase) &&
                    (line.Length == status.Length || line[status.Length] == ' ' || line[status.Length] == '('))
                    return status;
            return "";
        }

        /// <summary>The strings of one capability line; a literal at a line's end continues on the next line after its bytes.</summary>
        public static async Task<List<string>> ReadStringsAsync(ProtocolSession session, string line, string step)
        {
            var strings = new List<string>();
            int i = 0;
            while (true)
            {
                while (i < line.Length && line[i] == ' ') i++;
                if (i >= line.Length) return strings;
                if (line[i] == '"')
                {
                    var value = new StringBuilder();
                    i++;
                    while (true)
                    {
                        if (i >= line.Length)
                            throw new StartTlsProtocolException($"The server sent an unterminated quoted string during {step}: '{ServerText.Shorten(line)}'.");
                        char c = line[i++];
                        if (c == '"') break;
                        if (c == '\\' && i < line.Length) c = line[i++];
                        value.Append(c);
                    }
                    strings.Add(value.ToString());
                }
                else if (line[i] == '{')
                {
                    int close = line.IndexOf('}', i);
                    if (close != line.Length - 1)
                        throw new StartTlsProtocolException($"The server sent a malformed literal during {step}: '{ServerText.Shorten(line)}'.");
                    string digits = line.Substring(i + 1, close - i - 1).TrimEnd('+');
                    if (digits.Length == 0 || digits.Length > 9 || !IsAllDigits(digits))
                        throw new StartTlsProtocolException($"The server sent a malformed literal during {step}: '{ServerText.Shorten(line)}'.");
                    int length = int.Parse(digits, System.Globalization.CultureInfo.InvariantCulture);
                    if (length > MaxLiteralBytes)
                        throw new StartTlsProtocolException($"The server announced a literal of {length} bytes during {step}, over the {MaxLiteralBytes}-byte limit.");
                    byte[] bytes = await session.ReadBytesAsync(length, step).ConfigureAwait(false);
                    string literal = Utf8.GetString(bytes);
                    session.Transcript.Add(TranscriptDirection.Server, session.Phase, literal);
                    strings.Add(literal);
                    // The line goes on after the literal's bytes.
                    line = await session.ReadLineAsync(step).ConfigureAwait(false);
                    i = 0;
                }
                else
                {
                    throw new StartTlsProtocolException($"The server sent a line that is neither a capability nor a response during {step}: '{ServerText.Shorten(line)}'.");
                }
            }
        }

        private static bool IsAllDigits(string text)
        {
            foreach (char c in text) if (c < '0' || c > '9') return false;
            return true;
        }
    }
}
