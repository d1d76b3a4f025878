using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Reflection;
using AngleSharp.Dom;
using StartTlsTools.Cli;
using StartTlsTools.Reporting;
using Xunit.Abstractions;

namespace StartTlsTools.Tests.Report
{
    /// <summary>
    /// Hostile strings in every string field of every result type, in every finding field, in the title, command line
    /// and producer, and in the descriptions of unrecognised objects; half of the results also go through JSON and
    /// the CLI's reader. Each case is rendered twice, once hostile and once with every string replaced by a harmless
    /// one of the same length (equal strings stay equal, so grouping is the same), and both pages are parsed by a real
    /// HTML5 parser: the element and attribute structure must be identical (nothing injected), the hostile page must
    /// parse without errors, hold exactly our one script and no event-handler attribute, and show each payload as text.
    /// </summary>
    public class ReportFuzzTests
    {
        private const int Seed = 14;
        private static readonly int Cases = int.TryParse(Environment.GetEnvironmentVariable("STARTTLS_REPORT_FUZZ_CASES"), out int n) && n > 0 ? n : 30;

        internal static readonly string[] Payloads =
        {
            "<script>alert(1)</script>", "</script><script>alert(2)</script>", "\"><svg onload=alert(3)>", "' onmouseover='alert(4)' x='",
            "]]>", "<![CDATA[x]]>", "<!--", "-->", "</title></style></textarea></svg>", "<style>*{display:none}</style>",
            "\u0000\u0001\u0007\u000b\u000c\u001b\u007f", "\u0080\u0085\u009f", "line\u2028separator\u2029paragraph", "\ud800lone", "lone\udc00",
            "\uFDD0\uFFFE\uFFFF", "&amp;&lt;&#x3c;&#0;&", "javascript:alert(5)", "https://x.example/\" onclick=\"alert(6)",
            "<img src=x onerror=alert(7)>", "<a href=//evil.example>x</a>", "<base href=//evil.example/>", "<meta http-equiv=refresh content=0>",
            "<link rel=stylesheet href=//evil.example/x.css>", "url(//evil.example/x.png)", "<iframe srcdoc='<script>alert(8)</script>'>",
            "\r\n\t ", "<!DOCTYPE html><html><body>", "{{7*7}}${7*7}", "\uD83D\uDE00 <b>emoji</b>", "</dd></dl></section></main>",
            new string('<', 65536), "A" + new string('"', 65535), string.Concat(Enumerable.Repeat("</script>", 8000)),
        };

        private readonly ITestOutputHelper _log;

        public ReportFuzzTests(ITestOutputHelper log) => _log = log;

        [Fact]
        public void Hostile_strings_in_every_field_inject_no_element_or_attribute()
        {
            for (int i = 0; i < Cases; i++)
            {
                var random = new Random(Seed * 100_003 + i);
                var hostile = new Strings(random, benign: false);
                var benign = hostile.Twin();
                try
                {
                    string hostilePage = Render(Case(new Random(Seed + i), hostile));
                    string benignPage = Render(Case(new Random(Seed + i), benign));
                    Check(hostile, ReportHtml.Parse(hostilePage), ReportHtml.Parse(benignPage));
                }
                catch (Exception ex)
                {
                    throw new Xunit.Sdk.XunitException($"Report fuzz case {i} (seed {Seed}) failed; replay with that case number. {ex}");
                }
            }
            _log.WriteLine($"report fuzz: {Cases} cases, seed {Seed}");
        }

        private static void Check(Strings hostile, ReportHtml page, ReportHtml twin)
        {
            Assert.Empty(page.ParseErrors);
            Assert.Empty(twin.ParseErrors);
            var shape = Shape(page.Document);
            var twinShape = Shape(twin.Document);
            Assert.True(twinShape.Count > 500, "the baseline page is too small to prove anything");
            for (int i = 0; i < Math.Min(shape.Count, twinShape.Count); i++)
                if (shape[i] != twinShape[i]) throw new Xunit.Sdk.XunitException($"element {i} differs: hostile page has {shape[i]}, baseline {twinShape[i]}");
            Assert.Equal(twinShape.Count, shape.Count);

            IElement script = Assert.Single(page.All("script"));
            Assert.Equal(HtmlReport.Script, script.TextContent);
            Assert.Single(page.All("style"));
            foreach (IElement element in page.All("*"))
                Assert.DoesNotContain(element.Attributes, a => a.Name.StartsWith("on", StringComparison.OrdinalIgnoreCase) || a.Name == "src" || a.Name == "srcdoc");

            // Every plain payload (no characters that are shown as stand-ins, short enough not to be cut) is on the page as text.
            string text = page.Document.DocumentElement.TextContent + string.Concat(page.All("*").SelectMany(e => e.Attributes).Select(a => a.Value));
            foreach (string value in hostile.Shown.Where(v => v.Length < 250 && v.All(c => c >= 0x20 && c != 0x7F && (c < 0x80 || c > 0x9F) && !char.IsSurrogate(c) && c < 0xFDD0)))
                Assert.True(text.Contains(value, StringComparison.Ordinal), $"payload not shown as text: {value}");
        }

        /// <summary>Element names with their sorted attribute names, in document order.</summary>
        private static List<string> Shape(IDocument document) =>
            document.All.Select(e => e.LocalName + "[" + string.Join(",", e.Attributes.Select(a => a.Name).OrderBy(n => n, StringComparer.Ordinal)) + "]").ToList();

