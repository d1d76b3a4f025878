using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using StartTlsTools.Cli;
using StartTlsTools.Reporting;
using StartTlsTools.Tests.Integration;
using StartTlsTools.Tests.Report;

namespace StartTlsTools.Tests.Cmdlets
{
    /// <summary>starttls report: JSON in (NDJSON, arrays, appended --json output, stdin), one HTML file out, honest about what it could not read.</summary>
    [Collection("Lab")]
    public sealed class CliReportTests : IDisposable
    {
        private readonly string _dir = Directory.CreateTempSubdirectory("starttls-report-").FullName;

        public void Dispose() => Directory.Delete(_dir, recursive: true);

        private static (int Exit, string Out, string Err) Run(string? stdin, params string[] args)
        {
            var stdout = new StringWriter();
            var stderr = new StringWriter();
            int exit = Program.Run(args, stdout, stderr, new StringReader(stdin ?? ""));
            return (exit, stdout.ToString(), stderr.ToString());
        }

        private string PathOf(string name) => Path.Combine(_dir, name);

        private static string Ndjson(IEnumerable<object> results) =>
            string.Join("\n", results.Select(r => JsonSerializer.Serialize(r, r.GetType(), JsonResultReader.Options))) + "\n";

        private ReportHtml Report(string file) => ReportHtml.Parse(File.ReadAllText(PathOf(file)));

        [Fact]
        public void Results_the_cli_printed_for_the_lab_become_one_report()
        {
            string ca = Lab.Current["LAB_CA"];
            string smtp = Lab.Current.LivePort("LAB_SMTP_PORT").ToString(), legacy = Lab.Current.LivePort("LAB_LEGACY_SMTP_PORT").ToString();
            // Appended outputs of several commands, as a shell loop with >> makes them: indented objects and an array.
            var outputs = new[]
            {
                Run(null, "test", "localhost", "--port", smtp, "--trusted-root", ca, "--ehlo-name", "client.lab.test", "--json"),
                Run(null, "test", "localhost", "--port", Lab.Current.LivePort("LAB_SMTP_PLAIN_PORT").ToString(), "--ehlo-name", "client.lab.test", "--json"),
                Run(null, "test", "localhost", "-p", "imap", "--port", Lab.Current.LivePort("LAB_IMAP_PORT").ToString(), "--trusted-root", ca, "--json"),
                Run(null, "capability", "localhost", "--port", legacy, "--ehlo-name", "client.lab.test", "--summary", "--json"),
                Run(null, "injection", "localhost", "--port", smtp, "--wait", "1", "--trusted-root", ca, "--ehlo-name", "client.lab.test", "--json"),
            };
            File.WriteAllText(PathOf("lab.json"), string.Concat(outputs.Select(o => o.Out)));

            var (exit, output, error) = Run(null, "report", "--input", PathOf("lab.json"), "--output", PathOf("lab.html"), "--title", "Lab <report>");

            Assert.True(exit == 0, error + output);
            Assert.Equal("", error);
            Assert.StartsWith(PathOf("lab.html") + ": 4 targets (2 healthy, 2 not healthy)", output);
            ReportHtml page = Report("lab.html");
            Assert.Empty(page.ParseErrors);
            Assert.Equal("Lab <report>", page.Document.Title);
            var rows = page.All("#targets tbody tr");
            Assert.Equal(new[] { $"localhost:{smtp}", $"localhost:{Lab.Current.Port("LAB_SMTP_PLAIN_PORT")}", $"localhost:{Lab.Current.Port("LAB_IMAP_PORT")}", $"localhost:{legacy}" },
                rows.Select(r => r.QuerySelector("th")!.TextContent));
            Assert.Equal("Test-StartTls, Test-StartTlsInjection", rows[0].Children[8].TextContent);
            Assert.Equal("Get-TlsCapability", rows[3].Children[8].TextContent);
            Assert.Equal("Insecure", rows[3].Children[5].TextContent);
            Assert.Contains("starttls report --input " + PathOf("lab.json"), page.One("header code").TextContent);
            Assert.Contains("ESMTP Postfix", page.Document.GetElementById("t1")!.TextContent);
        }

