namespace StartTlsTools
{
    /// <summary>How bad a finding is; ordered so that "Severity >= Medium" reads naturally.</summary>
    public enum FindingSeverity
    {
        Info = 0,
        Low = 1,
        Medium = 2,
        High = 3,
        Critical = 4,
    }

    /// <summary>
    /// One thing wrong (or worth knowing) about a server, computed from a result. Flat on purpose, like the
    /// result: ConvertTo-Json writes it whole, and the result's FindingIds carries the ids for Export-Csv.
    /// </summary>
    public sealed class Finding
    {
        public Finding(string id, FindingSeverity severity, string title, string detail, string reference)
        {
            Id = id;
            Severity = severity;
            Title = title;
            // Details quote the server (replies, names, evidence): inert, as on the result.
            Detail = ServerText.Inert(detail);
            Reference = reference;
        }

        /// <summary>A stable PascalCase id, e.g. "StartTlsNotOffered"; ids never change once shipped.</summary>
        public string Id { get; }
        public FindingSeverity Severity { get; }
        /// <summary>What is wrong, in a few words.</summary>
        public string Title { get; }
        /// <summary>What was seen on this server, in one or two sentences.</summary>
        public string Detail { get; }
        /// <summary>Where the rule comes from: an RFC section, a CVE or a published baseline.</summary>
        public string Reference { get; }

        /// <summary>The id: PowerShell shows a list of findings as {Id1, Id2} in Format-List.</summary>
        public override string ToString() => Id;
    }
}