        private static string Render((List<object> Results, ReportContext Context, List<string> Unrecognized, string Json) input)
        {
            var builder = new ReportBuilder();
            foreach (object result in input.Results) builder.Add(result);
            foreach (string description in input.Unrecognized) builder.AddUnrecognized(description);
            var read = JsonResultReader.Read(input.Json, builder);
            Assert.Null(read.SyntaxError);
            Assert.Empty(read.Problems);
            return HtmlReport.Render(builder.Build(input.Context));
        }

        /// <summary>One object of every known type with every string property set, findings included; half of them as JSON.</summary>
        private static (List<object>, ReportContext, List<string>, string) Case(Random random, Strings strings)
        {
            // JSON cannot carry a lone surrogate (the writer replaces it), so strings that go through it have none.
            var hosts = Enumerable.Range(0, 3).Select(_ => strings.Next(shown: true, jsonSafe: true)).ToList();
            var results = new List<object>();
            foreach (ReportResultType type in ReportBuilder.KnownTypes)
                for (int copy = 0; copy < 2; copy++)
                {
                    bool throughJson = copy == 1;
                    object result = Activator.CreateInstance(type.Type)!;
                    foreach (PropertyInfo property in type.Type.GetProperties().Where(p => p.CanWrite))
                    {
                        Type propertyType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
                        if (property.Name == "HostName") property.SetValue(result, hosts[random.Next(hosts.Count)]);
                        else if (propertyType == typeof(string)) property.SetValue(result, strings.Next(jsonSafe: throughJson));
                        else if (propertyType == typeof(TextList)) property.SetValue(result, new TextList(new[] { strings.Next(jsonSafe: throughJson), strings.Next(jsonSafe: throughJson) }));
                        else if (propertyType == typeof(FindingList)) property.SetValue(result, new FindingList(Enumerable.Range(0, 1 + random.Next(3)).Select(_ =>
                            new Finding(strings.Next(true, throughJson), (FindingSeverity)random.Next(5), strings.Next(true, throughJson), strings.Next(true, throughJson), strings.Next(true, throughJson)))));
                        else if (propertyType.IsEnum)
                        {
                            Array values = Enum.GetValues(propertyType);
                            property.SetValue(result, values.GetValue(random.Next(values.Length)));
                        }
                        else if (propertyType == typeof(int)) property.SetValue(result, property.Name.Contains("Port") ? 1 + random.Next(3) : random.Next(-400, 900));
                        else if (propertyType == typeof(bool)) property.SetValue(result, random.Next(2) == 0);
                        else if (propertyType == typeof(double)) property.SetValue(result, random.NextDouble() * 1000);
                        else if (propertyType == typeof(long)) property.SetValue(result, (long)random.Next(100000));
                        else if (propertyType == typeof(DateTime)) property.SetValue(result, ReportSamples.Now.UtcDateTime.AddDays(random.Next(-400, 900)));
                        else if (propertyType == typeof(DateTimeOffset)) property.SetValue(result, ReportSamples.Now.AddMinutes(-random.Next(1000)));
                    }
                    results.Add(result);
                }
            var context = new ReportContext { Title = strings.Next(true), CommandLine = strings.Next(true), ProducedBy = strings.Next(true), GeneratedAt = ReportSamples.Now, ExpiryWarningDays = random.Next(0, 100) };
            var unrecognized = new List<string> { strings.Next(true), strings.Next(true) };
            // The second copy of each type through JSON and the CLI's reader, as `starttls report` reads it.
            var viaJson = results.Where((_, index) => index % 2 == 1).ToList();
            string json = string.Join("\n", viaJson.Select(r => System.Text.Json.JsonSerializer.Serialize(r, r.GetType(), JsonResultReader.Options)));
            return (results.Where((_, index) => index % 2 == 0).ToList(), context, unrecognized, json);
        }

        /// <summary>
        /// The strings of one case: hostile payloads, each made unique by a suffix; or, for the twin, a harmless string of
        /// the same length in the same slot (so equal strings stay equal and length-dependent layout is the same).
        /// </summary>
        private sealed class Strings
        {
            private readonly Random _random;
            private readonly bool _benign;
            private readonly List<string> _hostile;
            private readonly List<string> _shown = new List<string>();
            private int _next;

            public Strings(Random random, bool benign, List<string>? hostile = null)
            {
                _random = random;
                _benign = benign;
                _hostile = hostile ?? new List<string>();
            }

            /// <summary>Hostile values of fields the report always shows (host names, findings, title, command line, unrecognised kinds).</summary>
            public IReadOnlyList<string> Shown => _shown;

            public Strings Twin() => new Strings(_random, benign: true, _hostile);

            public string Next(bool shown = false, bool jsonSafe = false)
            {
                int slot = _next++;
                if (!_benign)
                {
                    string payload = Payloads[_random.Next(Payloads.Length)];
                    while (jsonSafe && HasLoneSurrogate(payload)) payload = Payloads[_random.Next(Payloads.Length)];
                    string value = payload + "#" + slot.ToString(CultureInfo.InvariantCulture);
                    _hostile.Add(value);
                    if (shown) _shown.Add(value);
                    return value;
                }
                string hostile = _hostile[slot];
                if (hostile == null) throw new InvalidOperationException("the twin asked for more strings than the hostile case made");
                string token = "b" + slot.ToString(CultureInfo.InvariantCulture) + "-";
                return token.Length >= hostile.Length ? token : token + new string('x', hostile.Length - token.Length);
            }

            private static bool HasLoneSurrogate(string text)
            {
                for (int i = 0; i < text.Length; i++)
                {
                    if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) i++;
                    else if (char.IsSurrogate(text[i])) return true;
                }
                return false;
            }
        }
    }
}
