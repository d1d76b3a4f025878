using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using StartTlsTools.Reporting;

namespace StartTlsTools.Cli
{
    /// <summary>
    /// Reads this module's results back from JSON for the report: NDJSON (one object per line), a JSON array, or
    /// several JSON values one after another (what appending `--json` output to a file gives), nested arrays
    /// flattened. JSON has no type names, so each object's type is the known type whose property signature it has
    /// in full (<see cref="ReportResultType.JsonSignature"/>), or the one named by a "$type" property
    /// ("StartTlsResult", any case). Anything else is counted as not recognised, never dropped silently.
    /// </summary>
    internal static class JsonResultReader
    {
        public const string TypeProperty = "$type";

        /// <summary>The reading rules as reflection options, for tests that write JSON the way other versions might; the CLI reads with <see cref="CliJsonReadContext"/>.</summary>
        internal static JsonSerializerOptions Options
        {
            [RequiresUnreferencedCode("Reflection-based JSON: for tests only.")]
            [RequiresDynamicCode("Reflection-based JSON: for tests only.")]
            get => ReflectionOptions ??= new JsonSerializerOptions
            {
                PropertyNameCaseInsensitive = true,
                Converters = { new JsonStringEnumConverter(), new LenientStringConverter(), new TextListConverter(), new FindingListConverter() },
            };
        }

        private static JsonSerializerOptions? ReflectionOptions;

        /// <summary>What a read found; SyntaxError is set when the input stopped being JSON (everything before it was read).</summary>
        internal sealed class Outcome
        {
            public int Recognized { get; set; }
            public int Unrecognized { get; set; }
            public List<string> Problems { get; } = new List<string>();
            public string? SyntaxError { get; set; }
        }

        public static Outcome Read(string text, ReportBuilder builder)
        {
            var outcome = new Outcome();
            byte[] utf8 = Encoding.UTF8.GetBytes(text.Length > 0 && text[0] == '\uFEFF' ? text.Substring(1) : text);
            var reader = new Utf8JsonReader(utf8, new JsonReaderOptions
            {
                AllowMultipleValues = true,
                AllowTrailingCommas = true,
                CommentHandling = JsonCommentHandling.Skip,
            });
            try
            {
                while (reader.Read())
                {
                    using JsonDocument document = JsonDocument.ParseValue(ref reader);
                    Visit(document.RootElement, builder, outcome);
                }
            }
            catch (JsonException ex)
            {
                outcome.SyntaxError = $"the input is not JSON from line {(ex.LineNumber ?? 0) + 1} on ({FirstSentence(ex.Message)}); what came before it was read";
                builder.AddUnrecognized($"unreadable JSON from line {(ex.LineNumber ?? 0) + 1} to the end of the input");
                outcome.Unrecognized++;
            }
            return outcome;
        }

        private static void Visit(JsonElement element, ReportBuilder builder, Outcome outcome)
        {
            if (element.ValueKind == JsonValueKind.Array)
            {
                foreach (JsonElement item in element.EnumerateArray()) Visit(item, builder, outcome);
                return;
            }
            if (element.ValueKind != JsonValueKind.Object)
            {
                Unrecognized(builder, outcome, "JSON " + element.ValueKind.ToString().ToLowerInvariant() + " value");
                return;
            }

            ReportResultType? type;
            if (element.TryGetProperty(TypeProperty, out JsonElement named) && named.ValueKind == JsonValueKind.String)
            {
                type = ReportBuilder.FindType(named.GetString() ?? "");
                if (type == null)
                {
                    Unrecognized(builder, outcome, "JSON object with " + TypeProperty + " " + named.GetString());
                    return;
                }
            }
            else type = Identify(element);
            if (type == null)
            {
                Unrecognized(builder, outcome, Describe(element));
                return;
            }

            object? result;
            try
            {
                // Compile-time metadata (CliJsonReadContext), so the trimmed native binary reads what it writes.
                JsonTypeInfo info = CliJsonReadContext.Default.GetTypeInfo(type.Type)
                    ?? throw new NotSupportedException($"{type.Type.Name} is not in CliJsonReadContext");
                result = element.Deserialize(info);
            }
            catch (Exception ex) when (ex is JsonException || ex is NotSupportedException || ex is InvalidOperationException || ex is FormatException)
            {
                string where = ex is JsonException json && !string.IsNullOrEmpty(json.Path) ? " at " + json.Path : "";
                outcome.Problems.Add($"a {type.Type.Name} could not be read{where}: {FirstSentence(ex.Message)}");
                Unrecognized(builder, outcome, $"JSON object like {type.Type.Name} that could not be read{where}");
                return;
            }
            if (builder.Add(result)) outcome.Recognized++;
            else outcome.Unrecognized++;
        }

        /// <summary>The known type whose whole signature the object has; null when none or more than one equally specific.</summary>
        internal static ReportResultType? Identify(JsonElement element)
        {
            var names = new HashSet<string>(element.EnumerateObject().Select(p => p.Name), StringComparer.OrdinalIgnoreCase);
            var candidates = ReportBuilder.KnownTypes.Where(t => t.JsonSignature.All(names.Contains))
                .OrderByDescending(t => t.JsonSignature.Count).ToList();
            if (candidates.Count == 0) return null;
            if (candidates.Count > 1 && candidates[0].JsonSignature.Count == candidates[1].JsonSignature.Count) return null;
            return candidates[0];
        }

        private static void Unrecognized(ReportBuilder builder, Outcome outcome, string description)
        {
            builder.AddUnrecognized(description);
            outcome.Unrecognized++;
        }

