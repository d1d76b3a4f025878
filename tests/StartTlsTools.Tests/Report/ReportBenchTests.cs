using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.Json;
using StartTlsTools.Cli;
using StartTlsTools.Reporting;
using Xunit.Abstractions;

namespace StartTlsTools.Tests.Report
{
    /// <summary>
    /// A 1,000-target fleet report: its size is asserted (it is deterministic); its build time is only printed, never
    /// asserted (timed assertions are flaky on shared machines). bench/report.sh runs this in Release with
    /// STARTTLS_REPORT_BENCH_RUNS=N for a median.
    /// </summary>
    public class ReportBenchTests
    {
        public const int Targets = 1000;
        public const int MaxBytes = 2_000_000;
        private readonly ITestOutputHelper _log;

        public ReportBenchTests(ITestOutputHelper log) => _log = log;

        [Fact]
        public void A_thousand_target_report_is_under_two_megabytes_and_its_build_time_is_printed()
        {
            // The fleet run: one Test-StartTls result per target. The size goal is for this.
            var (bytes, _) = Measure("Test-StartTls results only", ReportSamples.Fleet(Targets, scanEvery: 0));
            Assert.True(bytes < MaxBytes, $"{bytes} bytes for {Targets} targets");
            // The same with every tenth target also scanned (summary and suite rows) and probed: printed, for the record.
            Measure("every tenth target also scanned and probed", ReportSamples.Fleet(Targets, scanEvery: 10));
        }

        private (int Bytes, ReportModel Model) Measure(string label, List<object> fleet)
        {
            string ndjson = string.Join("\n", fleet.Select(r => JsonSerializer.Serialize(r, r.GetType(), JsonResultReader.Options)));
            int runs = int.TryParse(Environment.GetEnvironmentVariable("STARTTLS_REPORT_BENCH_RUNS"), out int n) && n > 0 ? n : 1;

            // The first run pays for JIT; with several runs it is left out of the median.
            var buildTimes = new List<double>();
            var readTimes = new List<double>();
            int bytes = 0;
            ReportModel? model = null;
            for (int run = 0; run < runs + (runs > 1 ? 1 : 0); run++)
            {
                var watch = Stopwatch.StartNew();
                var builder = new ReportBuilder();
                foreach (object result in fleet) builder.Add(result);
                model = builder.Build(ReportSamples.Context());
                bytes = Encoding.UTF8.GetByteCount(HtmlReport.Render(model));
                double buildMs = watch.Elapsed.TotalMilliseconds;

                watch.Restart();
                var fromJson = new ReportBuilder();
                JsonResultReader.Read(ndjson, fromJson);
                HtmlReport.Render(fromJson.Build(ReportSamples.Context()));
                double readMs = watch.Elapsed.TotalMilliseconds;
                if (runs == 1 || run > 0)
                {
                    buildTimes.Add(buildMs);
                    readTimes.Add(readMs);
                }
            }

            Assert.Equal(Targets, model!.Targets.Count);
            // bench/report.sh keeps the pages for a look.
            if (Environment.GetEnvironmentVariable("STARTTLS_REPORT_BENCH_OUT") is { Length: > 0 } dir)
                ReportFile.Write(model, System.IO.Path.Combine(dir, (label.StartsWith("every", StringComparison.Ordinal) ? "fleet-scanned" : "fleet") + ".html"));
            _log.WriteLine(string.Format(CultureInfo.InvariantCulture,
                "report bench ({0}): {1} targets, {2} results; size {3:N0} bytes ({4:0.00} MB); in-process build+render median {5:0} ms (min {6:0}, max {7:0}, {8} runs); " +
                "from {9:N0} bytes of NDJSON, read+build+render median {10:0} ms",
                label, Targets, fleet.Count, bytes, bytes / 1e6, Median(buildTimes), buildTimes.Min(), buildTimes.Max(), buildTimes.Count, Encoding.UTF8.GetByteCount(ndjson), Median(readTimes)));
            return (bytes, model);
        }

        private static double Median(List<double> values)
        {
            var sorted = values.OrderBy(v => v).ToList();
            return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
        }
    }
}
