using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;

namespace StartTlsTools.Probing
{
    /// <summary>What the probes of one scan found: written by <see cref="TlsScanExecution"/>, read by <see cref="TlsCapabilityReportBuilder"/>.</summary>
    internal sealed class TlsScanFindings
    {
        private IReadOnlyList<byte[]>? _certificate;

        public TlsScanFindings()
        {
            Versions = TlsScanPlan.ScannedVersions.Select(v => new VersionFindings(v)).ToList();
        }

        public IReadOnlyList<VersionFindings> Versions { get; }
        public List<int> Tls13Groups { get; } = new List<int>();
        public List<int> EcdheCurves { get; } = new List<int>();
        /// <summary>Probes that could not be run or answered nonsense: the lists may be incomplete.</summary>
        public ConcurrentQueue<string> Untested { get; } = new ConcurrentQueue<string>();
        /// <summary>Set when the first probe showed the scan cannot go on (no STARTTLS, no connection).</summary>
        public TlsCapabilityStatus? FatalStatus { get; set; }
        public string? FatalReason { get; set; }

        /// <summary>The first certificate chain a probe saw, leaf first (TLS 1.2 and below, SSL 2.0).</summary>
        public IReadOnlyList<byte[]>? CertificateChainDer => Volatile.Read(ref _certificate);

        public VersionFindings Get(TlsProtocolVersion version) => Versions.First(v => v.Version == version);

        public void RecordCertificate(IReadOnlyList<byte[]> chain)
        {
            if (chain.Count > 0) Interlocked.CompareExchange(ref _certificate, chain, null);
        }
    }

    internal sealed class AcceptedSuite
    {
        public AcceptedSuite(CipherSuite suite, string? detail) { Suite = suite; Detail = detail; }
        public CipherSuite Suite { get; }
        public string? Detail { get; }
    }

    /// <summary>One version's accepted suites, in the server's preference order (or the offered order for a client-order server).</summary>
    internal sealed class VersionFindings
    {
        public VersionFindings(TlsProtocolVersion version) { Version = version; }
        public TlsProtocolVersion Version { get; }
        /// <summary>Parallel parts add to it: lock the instance while writing.</summary>
        public List<AcceptedSuite> Accepted { get; } = new List<AcceptedSuite>();
        /// <summary>True: the server picks by its own order; false: it follows ours; null: not measurable.</summary>
        public bool? ServerOrder { get; set; }

        public void Add(CipherSuite suite, string? detail)
        {
            lock (this) Accepted.Add(new AcceptedSuite(suite, detail));
        }
    }
}