        [Fact]
        public void Ndjson_an_array_and_appended_indented_values_read_the_same()
        {
            var results = new List<object> { ReportSamples.Healthy("a.example.com"), ReportSamples.NotOffered("b.example.com"), ReportSamples.Comparison("c.example.com") };
            File.WriteAllText(PathOf("lines.ndjson"), Ndjson(results));
            File.WriteAllText(PathOf("array.json"), JsonSerializer.Serialize(results.Cast<object>().ToArray(), JsonResultReader.Options));
            File.WriteAllText(PathOf("appended.json"), string.Concat(results.Select(r => ResultWriter.ToJson(r) + "\n")));

            foreach (string input in new[] { "lines.ndjson", "array.json", "appended.json" })
            {
                var (exit, output, error) = Run(null, "report", "-i", PathOf(input), "-o", PathOf(input + ".html"));
                Assert.True(exit == 0, input + ": " + error);
                Assert.Contains(": 3 targets (2 healthy, 1 not healthy), 3 results, 0 not recognised", output);
                Assert.Equal(new[] { "a.example.com:25", "b.example.com:25", "c.example.com:587" },
                    Report(input + ".html").All("#targets tbody th").Select(th => th.TextContent));
            }
        }

        [Fact]
        public void Standard_input_is_read_with_a_dash()
        {
            var (exit, output, error) = Run(Ndjson(new[] { ReportSamples.Healthy() }), "report", "--input", "-", "--output", PathOf("stdin.html"));
            Assert.True(exit == 0, error);
            Assert.Contains("1 targets (1 healthy", output);
            Assert.Single(Report("stdin.html").All("section.t"));
        }

        [Fact]
        public void Unknown_json_is_counted_listed_and_noted_but_not_an_error()
        {
            string input = Ndjson(new[] { ReportSamples.Healthy() }) + "{\"Name\":\"x\",\"Value\":1}\n42\n\"text\"\n{}\n{\"$type\":\"SomethingNewer\",\"Domain\":\"example.com\"}\n";
            var (exit, output, error) = Run(input, "report", "--input", "-", "--output", PathOf("unknown.html"));

            Assert.Equal(0, exit);
            Assert.Contains("5 not recognised", output);
            Assert.Contains("note: 5 JSON value(s) were not results this version knows", error);
            var kinds = Report("unknown.html").All("div.notice li").Select(li => li.TextContent).ToList();
            Assert.Equal(new[] { "JSON object with Name, Value: 1", "JSON number value: 1", "JSON string value: 1", "empty JSON object: 1", "JSON object with $type SomethingNewer: 1" }, kinds);
        }

        [Fact]
        public void A_type_discriminator_names_the_type_of_an_object_whose_properties_do_not()
        {
            string input = "{\"$type\":\"StartTlsResult\",\"HostName\":\"typed.example.com\",\"Port\":465,\"Protocol\":\"Smtp\",\"ImplicitTls\":true,\"Status\":\"Success\",\"CertificateValid\":true}\n";
            var (exit, output, error) = Run(input, "report", "--input", "-", "--output", PathOf("typed.html"));
            Assert.True(exit == 0, error);
            Assert.Contains("1 targets (1 healthy", output);
            Assert.Equal("typed.example.com:465", Report("typed.html").One("#targets tbody th").TextContent);
        }

        [Fact]
        public void Json_from_convertto_json_reads_enums_as_numbers_and_findings_cut_to_ids()
        {
            // ConvertTo-Json writes enums as numbers, and at its default depth writes each finding as its ToString(): the id.
            string input = "{\"HostName\":\"ps.example.com\",\"Port\":25,\"Protocol\":0,\"Status\":1,\"TlsEstablished\":false,\"StartTlsOffered\":false," +
                "\"CapabilitiesBeforeTls\":\"PIPELINING; 8BITMIME\",\"Findings\":[\"StartTlsNotOffered\"],\"IsHealthy\":false,\"FindingIds\":\"StartTlsNotOffered\"}\n" +
                "{\"HostName\":\"deep.example.com\",\"Port\":25,\"Status\":\"NotOffered\",\"TlsEstablished\":false,\"StartTlsOffered\":false,\"CapabilitiesBeforeTls\":[\"PIPELINING\",\"8BITMIME\"]," +
                "\"Findings\":[{\"Id\":\"StartTlsNotOffered\",\"Severity\":3,\"Title\":\"STARTTLS is not offered\",\"Detail\":\"d\",\"Reference\":\"RFC 3207\"}]}\n";
            var (exit, _, error) = Run(input, "report", "--input", "-", "--output", PathOf("ps.html"));

            Assert.True(exit == 0, error);
            ReportHtml page = Report("ps.html");
            Assert.Equal(new[] { "NotOffered", "NotOffered" }, page.All("#targets tbody tr").Select(r => r.Children[2].TextContent));
            Assert.Contains(JsonResultReader.FindingListConverter.IdOnlyTitle, page.Document.GetElementById("t1")!.TextContent);
            Assert.Equal("High 1", page.All("#targets tbody tr")[1].Children[7].TextContent);
            // An array is a typed list, one item per capability.
            Assert.Equal(new[] { "PIPELINING", "8BITMIME" }, page.All("#t2 ul.caps li").Select(li => li.TextContent));
        }

