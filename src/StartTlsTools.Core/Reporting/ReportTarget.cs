using System;
using System.Collections.Generic;
using System.Linq;
using StartTlsTools.Probing;

namespace StartTlsTools.Reporting
{
    /// <summary>
    /// One service (host and port) in the report, with what every result about it contributed: the results
    /// themselves (for the detail section) and the facts the headline, charts and table read.
    /// </summary>
    public sealed class ReportTarget
    {
        private readonly List<Finding> _findings = new List<Finding>();
        private readonly HashSet<string> _findingKeys = new HashSet<string>(StringComparer.Ordinal);
        private readonly List<(bool Healthy, string? Why)> _votes = new List<(bool, string?)>();
        private readonly HashSet<TlsProtocolVersion> _accepted = new HashSet<TlsProtocolVersion>();
        private readonly HashSet<TlsProtocolVersion> _negotiated = new HashSet<TlsProtocolVersion>();
        private int _protocolOrder = int.MaxValue;
        private int _statusOrder = int.MaxValue;
        private int _certificateOrder = int.MaxValue;
        private CipherRating? _scanRating;
        private CipherRating? _negotiatedRating;

        internal ReportTarget(string hostName, int port, int number)
        {
            HostName = hostName;
            Port = port;
            Anchor = "t" + number;
        }

        public string HostName { get; }
        public int Port { get; }
        /// <summary>The id of the detail section: "t1", "t2", ... in input order.</summary>
        public string Anchor { get; }
        /// <summary>"mail.example.com:25", "[2001:db8::1]:25".</summary>
        public string DisplayName => (HostName.IndexOf(':') >= 0 ? "[" + HostName + "]" : HostName) + ":" + Port;

        public string? Protocol { get; private set; }
        public bool? ImplicitTls { get; private set; }
        /// <summary>The status of the most telling result (Test-StartTls before Get-TlsCapability before the others).</summary>
        public string Status { get; private set; } = "";

        /// <summary>True when every result with an opinion is healthy; null when none has one.</summary>
        public bool? Healthy => _votes.Count == 0 ? (bool?)null : _votes.All(v => v.Healthy);
        public IReadOnlyList<string> NotHealthyBecause => _votes.Where(v => !v.Healthy && v.Why != null).Select(v => v.Why!).ToList();

        /// <summary>Versions a capability scan found accepted.</summary>
        public IReadOnlyCollection<TlsProtocolVersion> AcceptedVersions => _accepted;
        /// <summary>Versions a connection actually negotiated (Test-StartTls, injection, auth, compare).</summary>
        public IReadOnlyCollection<TlsProtocolVersion> NegotiatedVersions => _negotiated;
        /// <summary>The highest version seen, accepted or negotiated.</summary>
        public TlsProtocolVersion HighestVersion => _accepted.Concat(_negotiated).DefaultIfEmpty(TlsProtocolVersion.None).Max();

        /// <summary>The weakest accepted suite's rating when a scan ran, otherwise the weakest negotiated suite's.</summary>
        public CipherRating? WeakestRating => _scanRating ?? _negotiatedRating;
        public bool WeakestRatingFromScan => _scanRating.HasValue;

        public int? CertificateDaysToExpiry { get; private set; }
        public DateTime? CertificateNotAfter { get; private set; }
        public string? CertificateSubject { get; private set; }

        /// <summary>Every finding of every result, once each (same id and detail), most severe first.</summary>
        public IReadOnlyList<Finding> Findings => _findings.OrderByDescending(f => f.Severity).ToList();
        public FindingSeverity? WorstSeverity => _findings.Count == 0 ? (FindingSeverity?)null : _findings.Max(f => f.Severity);

        /// <summary>The commands whose results are here, e.g. "Test-StartTls", "Get-TlsCapability".</summary>
        public IReadOnlyList<string> Checks => Groups.Select(g => g.Renderer.Describes.Command).Distinct().ToList();
        public int ResultCount => Groups.Sum(g => g.Results.Count);

        internal List<(IResultRenderer Renderer, List<object> Results)> Groups { get; } = new List<(IResultRenderer, List<object>)>();

        internal void Add(IResultRenderer renderer, object result)
        {
            int index = Groups.FindIndex(g => g.Renderer == renderer);
            if (index < 0)
            {
                Groups.Add((renderer, new List<object>()));
                Groups.Sort((a, b) => a.Renderer.Order.CompareTo(b.Renderer.Order));
                index = Groups.FindIndex(g => g.Renderer == renderer);
            }
            Groups[index].Results.Add(result);
        }

        // What renderers say about the target. Where two results disagree, the lower order (more telling command) wins.
        internal void SetProtocol(string protocol, bool? implicitTls, int order)
        {
            if (order >= _protocolOrder) return;
            _protocolOrder = order;
            Protocol = protocol;
            ImplicitTls = implicitTls;
        }

        internal void SetStatus(string status, int order)
        {
            if (order >= _statusOrder) return;
            _statusOrder = order;
            Status = status;
        }

        internal void Vote(bool healthy, string? why) => _votes.Add((healthy, why));

        internal void AddAccepted(TlsProtocolVersion version)
        {
            if (version != TlsProtocolVersion.None) _accepted.Add(version);
        }

        internal void AddNegotiated(TlsProtocolVersion version)
        {
            if (version != TlsProtocolVersion.None) _negotiated.Add(version);
        }

        internal void RateAccepted(CipherRating rating) => _scanRating = _scanRating.HasValue && _scanRating.Value < rating ? _scanRating : rating;

        internal void RateNegotiated(CipherRating? rating)
        {
            if (rating.HasValue) _negotiatedRating = _negotiatedRating.HasValue && _negotiatedRating.Value < rating.Value ? _negotiatedRating : rating;
        }

        internal void SetCertificate(int? daysToExpiry, DateTime? notAfter, string? subject, int order)
        {
            if (!daysToExpiry.HasValue || order >= _certificateOrder) return;
            _certificateOrder = order;
            CertificateDaysToExpiry = daysToExpiry;
            CertificateNotAfter = notAfter;
            CertificateSubject = subject;
        }

        internal void AddFindings(IEnumerable<Finding>? findings)
        {
            if (findings == null) return;
            foreach (Finding finding in findings)
                if (finding != null && _findingKeys.Add(finding.Id + "\n" + finding.Detail)) _findings.Add(finding);
        }
    }
}
