using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using StartTlsTools.Cli;
using StartTlsTools.Tests.Integration;

namespace StartTlsTools.Tests.Cmdlets
{
    /// <summary>starttls test/capability --input: lists streamed through the scheduler, as NDJSON, CSV or the list view.</summary>
    [Collection("Lab")]
    public class CliTargetListTests
    {
        private static (int Exit, string Out, string Err) Run(string stdin, params string[] args)
        {
            var stdout = new StringWriter();
            var stderr = new StringWriter();
            int exit = Program.Run(args, stdout, stderr, new StringReader(stdin));
            return (exit, stdout.ToString(), stderr.ToString());
        }

        private static int SmtpPort => Lab.Current.LivePort("LAB_SMTP_PORT");
        private static int ImapPort => Lab.Current.LivePort("LAB_IMAP_PORT");
        private static int SubmissionPort => Lab.Current.LivePort("LAB_SUBMISSION_PORT");

        /// <summary>Three good targets in the three line forms (bare, protocol after a space, protocol after a comma).</summary>
        private static string GoodList() =>
            $"# the lab\nlocalhost:{SmtpPort}\n\nlocalhost:{ImapPort} imap\nlocalhost:{SubmissionPort},Submission\n";

        private static List<JsonElement> Ndjson(string output)
        {
            var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            // One parseable object per line, nothing else on the line.
            return lines.Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
        }

        [Fact]
        public void Ndjson_has_one_object_per_line_with_the_inputs_host_port_and_protocol()
        {
            var (exit, output, error) = Run(GoodList(), "test", "--input", "-", "--trusted-root", Lab.Current["LAB_CA"], "--json");

            Assert.True(exit == 0, error + output);
            List<JsonElement> rows = Ndjson(output);
            Assert.Equal(3, rows.Count);
            Assert.All(rows, r => Assert.Equal(JsonValueKind.Object, r.ValueKind));
            var seen = rows.Select(r => (r.GetProperty("HostName").GetString()!, r.GetProperty("Port").GetInt32(), r.GetProperty("Protocol").GetString()!)).OrderBy(t => t.Item2).ToList();
            var expected = new[] { ("localhost", SmtpPort, "Smtp"), ("localhost", ImapPort, "Imap"), ("localhost", SubmissionPort, "Submission") }.OrderBy(t => t.Item2).ToList();
            Assert.Equal(expected, seen);
            Assert.All(rows, r => Assert.Equal("Success", r.GetProperty("Status").GetString()));
            // The same shape as the single-target JSON: lists stay arrays, findings objects.
            Assert.Equal(JsonValueKind.Array, rows[0].GetProperty("CapabilitiesBeforeTls").ValueKind);
            Assert.Equal(JsonValueKind.Array, rows[0].GetProperty("Findings").ValueKind);
        }

        [Fact]
        public void Malformed_lines_are_reported_by_number_and_the_other_targets_still_run()
        {
            string list = $"localhost:{SmtpPort}\nlocalhost:99999\nlocalhost:{ImapPort} Gopher\n[::1:{SmtpPort}\nlocalhost:{ImapPort} imap extra\nlocalhost:{ImapPort} imap\n";
            var (exit, output, error) = Run(list, "test", "-i", "-", "--trusted-root", Lab.Current["LAB_CA"], "--json", "--parallel", "2");

            Assert.Equal(3, exit);
            Assert.Contains("line 2: port '99999'", error);
            Assert.Contains("line 3: unknown protocol 'Gopher'", error);
            Assert.Contains("line 4:", error);
            Assert.Contains("line 5:", error);
            Assert.DoesNotContain("line 1:", error);
            Assert.DoesNotContain("line 6:", error);
            List<JsonElement> rows = Ndjson(output);
            Assert.Equal(new[] { ImapPort, SmtpPort }.OrderBy(p => p), rows.Select(r => r.GetProperty("Port").GetInt32()).OrderBy(p => p));
            Assert.All(rows, r => Assert.Equal("Success", r.GetProperty("Status").GetString()));
        }

        [Fact]
        public void A_line_the_engine_rejects_is_reported_with_its_number_too()
        {
            var (exit, output, error) = Run($"localhost:{SmtpPort}\nbad_host!name:{SmtpPort}\n", "test", "-i", "-", "--trusted-root", Lab.Current["LAB_CA"], "--json");
            Assert.Equal(3, exit);
            Assert.Contains("line 2:", error);
            Assert.Single(Ndjson(output));
        }

