using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using StartTlsTools.Reporting;
using StartTlsTools.Tests.Cmdlets;
using Xunit.Abstractions;

namespace StartTlsTools.Tests.Report
{
    /// <summary>
    /// A report of real lab results opened in Debian's headless Chromium through the DevTools protocol: a 1280x800
    /// screenshot and a print-to-PDF under out/report-test/, no console error, no request leaving the file, a real
    /// click on a column heading sorts the table (both ways), the filter narrows it, the print style sheet hides the
    /// controls, and with scripts disabled the table is complete and static.
    /// </summary>
    [Collection("Lab")]
    public class ReportBrowserTests
    {
        private const int FindingsColumn = 7;
        private readonly ITestOutputHelper _log;

        public ReportBrowserTests(ITestOutputHelper log) => _log = log;

        private static string OutputDirectory()
        {
            string dir = Path.Combine(ModuleContractTests.RepoRoot, "out", "report-test");
            Directory.CreateDirectory(dir);
            return dir;
        }

        private static string WriteLabReport(string dir)
        {
            var builder = new ReportBuilder();
            foreach (object result in LabReportResults.Get()) builder.Add(result);
            var context = new ReportContext { Title = "StartTlsTools lab report", CommandLine = "LabReportResults | Export-StartTlsReport -Path out/report-test/lab-report.html" };
            string path = Path.Combine(dir, "lab-report.html");
            ReportFile.Write(builder.Build(context), path);
            return path;
        }

        [Fact]
        public async Task Lab_report_renders_without_errors_sorts_filters_prints_and_reads_without_script()
        {
            string dir = OutputDirectory();
            string url = new Uri(WriteLabReport(dir)).AbsoluteUri;
            await using Chromium chromium = await Chromium.StartAsync();

            string page = await chromium.NewPageAsync(1280, 800);
            await chromium.NavigateAsync(page, url);

            // Screenshot of the first screen, 1280x800.
            byte[] png = Convert.FromBase64String((await chromium.SendAsync("Page.captureScreenshot", new { format = "png" }, page)).GetProperty("data").GetString()!);
            File.WriteAllBytes(Path.Combine(dir, "lab-report-1280x800.png"), png);
            Assert.Equal((1280, 800), PngSize(png));

            // The script ran: sort buttons and the filter controls are there.
            int columns = (await chromium.EvaluateAsync(page, "document.querySelectorAll('#targets thead th button').length")).GetInt32();
            Assert.Equal(9, columns);
            Assert.False((await chromium.EvaluateAsync(page, "document.getElementById('controls').hidden")).GetBoolean());

            // A real click on the Findings heading sorts ascending, a second click descending.
            List<double> before = await ColumnAsync(chromium, page, FindingsColumn);
            Assert.True(before.Count >= 7, "the lab report should have at least 7 targets");
            Assert.NotEqual(before.OrderBy(v => v), before);
            await ClickHeadingAsync(chromium, page, FindingsColumn);
            Assert.Equal(before.OrderBy(v => v), await ColumnAsync(chromium, page, FindingsColumn));
            Assert.Equal("ascending", (await chromium.EvaluateAsync(page, $"document.querySelectorAll('#targets thead th')[{FindingsColumn}].getAttribute('aria-sort')")).GetString());
            await ClickHeadingAsync(chromium, page, FindingsColumn);
            Assert.Equal(before.OrderByDescending(v => v), await ColumnAsync(chromium, page, FindingsColumn));
            Assert.Equal("descending", (await chromium.EvaluateAsync(page, $"document.querySelectorAll('#targets thead th')[{FindingsColumn}].getAttribute('aria-sort')")).GetString());

            // Typing in the filter box leaves only the matching row.
            await chromium.EvaluateAsync(page, "document.getElementById('q').focus()");
            await chromium.SendAsync("Input.insertText", new { text = "imap" }, page);
            JsonElement visible = await chromium.EvaluateAsync(page, "Array.from(document.querySelectorAll('#targets tbody tr')).filter(r => !r.hidden).map(r => r.cells[1].textContent)");
            Assert.Equal(new[] { "Imap" }, visible.EnumerateArray().Select(v => v.GetString()));
            Assert.Equal($"1 of {before.Count} targets shown", (await chromium.EvaluateAsync(page, "document.getElementById('shown').textContent")).GetString());

            // Print: the controls disappear, and the PDF has several pages.
            await chromium.SendAsync("Emulation.setEmulatedMedia", new { media = "print" }, page);
            Assert.Equal("none", (await chromium.EvaluateAsync(page, "getComputedStyle(document.getElementById('controls')).display")).GetString());
            await chromium.SendAsync("Emulation.setEmulatedMedia", new { media = "" }, page);
            byte[] pdf = Convert.FromBase64String((await chromium.SendAsync("Page.printToPDF", new { printBackground = true }, page)).GetProperty("data").GetString()!);
            File.WriteAllBytes(Path.Combine(dir, "lab-report.pdf"), pdf);
            Assert.Equal("%PDF-", Encoding.ASCII.GetString(pdf, 0, 5));
            int pages = CountPages(pdf);
            Assert.True(pages >= 2, $"the PDF has {pages} page(s)");

            // Nothing went wrong on the way, and nothing but the file itself (and data: URLs) was asked for.
            var events = chromium.Events(page);
            var problems = events.Where(IsError).Select(e => e.ToString()).ToList();
            Assert.True(problems.Count == 0, "console errors:\n" + string.Join("\n", problems));
            var requests = events.Where(e => e.GetProperty("method").GetString() == "Network.requestWillBeSent")
                .Select(e => e.GetProperty("params").GetProperty("request").GetProperty("url").GetString()!).ToList();
            Assert.Contains(url, requests);
            Assert.All(requests, r => Assert.True(r.StartsWith("file:", StringComparison.Ordinal) || r.StartsWith("data:", StringComparison.Ordinal), "external request: " + r));

            // Without scripts: every row, no buttons, the controls stay hidden.
            string still = await chromium.NewPageAsync(1280, 800, scriptsDisabled: true);
            await chromium.NavigateAsync(still, url);
            int root = (await chromium.SendAsync("DOM.getDocument", new { depth = 0 }, still)).GetProperty("root").GetProperty("nodeId").GetInt32();
            Assert.Equal(before.Count, await CountAsync(chromium, still, root, "#targets tbody tr"));
            Assert.Equal(0, await CountAsync(chromium, still, root, "#targets thead button"));
            int controls = (await chromium.SendAsync("DOM.querySelector", new { nodeId = root, selector = "#controls" }, still)).GetProperty("nodeId").GetInt32();
            var attributes = (await chromium.SendAsync("DOM.getAttributes", new { nodeId = controls }, still)).GetProperty("attributes").EnumerateArray().Select(a => a.GetString()).ToList();
            Assert.Contains("hidden", attributes);
            Assert.DoesNotContain(chromium.Events(still), IsError);

            _log.WriteLine($"{Path.Combine(dir, "lab-report-1280x800.png")} ({png.Length} bytes), {Path.Combine(dir, "lab-report.pdf")} ({pages} pages, {pdf.Length} bytes)");
        }

