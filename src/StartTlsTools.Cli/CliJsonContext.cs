using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Serialization;
using StartTlsTools.MailDomain;

namespace StartTlsTools.Cli
{
    /// <summary>
    /// Compile-time JSON metadata for every type the CLI writes, so that the native (AOT, trimmed) binary needs no
    /// reflection. Names stay exactly as the .NET properties (and so the PowerShell object) spell them; enums as
    /// names; lists as arrays. The shape is the one the reflection serializer wrote before.
    /// </summary>
    [JsonSourceGenerationOptions(
        WriteIndented = true,
        UseStringEnumConverter = true,
        Converters = new[] { typeof(TextListWriter), typeof(FindingListWriter) })]
    [JsonSerializable(typeof(StartTlsResult))]
    [JsonSerializable(typeof(TlsCapabilitySummary))]
    [JsonSerializable(typeof(TlsCipherSuiteResult))]
    [JsonSerializable(typeof(StartTlsInjectionResult))]
    [JsonSerializable(typeof(ImplicitVsStartTlsComparison))]
    [JsonSerializable(typeof(SmtpAuthResult))]
    [JsonSerializable(typeof(MailDomainResult))]
    [JsonSerializable(typeof(List<MailDomainResult>))]
    [JsonSerializable(typeof(List<object>))]
    [JsonSerializable(typeof(Finding))]
    internal sealed partial class CliJsonContext : JsonSerializerContext
    {
    }

    /// <summary>
    /// What the report reads back: the same types, names in any case, and the lenient converters of
    /// <see cref="JsonResultReader"/> (results written by another version or by ConvertTo-Json).
    /// </summary>
    [JsonSourceGenerationOptions(
        PropertyNameCaseInsensitive = true,
        UseStringEnumConverter = true,
        Converters = new[] { typeof(JsonResultReader.LenientStringConverter), typeof(JsonResultReader.TextListConverter), typeof(JsonResultReader.FindingListConverter) })]
    [JsonSerializable(typeof(StartTlsResult))]
    [JsonSerializable(typeof(TlsCapabilitySummary))]
    [JsonSerializable(typeof(TlsCipherSuiteResult))]
    [JsonSerializable(typeof(StartTlsInjectionResult))]
    [JsonSerializable(typeof(ImplicitVsStartTlsComparison))]
    [JsonSerializable(typeof(SmtpAuthResult))]
    [JsonSerializable(typeof(MailDomainResult))]
    [JsonSerializable(typeof(MailExchanger))]
    [JsonSerializable(typeof(MtaStsPolicyResult))]
    internal sealed partial class CliJsonReadContext : JsonSerializerContext
    {
    }

    /// <summary>A TextList as a JSON array of strings (null as null), as the reflection serializer wrote it.</summary>
    internal sealed class TextListWriter : JsonConverter<TextList>
    {
        public override TextList Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            throw new NotSupportedException("The CLI writes results; JsonResultReader reads them.");

        public override void Write(Utf8JsonWriter writer, TextList value, JsonSerializerOptions options)
        {
            writer.WriteStartArray();
            foreach (string item in value) writer.WriteStringValue(item);
            writer.WriteEndArray();
        }
    }

    /// <summary>Findings as an array of objects with Id, Severity (its name), Title, Detail and Reference.</summary>
    internal sealed class FindingListWriter : JsonConverter<FindingList>
    {
        public override FindingList Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            throw new NotSupportedException("The CLI writes results; JsonResultReader reads them.");

        public override void Write(Utf8JsonWriter writer, FindingList value, JsonSerializerOptions options)
        {
            writer.WriteStartArray();
            foreach (Finding finding in value) JsonSerializer.Serialize(writer, finding, CliJsonContext.Default.Finding);
            writer.WriteEndArray();
        }
    }
}
