using System;

namespace StartTlsTools
{
    /// <summary>What Export-StartTlsReport -PassThru writes: the file and the headline numbers it shows. Flat, like the results.</summary>
    public sealed class StartTlsReportSummary
    {
        /// <summary>The full path of the HTML file.</summary>
        public string Path { get; set; } = "";
        public string Title { get; set; } = "";
        public int Targets { get; set; }
        public int Healthy { get; set; }
        public int NotHealthy { get; set; }
        public int NoVerdict { get; set; }
        /// <summary>Result objects that went into the report.</summary>
        public int Results { get; set; }
        /// <summary>Objects that were not results of this module: left out, and listed in the report.</summary>
        public int Unrecognized { get; set; }
        public int Critical { get; set; }
        public int High { get; set; }
        public int Medium { get; set; }
        public int Low { get; set; }
        public int Info { get; set; }
        public long SizeBytes { get; set; }
        public DateTimeOffset GeneratedAt { get; set; }

        public static StartTlsReportSummary From(Reporting.ReportModel model, string path, long sizeBytes) => new StartTlsReportSummary
        {
            Path = path,
            Title = model.Context.Title,
            Targets = model.Targets.Count,
            Healthy = model.HealthyCount,
            NotHealthy = model.NotHealthyCount,
            NoVerdict = model.NoVerdictCount,
            Results = model.ResultCount,
            Unrecognized = model.UnrecognizedCount,
            Critical = model.FindingsBySeverity[FindingSeverity.Critical],
            High = model.FindingsBySeverity[FindingSeverity.High],
            Medium = model.FindingsBySeverity[FindingSeverity.Medium],
            Low = model.FindingsBySeverity[FindingSeverity.Low],
            Info = model.FindingsBySeverity[FindingSeverity.Info],
            SizeBytes = sizeBytes,
            GeneratedAt = model.Context.GeneratedAt,
        };
    }
}
