using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography.X509Certificates;
using StartTlsTools.Tls;

namespace StartTlsTools.Probing
{
    /// <summary>Turns a scan's <see cref="TlsScanFindings"/> into the report: one row per accepted suite, the summary, the findings and the verdict.</summary>
    internal static class TlsCapabilityReportBuilder
    {
        public static void Fill(TlsCapabilityReport report, TlsScanFindings found, TlsCapabilityOptions options)
        {
            var summary = report.Summary;
            var rows = new List<TlsCipherSuiteResult>();
            foreach (var version in found.Versions.OrderByDescending(v => v.Version))
            {
                int rank = 0;
                foreach (var accepted in version.Accepted) rows.Add(Row(accepted, version.Version, ++rank, summary.Port, options));
            }
            report.CipherSuites = rows;

            var versions = found.Versions.Where(v => v.Accepted.Count > 0).OrderBy(v => v.Version).ToList();
            summary.VersionsAccepted = Join(versions.Select(v => TlsConstants.Name(v.Version)));
            summary.LowestVersion = versions.Count > 0 ? TlsConstants.Name(versions[0].Version) : null;
            summary.HighestVersion = versions.Count > 0 ? TlsConstants.Name(versions[versions.Count - 1].Version) : null;
            summary.CipherSuitesAccepted = rows.Count;
            summary.ServerOrder = Join(versions.Where(v => v.ServerOrder.HasValue)
                .Select(v => TlsConstants.Name(v.Version) + "=" + (v.ServerOrder == true ? "Server" : "Client")));
            summary.Tls13Groups = Join(found.Tls13Groups.Select(g => NamedGroupRegistry.Get(g).Name));
            summary.EcdheCurves = Join(found.EcdheCurves.Select(g => NamedGroupRegistry.Get(g).Name));
            summary.WeakestRating = rows.Count > 0 ? rows.Min(r => r.Rating) : (CipherRating?)null;
            summary.Findings = CapabilityFindingAnalyzer.Analyze(summary, rows);
            if (found.CertificateChainDer is IReadOnlyList<byte[]> chain)
            {
                try
                {
                    DescribeCertificate(summary, chain, options);
                }
                catch (System.Security.Cryptography.CryptographicException ex)
                {
                    found.Untested.Enqueue("The server's certificate could not be decoded: " + ex.Message);
                }
            }
            var untested = found.Untested.ToArray();
            summary.UntestedProbes = untested.Length;
            summary.UntestedDetail = untested.Length == 0 ? null : string.Join(" | ", untested);

            if (found.FatalStatus is TlsCapabilityStatus fatal)
                Fail(summary, fatal, found.FatalReason ?? fatal.ToString());
            else if (versions.Count == 0 && untested.Length == 0)
                Fail(summary, TlsCapabilityStatus.NoTls, "The server accepted none of the offered protocol versions and cipher suites.");
            else if (untested.Length > 0)
                Fail(summary, TlsCapabilityStatus.Incomplete, $"{untested.Length} probe(s) could not be run; the lists may be incomplete. First: {untested[0]}");
            else
            {
                summary.Status = TlsCapabilityStatus.Success;
                summary.Reason = $"{rows.Count} cipher suite(s) accepted over {summary.VersionsAccepted}.";
            }
        }

        public static void Fail(TlsCapabilitySummary summary, TlsCapabilityStatus status, string reason)
        {
            summary.Status = status;
            summary.Reason = reason;
        }

        private static TlsCipherSuiteResult Row(AcceptedSuite accepted, TlsProtocolVersion version, int rank, int port, TlsCapabilityOptions options)
        {
            var s = accepted.Suite;
            return new TlsCipherSuiteResult
            {
                HostName = options.HostName,
                Port = port,
                Protocol = options.Protocol,
                ImplicitTls = options.ImplicitTls,
                TlsVersion = TlsConstants.Name(version),
                CipherSuite = s.IanaName,
                OpenSslName = s.OpenSslName,
                Code = s.CodeText,
                KeyExchange = s.KeyExchange,
                Authentication = s.Authentication,
                Encryption = s.Encryption,
                Bits = s.Bits,
                Mode = s.Mode,
                Mac = s.Mac,
                ForwardSecrecy = s.ForwardSecrecy,
                Rating = s.Rating,
                PreferenceRank = rank,
                KeyExchangeDetail = accepted.Detail,
            };
        }

        private static string? Join(IEnumerable<string> items)
        {
            var list = items.ToList();
            return list.Count == 0 ? null : string.Join(StartTlsResult.ListSeparator, list);
        }

        /// <summary>The certificate a probe saw, validated as Test-StartTls validates it (chain with the user's roots, dates, name).</summary>
        private static void DescribeCertificate(TlsCapabilitySummary summary, IReadOnlyList<byte[]> chainDer, TlsCapabilityOptions options)
        {
            var presented = new X509Certificate2Collection();
            try
            {
                foreach (byte[] der in chainDer) presented.Add(new X509Certificate2(der));
                var inspected = new StartTlsResult();
                CertificateInspector.Inspect(presented[0], presented, options.TrustedRoots, HostNameRules.Normalize(options.HostName), DateTime.UtcNow, inspected);
                summary.CertificateSubject = inspected.CertificateSubject;
                summary.CertificateIssuer = inspected.CertificateIssuer;
                summary.CertificateThumbprint = inspected.CertificateThumbprint;
                summary.CertificateNotAfter = inspected.CertificateNotAfter;
                summary.CertificateValid = inspected.CertificateValid;
                summary.CertificateError = inspected.CertificateError;
            }
            finally
            {
                foreach (X509Certificate2 certificate in presented) certificate.Dispose();
            }
        }
    }
}