        [Fact]
        public void Csv_has_one_header_and_one_row_per_result_and_reads_a_csv_with_a_header()
        {
            // Export-Csv style input: quoted, extra columns, any column order.
            string input = "\"Note\",\"Protocol\",\"Port\",\"HostName\"\n" +
                           $"\"a, b\",\"Smtp\",\"{SmtpPort}\",\"localhost\"\n" +
                           $"x,imap,{ImapPort},localhost\n" +
                           $"y,Submission,{SubmissionPort},localhost\n";
            var (exit, output, error) = Run(input, "test", "-i", "-", "--trusted-root", Lab.Current["LAB_CA"], "--csv", "--transcript");

            Assert.True(exit == 0, error + output);
            List<List<string>> records = CsvRecords(output);
            Assert.Equal(4, records.Count);
            List<string> header = records[0];
            Assert.Equal(typeof(StartTlsResult).GetProperties().Length, header.Count);
            Assert.Equal(1, records.Count(r => r[0] == "HostName"));
            Assert.All(records.Skip(1), r => Assert.Equal(header.Count, r.Count));
            int port = header.IndexOf("Port"), status = header.IndexOf("Status"), caps = header.IndexOf("CapabilitiesBeforeTls"), findings = header.IndexOf("Findings");
            Assert.Equal(new[] { SmtpPort, ImapPort, SubmissionPort }.OrderBy(p => p), records.Skip(1).Select(r => int.Parse(r[port])).OrderBy(p => p));
            Assert.All(records.Skip(1), r => Assert.Equal("Success", r[status]));
            // Flat: lists joined with "; ", findings as their ids, never a type name.
            Assert.Contains(records.Skip(1), r => r[caps].Contains("STARTTLS; ", StringComparison.Ordinal));
            Assert.DoesNotContain(records.Skip(1), r => r[findings].Contains("System.", StringComparison.Ordinal) || r[caps].Contains("System.", StringComparison.Ordinal));
        }

        [Fact]
        public void Parallel_one_and_parallel_eight_give_the_same_results()
        {
            var list = new StringBuilder();
            for (int i = 0; i < 4; i++)
                list.Append($"localhost:{SmtpPort}\nlocalhost:{ImapPort} imap\n127.0.0.1:{SubmissionPort} submission\n");
            list.Append("localhost:1\n");

            var one = Run(list.ToString(), "test", "-i", "-", "--trusted-root", Lab.Current["LAB_CA"], "--json", "--parallel", "1", "--timeout", "5");
            var eight = Run(list.ToString(), "test", "-i", "-", "--trusted-root", Lab.Current["LAB_CA"], "--json", "--parallel", "8", "--timeout", "5");

            static List<string> Set((int Exit, string Out, string Err) run) =>
                Ndjson(run.Out).Select(r => $"{r.GetProperty("HostName").GetString()}:{r.GetProperty("Port").GetInt32()}/{r.GetProperty("Protocol").GetString()}={r.GetProperty("Status").GetString()}")
                    .OrderBy(s => s, StringComparer.Ordinal).ToList();
            Assert.Equal(1, one.Exit);
            Assert.Equal(1, eight.Exit);
            Assert.Equal(13, Set(one).Count);
            Assert.Equal(Set(one), Set(eight));
            Assert.Contains($"localhost:1/Smtp=ConnectFailed", Set(one));
            // One at a time keeps the input's order.
            Assert.Equal(new[] { SmtpPort, ImapPort, SubmissionPort }, Ndjson(one.Out).Take(3).Select(r => r.GetProperty("Port").GetInt32()));
        }

        [Fact]
        public void Capability_over_a_list_prints_one_summary_per_target()
        {
            string list = $"localhost:{SmtpPort}\nlocalhost:{ImapPort},imap\nlocalhost:0\n";
            var (exit, output, error) = Run(list, "capability", "-i", "-", "--json", "--parallel", "2", "--max-connections", "4");

            Assert.Equal(3, exit);
            Assert.Contains("line 3:", error);
            List<JsonElement> rows = Ndjson(output);
            Assert.Equal(2, rows.Count);
            Assert.All(rows, r => Assert.Equal("Success", r.GetProperty("Status").GetString()));
            Assert.All(rows, r => Assert.True(r.GetProperty("CipherSuitesAccepted").GetInt32() > 0));
            Assert.Equal(new[] { SmtpPort, ImapPort }.OrderBy(p => p), rows.Select(r => r.GetProperty("Port").GetInt32()).OrderBy(p => p));
        }

