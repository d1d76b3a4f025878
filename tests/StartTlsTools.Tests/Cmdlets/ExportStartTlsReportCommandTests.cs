using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Reflection;
using StartTlsTools.Commands;
using StartTlsTools.Tests.Report;

namespace StartTlsTools.Tests.Cmdlets
{
    /// <summary>The Export-StartTlsReport cmdlet class through its output seam: file written at the end, -PassThru, errors with stable ids.</summary>
    public sealed class ExportStartTlsReportCommandTests : IDisposable
    {
        private readonly string _dir = Directory.CreateTempSubdirectory("starttls-export-").FullName;

        public void Dispose() => Directory.Delete(_dir, recursive: true);

        private static RecordingOutput Invoke(ExportStartTlsReportCommand command, params object[] input)
        {
            var output = new RecordingOutput();
            command.InputObject = new PSObject(input);
            command.InvokeForTest(output);
            return output;
        }

        [Fact]
        public void Writes_the_report_at_the_end_and_nothing_to_the_pipeline_by_default()
        {
            string path = Path.Combine(_dir, "r.html");
            var output = Invoke(new ExportStartTlsReportCommand { Path = path, Title = "Fleet" }, ReportSamples.Healthy(), ReportSamples.NotOffered());

            Assert.Empty(output.Objects);
            Assert.Empty(output.Errors);
            Assert.Empty(output.Warnings);
            Assert.Contains(output.Verbose, v => v.StartsWith("Wrote " + path + ": 2 targets from 2 results", StringComparison.Ordinal));
            ReportHtml page = ReportHtml.Parse(File.ReadAllText(path));
            Assert.Equal("Fleet", page.Document.Title);
            Assert.Equal(2, page.All("#targets tbody tr").Length);
            Assert.Contains("Export-StartTlsReport -Path " + path, page.One("header code").TextContent);
        }

        [Fact]
        public void PassThru_writes_one_summary_of_the_file()
        {
            string path = Path.Combine(_dir, "p.html");
            var (scan, suites) = ReportSamples.Legacy();
            var output = Invoke(new ExportStartTlsReportCommand { Path = path, PassThru = true, ExpiryWarningDays = 60 },
                new object[] { ReportSamples.Healthy(), ReportSamples.NotOffered(), scan }.Concat(suites).ToArray());

            var summary = Assert.IsType<StartTlsReportSummary>(Assert.Single(output.Objects));
            Assert.Equal(path, summary.Path);
            Assert.Equal((3, 2, 1, 0), (summary.Targets, summary.Healthy, summary.NotHealthy, summary.NoVerdict));
            Assert.Equal(3 + suites.Count, summary.Results);
            Assert.Equal(new FileInfo(path).Length, summary.SizeBytes);
            Assert.Equal(1, summary.High - scan.Findings.Count(f => f.Severity == FindingSeverity.High));
            Assert.Contains("warning: 60 days", File.ReadAllText(path));
        }

        [Fact]
        public void Other_objects_are_left_out_with_a_warning_that_names_them()
        {
            string path = Path.Combine(_dir, "w.html");
            var output = Invoke(new ExportStartTlsReportCommand { Path = path, PassThru = true }, ReportSamples.Healthy(), "text", 7, new PSObject("wrapped"));

            var warning = Assert.Single(output.Warnings);
            Assert.Equal("3 object(s) are not results of this module and are left out of the report (it lists them): System.String (2), System.Int32 (1).", warning);
            Assert.Equal(3, ((StartTlsReportSummary)output.Objects.Single()).Unrecognized);
        }

        [Fact]
        public void No_input_writes_an_empty_report()
        {
            string path = Path.Combine(_dir, "e.html");
            var output = new RecordingOutput();
            new ExportStartTlsReportCommand { Path = path }.InvokeForTest(output);
            Assert.Empty(output.Errors);
            Assert.Contains("No results were given", File.ReadAllText(path));
        }

        [Fact]
        public void A_missing_folder_or_a_folder_as_path_is_an_error_before_the_pipeline_and_nothing_is_written()
        {
            var missing = Invoke(new ExportStartTlsReportCommand { Path = Path.Combine(_dir, "no", "such", "r.html"), PassThru = true }, ReportSamples.Healthy());
            var error = Assert.Single(missing.Errors);
            Assert.Equal(ExportStartTlsReportCommand.DirectoryNotFoundId, error.Id);
            Assert.Equal(ErrorCategory.ObjectNotFound, error.Category);
            Assert.Equal(Path.Combine(_dir, "no", "such", "r.html"), error.Target);
            Assert.Empty(missing.Objects);

            var folder = Invoke(new ExportStartTlsReportCommand { Path = _dir, PassThru = true }, ReportSamples.Healthy());
            Assert.Equal(ExportStartTlsReportCommand.PathInvalidId, Assert.Single(folder.Errors).Id);
            Assert.Equal(ErrorCategory.InvalidArgument, folder.Errors[0].Category);
            Assert.Empty(folder.Objects);
            Assert.Empty(Directory.GetFiles(_dir));
        }

        [Fact]
        public void A_file_that_cannot_be_written_is_a_write_error()
        {
            // Even root cannot create files in /proc.
            var output = Invoke(new ExportStartTlsReportCommand { Path = "/proc/starttls-report.html", PassThru = true }, ReportSamples.Healthy());
            var error = Assert.Single(output.Errors);
            Assert.Equal(ExportStartTlsReportCommand.WriteFailedId, error.Id);
            Assert.Equal(ErrorCategory.WriteError, error.Category);
            Assert.Contains("/proc/starttls-report.html", error.Message);
            Assert.Empty(output.Objects);
        }

        [Fact]
        public void Help_uri_and_output_type_are_declared()
        {
            var cmdlet = typeof(ExportStartTlsReportCommand).GetCustomAttribute<CmdletAttribute>()!;
            Assert.Equal("https://github.com/starttlstools/StartTlsTools/blob/main/docs/en-US/Export-StartTlsReport.md", cmdlet.HelpUri);
            Assert.Equal(typeof(StartTlsReportSummary), typeof(ExportStartTlsReportCommand).GetCustomAttribute<OutputTypeAttribute>()!.Type.Single().Type);
            string page = File.ReadAllText(Path.Combine(ModuleContractTests.RepoRoot, "docs", "en-US", "Export-StartTlsReport.md"));
            Assert.Contains("online version: " + cmdlet.HelpUri + "\n", page.Replace("\r\n", "\n"));
            Assert.True(page.Split("\n### Example ").Length - 1 >= 6);
            var input = typeof(ExportStartTlsReportCommand).GetProperty("InputObject")!.GetCustomAttribute<ParameterAttribute>()!;
            Assert.True(input.ValueFromPipeline);
            Assert.False(input.Mandatory);
        }
    }
}
