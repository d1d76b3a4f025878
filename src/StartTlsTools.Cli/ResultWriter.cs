using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace StartTlsTools.Cli
{
    /// <summary>Prints result objects: JSON with the PowerShell property names, or a Format-List style view.</summary>
    public static class ResultWriter
    {
        private static readonly JsonSerializerOptions Json = new JsonSerializerOptions
        {
            WriteIndented = true,
            Converters = { new JsonStringEnumConverter() },
            // Keep names exactly as the .NET properties (and so the PowerShell object) spell them.
            PropertyNamingPolicy = null,
        };

        public static string ToJson<T>(T value) => JsonSerializer.Serialize(value, Json);

        public static void WriteList(object value, TextWriter output)
        {
            var properties = value.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance);
            int width = properties.Max(p => p.Name.Length);
            foreach (PropertyInfo property in properties)
            {
                object? raw = property.GetValue(value);
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
    }
}
