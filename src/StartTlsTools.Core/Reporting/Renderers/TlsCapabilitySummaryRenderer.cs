using System;
using System.Linq;

namespace StartTlsTools.Reporting.Renderers
{
    /// <summary>Get-TlsCapability -Summary: versions, suites, order, groups and the certificate the scan saw.</summary>
    internal sealed class TlsCapabilitySummaryRenderer : ResultRenderer<TlsCapabilitySummary>
    {
        public TlsCapabilitySummaryRenderer()
            : base("Get-TlsCapability", 2, "HostName", "Port", "VersionsAccepted", "CipherSuitesAccepted", "ConnectionsOpened") { }

        protected override (string HostName, int Port) TargetOf(TlsCapabilitySummary result) => (result.HostName, result.Port);

        protected override void Summarize(TlsCapabilitySummary s, ReportTarget target, ReportContext context)
        {
            target.SetProtocol(s.Protocol.ToString(), s.ImplicitTls, Order);
            target.SetStatus(s.Status.ToString(), Order);
            bool scanned = s.Status == TlsCapabilityStatus.Success || s.Status == TlsCapabilityStatus.Incomplete;
            target.Vote(scanned && s.CertificateValid != false, !scanned ? "Get-TlsCapability: " + s.Status
                : s.CertificateValid == false ? "Get-TlsCapability: the certificate is not valid" : null);
            foreach (string label in VersionLabels(s.VersionsAccepted)) target.AddAccepted(DetailHtml.ParseVersion(label));
            if (s.WeakestRating.HasValue) target.RateAccepted(s.WeakestRating.Value);
            if (s.CertificateNotAfter.HasValue)
            {
                // The summary has the date only; days are counted to the report's time.
                DateTime notAfter = s.CertificateNotAfter.Value.Kind == DateTimeKind.Local ? s.CertificateNotAfter.Value.ToUniversalTime() : s.CertificateNotAfter.Value;
                int days = (int)Math.Floor((notAfter - context.GeneratedAt.UtcDateTime).TotalDays);
                target.SetCertificate(days, s.CertificateNotAfter, s.CertificateSubject, Order);
            }
            target.AddFindings(s.Findings);
        }

        /// <summary>"TLSv1.2; TLSv1.3" (this module's own labels) or a list of them.</summary>
        private static string[] VersionLabels(object? versions) =>
            (DetailHtml.Joined(versions) ?? "").Split(new[] { TextList.Separator }, StringSplitOptions.RemoveEmptyEntries);

        protected override void RenderDetail(TlsCapabilitySummary s, HtmlWriter html, ReportContext context)
        {
            DetailHtml.Heading(html, "TLS versions and cipher suites accepted", DetailHtml.Source("Get-TlsCapability", s.StartedAt, s.IPAddress));
            DetailHtml.Open(html);
            DetailHtml.Field(html, "Status", s.Status + (string.IsNullOrEmpty(s.Reason) ? "" : ": " + s.Reason));
            DetailHtml.Field(html, "Versions", DetailHtml.Joined(s.VersionsAccepted));
            DetailHtml.FieldStart(html, "Cipher suites");
            html.Number(s.CipherSuitesAccepted).Raw(", weakest ");
            DetailHtml.Rating(html, s.WeakestRating);
            DetailHtml.Field(html, "Server order", DetailHtml.Joined(s.ServerOrder));
            DetailHtml.Field(html, "TLS 1.3 groups", DetailHtml.Joined(s.Tls13Groups), mono: true);
            DetailHtml.Field(html, "ECDHE curves", DetailHtml.Joined(s.EcdheCurves), mono: true);
            DetailHtml.Field(html, "Certificate", s.CertificateSubject, mono: true);
            DetailHtml.Field(html, "Issuer", s.CertificateIssuer, mono: true);
            DetailHtml.Field(html, "Period", DetailHtml.Period(null, s.CertificateNotAfter, null));
            if (s.CertificateValid.HasValue) DetailHtml.Field(html, "Valid", DetailHtml.Validity(s.CertificateValid, s.CertificateError));
            DetailHtml.Field(html, "Scan", $"{s.ConnectionsOpened} connections, {DetailHtml.Ms(s.DurationMs)}" + (s.UntestedProbes > 0 ? $", {s.UntestedProbes} probes untested: {s.UntestedDetail}" : ""));
            DetailHtml.Close(html);
        }
    }
}