        [Fact]
        public void A_value_that_does_not_fit_its_type_leaves_that_object_out_with_a_warning()
        {
            string input = "{\"HostName\":\"bad.example.com\",\"Port\":\"twenty-five\",\"Status\":\"Success\",\"TlsEstablished\":true,\"StartTlsOffered\":true,\"CapabilitiesBeforeTls\":\"\"}\n" +
                Ndjson(new[] { ReportSamples.Healthy() });
            var (exit, output, error) = Run(input, "report", "--input", "-", "--output", PathOf("bad.html"));

            Assert.Equal(0, exit);
            Assert.Contains("warning: a StartTlsResult could not be read at $.Port", error);
            Assert.Contains("1 targets", output);
            Assert.Equal("JSON object like StartTlsResult that could not be read at $.Port: 1", Report("bad.html").One("div.notice li").TextContent);
        }

        [Fact]
        public void A_cut_off_last_line_keeps_everything_before_it_and_exits_one()
        {
            string input = Ndjson(new[] { ReportSamples.Healthy("a.example.com"), ReportSamples.Healthy("b.example.com") }) + "{\"HostName\":\"c.exa";
            var (exit, output, error) = Run(input, "report", "--input", "-", "--output", PathOf("cut.html"));

            Assert.Equal(1, exit);
            Assert.Contains("warning: the input is not JSON from line 3 on", error);
            Assert.Contains("2 targets", output);
            Assert.Contains("unreadable JSON from line 3 to the end of the input", Report("cut.html").One("div.notice").TextContent);
        }

        [Fact]
        public void Bad_usage_and_unusable_files_exit_two_and_write_nothing()
        {
            Assert.Equal(2, Run(null, "report", "--input", "-").Exit);
            var missing = Run(null, "report", "--input", PathOf("no-such.json"), "--output", PathOf("x.html"));
            Assert.Equal(2, missing.Exit);
            Assert.Contains("error: cannot read", missing.Err);
            File.WriteAllText(PathOf("one.ndjson"), Ndjson(new[] { ReportSamples.Healthy() }));
            var toDirectory = Run(null, "report", "--input", PathOf("one.ndjson"), "--output", _dir);
            Assert.Equal(2, toDirectory.Exit);
            Assert.Contains("is a directory", toDirectory.Err);
            var noFolder = Run(null, "report", "--input", PathOf("one.ndjson"), "--output", PathOf("no/such/folder/x.html"));
            Assert.Equal(2, noFolder.Exit);
            Assert.Contains("cannot write", noFolder.Err);
            Assert.Equal(2, Run(null, "report", "--input", PathOf("one.ndjson"), "--output", PathOf("x.html"), "--expiry-warning-days", "-1").Exit);
            Assert.False(File.Exists(PathOf("x.html")));
        }

        [Fact]
        public void Empty_input_is_an_empty_report()
        {
            var (exit, output, error) = Run("", "report", "--input", "-", "--output", PathOf("empty.html"));
            Assert.True(exit == 0, error);
            Assert.Contains("0 targets", output);
            Assert.Contains("No results were given", Report("empty.html").One("section[aria-labelledby=h-sum]").TextContent);
        }

        [Fact]
        public void Text_lists_read_from_arrays_or_one_string_and_write_arrays()
        {
            var options = JsonResultReader.Options;
            Assert.Equal(new[] { "a", "b; c" }, JsonSerializer.Deserialize<TextList>("[\"a\",\"b; c\"]", options)!);
            Assert.Equal(new[] { "a; b" }, JsonSerializer.Deserialize<TextList>("\"a; b\"", options)!);
            Assert.Equal("[\"x\",\"y\"]", JsonSerializer.Serialize(new TextList(new[] { "x", "y" }), options));
            Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<TextList>("{}", options));
        }

        [Fact]
        public void Identification_needs_the_whole_signature()
        {
            using var partial = JsonDocument.Parse("{\"HostName\":\"x\",\"Port\":1,\"Status\":\"Success\"}");
            Assert.Null(JsonResultReader.Identify(partial.RootElement));
            using var full = JsonDocument.Parse("{\"hostname\":\"x\",\"port\":1,\"verdict\":\"Vulnerable\",\"injectedcommand\":\"EHLO a\",\"sanitycheck\":\"Success\"}");
            Assert.Equal(typeof(StartTlsInjectionResult), JsonResultReader.Identify(full.RootElement)!.Type);
        }
    }
}
