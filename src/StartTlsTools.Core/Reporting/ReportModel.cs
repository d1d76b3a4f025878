using System;
using System.Collections.Generic;
using System.Linq;

namespace StartTlsTools.Reporting
{
    /// <summary>Everything the HTML shows, computed once: targets, health counts, findings by severity and by id, and what was not recognised.</summary>
    public sealed class ReportModel
    {
        internal ReportModel(ReportContext context, IReadOnlyList<ReportTarget> targets, int resultCount, IReadOnlyList<KeyValuePair<string, int>> unrecognized)
        {
            Context = context;
            Targets = targets;
            ResultCount = resultCount;
            Unrecognized = unrecognized;
            UnrecognizedCount = unrecognized.Sum(u => u.Value);
            HealthyCount = targets.Count(t => t.Healthy == true);
            NotHealthyCount = targets.Count(t => t.Healthy == false);
            NoVerdictCount = targets.Count(t => t.Healthy == null);
            FindingsBySeverity = Enum.GetValues(typeof(FindingSeverity)).Cast<FindingSeverity>()
                .ToDictionary(s => s, s => targets.Sum(t => t.Findings.Count(f => f.Severity == s)));
            FindingsById = targets.SelectMany(t => t.Findings.Select(f => (Target: t, Finding: f)))
                .GroupBy(x => x.Finding.Id, StringComparer.Ordinal)
                .Select(g => new FindingSummary(g.Key, g.Max(x => x.Finding.Severity), g.First().Finding.Title, g.First().Finding.Reference,
                    g.Select(x => x.Target).Distinct().Count()))
                .OrderByDescending(s => s.Targets).ThenByDescending(s => s.Severity) // ties stay in the order first seen
                .ToList();
        }

        public ReportContext Context { get; }
        public IReadOnlyList<ReportTarget> Targets { get; }
        /// <summary>Result objects that went into the targets.</summary>
        public int ResultCount { get; }
        /// <summary>What was left out, by description (a .NET type name, or "JSON object with A, B, C"), with counts, in order of first appearance.</summary>
        public IReadOnlyList<KeyValuePair<string, int>> Unrecognized { get; }
        public int UnrecognizedCount { get; }
        public int HealthyCount { get; }
        public int NotHealthyCount { get; }
        public int NoVerdictCount { get; }
        /// <summary>Finding instances (a finding on two targets counts twice) per severity, every severity present.</summary>
        public IReadOnlyDictionary<FindingSeverity, int> FindingsBySeverity { get; }
        /// <summary>One entry per finding id: most targets first, then most severe, then in the order first seen.</summary>
        public IReadOnlyList<FindingSummary> FindingsById { get; }
    }

    /// <summary>One finding id across the report.</summary>
    public sealed class FindingSummary
    {
        internal FindingSummary(string id, FindingSeverity severity, string title, string reference, int targets)
        {
            Id = id;
            Severity = severity;
            Title = title;
            Reference = reference;
            Targets = targets;
        }

        public string Id { get; }
        /// <summary>The highest severity it had on any target.</summary>
        public FindingSeverity Severity { get; }
        public string Title { get; }
        public string Reference { get; }
        /// <summary>How many targets have it.</summary>
        public int Targets { get; }
    }
}
