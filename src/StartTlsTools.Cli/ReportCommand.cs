using System;
using System.CommandLine;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using StartTlsTools.Reporting;

namespace StartTlsTools.Cli
{
    /// <summary>
    /// starttls report --input results.ndjson|- --output report.html [--title T] [--expiry-warning-days N]
    /// Reads results written with --json (NDJSON, a JSON array, or JSON values one after another) and writes one
    /// self-contained HTML report. Exit codes: 0 written from all of the input, 1 written but part of the input was
    /// not JSON (everything before that part is in the report), 2 bad usage or a file that cannot be read or written.
    /// </summary>
    internal static class ReportCommand
    {
        public static Command Build(TextWriter stdout, TextWriter stderr, TextReader stdin)
        {
            var input = new Option<string>("--input", "-i") { Description = "Results as JSON (NDJSON, an array, or values one after another); '-' reads standard input.", Required = true };
            var output = new Option<string>("--output", "-o") { Description = "The HTML file to write (replaced if it exists).", Required = true };
            var title = new Option<string>("--title") { Description = "The report's title.", DefaultValueFactory = _ => ReportContext.DefaultTitle };
            var expiryDays = new Option<int>("--expiry-warning-days") { Description = "Where the certificate expiry timeline draws its warning line (0-3650 days).", DefaultValueFactory = _ => FindingOptions.DefaultExpiryWarningDays };

            var command = new Command("report", "Write a self-contained HTML report (charts, a sortable table, per-target detail) from results saved with --json.")
            {
                input, output, title, expiryDays,
            };
            command.SetAction(parse =>
            {
                int days = parse.GetValue(expiryDays);
                string? titleText = parse.GetValue(title);
                if (days < 0 || days > FindingOptions.MaxExpiryWarningDays)
                    return Usage(stderr, $"--expiry-warning-days must be 0 to {FindingOptions.MaxExpiryWarningDays}.");
                if (string.IsNullOrWhiteSpace(titleText)) return Usage(stderr, "--title must not be empty.");
                var context = new ReportContext
                {
                    Title = titleText!,
                    ExpiryWarningDays = days,
                    CommandLine = CommandLine(parse.Tokens.Select(t => t.Value)),
                    ProducedBy = $"starttls {ReportContext.ModuleVersion} (.NET {Environment.Version})",
                };
                return Run(parse.GetValue(input) ?? "", parse.GetValue(output) ?? "", context, stdout, stderr, stdin);
            });
            return command;
        }

        internal static int Run(string inputPath, string outputPath, ReportContext context, TextWriter stdout, TextWriter stderr, TextReader stdin)
        {
            string text;
            try
            {
                text = inputPath == "-" ? stdin.ReadToEnd() : File.ReadAllText(inputPath);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is ArgumentException || ex is NotSupportedException)
            {
                return Usage(stderr, $"cannot read '{inputPath}': {ex.Message}");
            }
            string fullOutput;
            try
            {
                fullOutput = Path.GetFullPath(outputPath);
                if (Directory.Exists(fullOutput)) return Usage(stderr, $"'{outputPath}' is a directory; give a file name.");
            }
            catch (Exception ex) when (ex is ArgumentException || ex is NotSupportedException || ex is PathTooLongException)
            {
                return Usage(stderr, $"'{outputPath}' is not a valid path: {ex.Message}");
            }

            var builder = new ReportBuilder();
            JsonResultReader.Outcome read = JsonResultReader.Read(text, builder);
            foreach (string problem in read.Problems) stderr.WriteLine("warning: " + problem);
            if (read.SyntaxError != null) stderr.WriteLine("warning: " + read.SyntaxError);
            if (read.Unrecognized > 0) stderr.WriteLine($"note: {read.Unrecognized} JSON value(s) were not results this version knows; the report lists them.");

            ReportModel model = builder.Build(context);
            StartTlsReportSummary summary;
            try
            {
                summary = ReportFile.Write(model, fullOutput);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                return Usage(stderr, $"cannot write '{outputPath}': {ex.Message}");
            }
            stdout.WriteLine($"{summary.Path}: {summary.Targets} targets ({summary.Healthy} healthy, {summary.NotHealthy} not healthy), " +
                $"{summary.Results} results, {summary.Unrecognized} not recognised, {summary.SizeBytes} bytes");
            return read.SyntaxError == null ? ExitCodes.Healthy : ExitCodes.NotHealthy;
        }

        private static int Usage(TextWriter stderr, string message)
        {
            stderr.WriteLine("error: " + message);
            return ExitCodes.Usage;
        }

        /// <summary>"starttls report --input x --output y" (the parsed tokens, those with spaces quoted). The report command takes no secret.</summary>
        private static string CommandLine(System.Collections.Generic.IEnumerable<string> arguments) =>
            "starttls " + string.Join(" ", arguments.Select(a => a.Length == 0 || a.Any(char.IsWhiteSpace) || a.Contains('"') ? "\"" + a.Replace("\"", "\\\"") + "\"" : a));
    }
}
