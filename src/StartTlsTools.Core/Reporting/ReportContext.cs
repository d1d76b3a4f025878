using System;
using System.Reflection;

namespace StartTlsTools.Reporting
{
    /// <summary>What the report says about itself: title, when, by which command and version, and the expiry threshold.</summary>
    public sealed class ReportContext
    {
        public const string DefaultTitle = "StartTlsTools report";

        public string Title { get; set; } = DefaultTitle;
        public DateTimeOffset GeneratedAt { get; set; } = DateTimeOffset.Now;
        /// <summary>The command that made the report (the pipeline line in PowerShell, the arguments of starttls report).</summary>
        public string CommandLine { get; set; } = "";
        /// <summary>"StartTlsTools 0.1.0 (PowerShell 7.6.10)" or "starttls 0.1.0 (.NET 10.0.1)".</summary>
        public string ProducedBy { get; set; } = "StartTlsTools " + ModuleVersion;
        /// <summary>The warning line on the certificate expiry timeline, in days (Test-StartTls's -ExpiryWarningDays default).</summary>
        public int ExpiryWarningDays { get; set; } = FindingOptions.DefaultExpiryWarningDays;

        /// <summary>The module version (StartTlsTools.psd1), which every assembly of this module carries.</summary>
        public static string ModuleVersion => typeof(ReportContext).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
    }
}