        private static string Describe(JsonElement element)
        {
            var names = element.EnumerateObject().Select(p => p.Name).Take(6).ToList();
            return names.Count == 0 ? "empty JSON object" : "JSON object with " + string.Join(", ", names) + (element.EnumerateObject().Count() > 6 ? ", \u2026" : "");
        }

        private static string FirstSentence(string message)
        {
            int end = message.IndexOf(". ", StringComparison.Ordinal);
            return end > 0 ? message.Substring(0, end) : message.TrimEnd('.');
        }

        /// <summary>
        /// A string property read from whatever another version wrote: a string, a number or boolean as its text, and
        /// an array (a list property in a newer version) as its items joined with "; ".
        /// </summary>
        internal sealed class LenientStringConverter : JsonConverter<string>
        {
            public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.String: return reader.GetString();
                    case JsonTokenType.Null: return null;
                    case JsonTokenType.StartArray:
                        var items = new List<string>();
                        using (JsonDocument array = JsonDocument.ParseValue(ref reader))
                            foreach (JsonElement item in array.RootElement.EnumerateArray())
                                items.Add(item.ValueKind == JsonValueKind.String ? item.GetString() ?? "" : item.GetRawText());
                        return string.Join(TextList.Separator, items);
                    default:
                        using (JsonDocument value = JsonDocument.ParseValue(ref reader)) return value.RootElement.GetRawText();
                }
            }

            public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
        }

        /// <summary>A TextList from an array of strings, or from one string (one item: server text is never split).</summary>
        internal sealed class TextListConverter : JsonConverter<TextList>
        {
            public override TextList Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
            {
                using JsonDocument document = JsonDocument.ParseValue(ref reader);
                JsonElement root = document.RootElement;
                if (root.ValueKind == JsonValueKind.Array)
                    return new TextList(root.EnumerateArray().Select(i => i.ValueKind == JsonValueKind.String ? i.GetString() ?? "" : i.GetRawText()));
                if (root.ValueKind == JsonValueKind.String) return new TextList(new[] { root.GetString() ?? "" });
                if (root.ValueKind == JsonValueKind.Null) return TextList.Empty;
                throw new JsonException("a text list must be an array of strings");
            }

            public override void Write(Utf8JsonWriter writer, TextList value, JsonSerializerOptions options)
            {
                writer.WriteStartArray();
                foreach (string item in value) writer.WriteStringValue(item);
                writer.WriteEndArray();
            }
        }

        /// <summary>
        /// Findings as the CLI and ConvertTo-Json write them: objects with Id, Severity (name or number), Title, Detail
        /// and Reference. ConvertTo-Json at its default depth writes only the ids; those become findings that say so.
        /// </summary>
        internal sealed class FindingListConverter : JsonConverter<FindingList>
        {
            public const string IdOnlyTitle = "(only the id was in the JSON: write it with ConvertTo-Json -Depth 4)";

            public override bool HandleNull => true;

            public override FindingList Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
            {
                using JsonDocument document = JsonDocument.ParseValue(ref reader);
                JsonElement root = document.RootElement;
                switch (root.ValueKind)
                {
                    case JsonValueKind.Null: return FindingList.Empty;
                    case JsonValueKind.Array: return new FindingList(root.EnumerateArray().Select(ReadOne));
                    // A "; "-joined id list (this module's own ids, as FindingIds writes them).
                    case JsonValueKind.String:
                        return new FindingList((root.GetString() ?? "").Split(new[] { TextList.Separator }, StringSplitOptions.RemoveEmptyEntries)
                            .Select(id => new Finding(id, FindingSeverity.Info, IdOnlyTitle, "", "")));
                    default: throw new JsonException("Findings must be an array");
                }
            }

            private static Finding ReadOne(JsonElement element)
            {
                if (element.ValueKind == JsonValueKind.String) return new Finding(element.GetString() ?? "", FindingSeverity.Info, IdOnlyTitle, "", "");
                if (element.ValueKind != JsonValueKind.Object) throw new JsonException("a finding must be an object");
                string Text(string name)
                {
                    foreach (JsonProperty p in element.EnumerateObject())
                        if (string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))
                            return p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() ?? "" : p.Value.ValueKind == JsonValueKind.Null ? "" : p.Value.GetRawText();
                    return "";
                }
                string severityText = Text("Severity");
                FindingSeverity severity = int.TryParse(severityText, out int number) && Enum.IsDefined(typeof(FindingSeverity), number) ? (FindingSeverity)number
                    : Enum.TryParse(severityText, true, out FindingSeverity named) && Enum.IsDefined(typeof(FindingSeverity), named) ? named
                    : throw new JsonException($"unknown finding severity '{(severityText.Length > 40 ? severityText.Substring(0, 40) + "..." : severityText)}'");
                return new Finding(Text("Id"), severity, Text("Title"), Text("Detail"), Text("Reference"));
            }

            public override void Write(Utf8JsonWriter writer, FindingList value, JsonSerializerOptions options)
            {
                writer.WriteStartArray();
                foreach (Finding f in value)
                {
                    writer.WriteStartObject();
                    writer.WriteString("Id", f.Id);
                    writer.WriteString("Severity", f.Severity.ToString());
                    writer.WriteString("Title", f.Title);
                    writer.WriteString("Detail", f.Detail);
                    writer.WriteString("Reference", f.Reference);
                    writer.WriteEndObject();
                }
                writer.WriteEndArray();
            }
        }
    }
}