        private static bool IsError(JsonElement e)
        {
            string method = e.GetProperty("method").GetString()!;
            JsonElement p = e.GetProperty("params");
            return method == "Runtime.exceptionThrown"
                || (method == "Runtime.consoleAPICalled" && (p.GetProperty("type").GetString() == "error" || p.GetProperty("type").GetString() == "assert"))
                || (method == "Log.entryAdded" && p.GetProperty("entry").GetProperty("level").GetString() == "error");
        }

        private static async Task ClickHeadingAsync(Chromium chromium, string page, int column)
        {
            JsonElement point = await chromium.EvaluateAsync(page,
                $"(() => {{ const b = document.querySelectorAll('#targets thead th button')[{column}]; b.scrollIntoView({{ block: 'center' }}); const r = b.getBoundingClientRect(); return {{ x: r.x + r.width / 2, y: r.y + r.height / 2 }}; }})()");
            await chromium.ClickAsync(page, point.GetProperty("x").GetDouble(), point.GetProperty("y").GetDouble());
        }

        /// <summary>The sort keys of a column, top to bottom, as the page now shows the rows.</summary>
        private static async Task<List<double>> ColumnAsync(Chromium chromium, string page, int column)
        {
            JsonElement values = await chromium.EvaluateAsync(page, $"Array.from(document.querySelectorAll('#targets tbody tr')).map(r => r.cells[{column}].getAttribute('data-v'))");
            return values.EnumerateArray().Select(v => double.Parse(v.GetString()!, CultureInfo.InvariantCulture)).ToList();
        }

        private static async Task<int> CountAsync(Chromium chromium, string page, int root, string selector) =>
            (await chromium.SendAsync("DOM.querySelectorAll", new { nodeId = root, selector }, page)).GetProperty("nodeIds").GetArrayLength();

        private static (int Width, int Height) PngSize(byte[] png)
        {
            Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, png.Take(8));
            int Read(int offset) => (png[offset] << 24) | (png[offset + 1] << 16) | (png[offset + 2] << 8) | png[offset + 3];
            return (Read(16), Read(20));
        }

        private static int CountPages(byte[] pdf)
        {
            string text = Encoding.Latin1.GetString(pdf);
            int count = 0;
            for (int i = text.IndexOf("/Type /Page", StringComparison.Ordinal); i >= 0; i = text.IndexOf("/Type /Page", i + 1, StringComparison.Ordinal))
                if (i + 11 >= text.Length || text[i + 11] != 's') count++;
            return count;
        }
    }
}
