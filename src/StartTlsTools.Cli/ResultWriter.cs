using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace StartTlsTools.Cli
{
    /// <summary>
    /// Prints result objects: JSON with the PowerShell property names (indented, or one object per line for
    /// NDJSON), CSV rows, or a Format-List style view. The properties come from the compile-time JSON metadata
    /// (<see cref="CliJsonContext"/>), not from reflection, so the trimmed native binary prints the same.
    /// </summary>
    public static class ResultWriter
    {
        public static string ToJson(object value) => JsonSerializer.Serialize(value, TypeInfo(value.GetType()));

        /// <summary>The value as one line of JSON (NDJSON): no indentation, so no line break inside.</summary>
        public static string ToJsonLine(object value)
        {
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = false, Encoder = CliJsonContext.Default.Options.Encoder }))
                JsonSerializer.Serialize(writer, value, TypeInfo(value.GetType()));
            return Encoding.UTF8.GetString(buffer.ToArray());
        }

        public static void WriteList(object value, TextWriter output)
        {
            var properties = Properties(value.GetType());
            int width = properties.Max(p => p.Name.Length);
            foreach (JsonPropertyInfo property in properties)
            {
                object? raw = property.Get!(value);
                if (raw == null) continue;
                string text = Convert.ToString(raw, CultureInfo.InvariantCulture) ?? "";
                if (raw is double d) text = d.ToString("0.0", CultureInfo.InvariantCulture);
                // ISO 8601, as in the JSON: the invariant culture's month/day order reads wrongly outside the US.
                if (raw is DateTime when) text = when.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + (when.Kind == DateTimeKind.Utc ? "Z" : "");
                if (raw is FindingList findings)
                {
                    if (findings.Count == 0) continue;
                    text = string.Join("\n", findings.Select(f => $"{f.Severity}: {f.Id} - {f.Title} ({f.Reference})"));
                }
                if (raw is DateTimeOffset at) text = at.ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture);
                string[] lines = text.Replace("\r", "").TrimEnd('\n').Split('\n');
                output.WriteLine($"{property.Name.PadRight(width)} : {lines[0]}");
                foreach (string more in lines.Skip(1)) output.WriteLine(new string(' ', width + 3) + more);
            }
        }

        /// <summary>The CSV header for a result type: its property names, in the JSON's order.</summary>
        public static string CsvHeader(Type type) => string.Join(",", Properties(type).Select(p => CsvCell(p.Name)));

        /// <summary>
        /// One CSV row, flat as Export-Csv writes it: lists joined with "; " (findings as their ids), times in
        /// ISO 8601 (round-trip form), numbers in the invariant culture, null as an empty cell.
        /// </summary>
        public static string CsvRow(object value) =>
            string.Join(",", Properties(value.GetType()).Select(p => CsvCell(CsvText(p.Get!(value)))));

        private static string CsvText(object? raw) => raw switch
        {
            null => "",
            DateTime time => time.ToString("o", CultureInfo.InvariantCulture),
            DateTimeOffset at => at.ToString("o", CultureInfo.InvariantCulture),
            double d => d.ToString("R", CultureInfo.InvariantCulture),
            _ => Convert.ToString(raw, CultureInfo.InvariantCulture) ?? "",
        };

        /// <summary>RFC 4180: quoted when the text has a comma, a quote, a line break or edge spaces; quotes doubled.</summary>
        private static string CsvCell(string text)
        {
            bool quote = text.IndexOfAny(new[] { ',', '"', '\r', '\n' }) >= 0 || (text.Length > 0 && (char.IsWhiteSpace(text[0]) || char.IsWhiteSpace(text[text.Length - 1])));
            return quote ? "\"" + text.Replace("\"", "\"\"") + "\"" : text;
        }

        private static JsonTypeInfo TypeInfo(Type type) =>
            CliJsonContext.Default.GetTypeInfo(type) ?? throw new NotSupportedException($"{type.Name} is not in CliJsonContext: add [JsonSerializable(typeof({type.Name}))].");

        private static IList<JsonPropertyInfo> Properties(Type type) => TypeInfo(type).Properties;
    }
}