        [Fact]
        public void Host_and_input_together_or_neither_is_bad_usage_and_a_missing_file_too()
        {
            Assert.Equal(2, Run("", "test").Exit);
            Assert.Equal(2, Run("", "test", "localhost", "--input", "-").Exit);
            Assert.Equal(2, Run("", "test", "-i", "-", "--json", "--csv").Exit);
            Assert.Equal(2, Run("", "test", "-i", "-", "--parallel", "0").Exit);
            var (exit, _, error) = Run("", "test", "-i", Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N")));
            Assert.Equal(2, exit);
            Assert.Contains("cannot read", error);
        }

        [Fact]
        public void Dane_and_dns_server_match_tlsa_like_the_cmdlet()
        {
            string zone = Lab.Current["LAB_DNS_ZONE"];
            var (exit, output, error) = Run($"mx1.{zone}:25\nmx-mismatch.{zone}:25\n", "test", "-i", "-", "--dane", "--dns-server", Lab.Current["LAB_DNS_RESOLVER"],
                "--trusted-root", Lab.Current["LAB_CA"], "--ehlo-name", "client.lab.test", "--json", "--parallel", "1");

            Assert.True(exit == 0, error + output);
            List<JsonElement> rows = Ndjson(output);
            Assert.Equal(new[] { "Matched", "Mismatch" }, rows.Select(r => r.GetProperty("DaneStatus").GetString()));
            Assert.Contains("DaneMismatch", rows[1].GetProperty("FindingIds").GetString());

            var (badExit, _, badError) = Run("", "test", "localhost", "--dns-server", "not-an-address");
            Assert.Equal(2, badExit);
            Assert.Contains("error:", badError);
        }

        [Theory]
        [InlineData("mail.example.com", "mail.example.com", null, null)]
        [InlineData("mail.example.com:587 submission", "mail.example.com", 587, StartTlsProtocol.Submission)]
        [InlineData("mail.example.com,25,", null, null, null)]
        [InlineData("[2001:db8::1]:25", "2001:db8::1", 25, null)]
        [InlineData("2001:db8::1 imap", "2001:db8::1", null, StartTlsProtocol.Imap)]
        [InlineData("host:25 smtp # a comment", "host", 25, StartTlsProtocol.Smtp)]
        [InlineData("host:0", null, null, null)]
        [InlineData("host:25x", null, null, null)]
        [InlineData("[::1", null, null, null)]
        [InlineData("host 1", null, null, null)]
        public void Plain_lines_parse_or_say_why_not(string line, string? host, int? port, StartTlsProtocol? protocol)
        {
            TargetLine target = TargetListReader.ParsePlain(line, 7);
            if (host == null)
            {
                Assert.NotNull(target.Error);
                return;
            }
            Assert.Null(target.Error);
            Assert.Equal((host, port, protocol), (target.HostName, target.Port, target.Protocol));
        }

        [Fact]
        public void The_reader_streams_lines_before_the_input_ends()
        {
            var reader = new BlockingAfterFirstLine("localhost:25\n");
            using IEnumerator<TargetLine> lines = TargetListReader.Read(reader).GetEnumerator();
            Assert.True(lines.MoveNext());
            Assert.Equal(("localhost", 25), (lines.Current.HostName, lines.Current.Port!.Value));
        }

        /// <summary>Gives one line, then fails the test if read further: a reader that reads ahead would not stream.</summary>
        private sealed class BlockingAfterFirstLine : TextReader
        {
            private string? _first;
            public BlockingAfterFirstLine(string first) => _first = first.TrimEnd('\n');
            public override string? ReadLine()
            {
                if (_first == null) throw new InvalidOperationException("read past the first line before it was handed on");
                string line = _first;
                _first = null;
                return line;
            }
        }

        /// <summary>RFC 4180 records (quoted cells may hold commas, quotes and line breaks).</summary>
        private static List<List<string>> CsvRecords(string text)
        {
            var records = new List<List<string>>();
            var record = new List<string>();
            var cell = new StringBuilder();
            bool quoted = false;
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                if (quoted)
                {
                    if (c != '"') cell.Append(c);
                    else if (i + 1 < text.Length && text[i + 1] == '"') { cell.Append('"'); i++; }
                    else quoted = false;
                }
                else if (c == '"') quoted = true;
                else if (c == ',') { record.Add(cell.ToString()); cell.Clear(); }
                else if (c == '\r') { }
                else if (c == '\n') { record.Add(cell.ToString()); cell.Clear(); records.Add(record); record = new List<string>(); }
                else cell.Append(c);
            }
            Assert.False(quoted, "an open quote at the end of the CSV");
            if (cell.Length > 0 || record.Count > 0) { record.Add(cell.ToString()); records.Add(record); }
            return records;
        }
    }
}
