using System.IO;
using System.Text;

namespace StartTlsTools.Reporting
{
    /// <summary>Renders and writes a report file, for the cmdlet and the CLI alike.</summary>
    public static class ReportFile
    {
        private static readonly UTF8Encoding Utf8NoBom = new UTF8Encoding(false);

        /// <summary>Writes the page as UTF-8 to <paramref name="fullPath"/>, replacing any file there; IO errors are the caller's to report.</summary>
        public static StartTlsReportSummary Write(ReportModel model, string fullPath)
        {
            byte[] bytes = Utf8NoBom.GetBytes(HtmlReport.Render(model));
            File.WriteAllBytes(fullPath, bytes);
            return StartTlsReportSummary.From(model, fullPath, bytes.Length);
        }
    }
}
