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
            DetailHtml.Heading(html, "TLS versions and cipher suites accepted", "Get-TlsCapability, " + DetailHtml.When(s.StartedAt));
            DetailHtml.Open(html);
            DetailHtml.Field(html, "Status", s.Status + (string.IsNullOrEmpty(s.Reason) ? "" : ": " + s.Reason));
            DetailHtml.Field(html, "Address", s.IPAddress, mono: true);
            DetailHtml.Field(html, "Versions accepted", DetailHtml.Joined(s.VersionsAccepted));
            DetailHtml.Field(html, "Cipher suites accepted", s.CipherSuitesAccepted);
            if (s.WeakestRating.HasValue)
            {
                html.Raw("<dt>Weakest suite</dt><dd>");
                DetailHtml.Rating(html, s.WeakestRating);
                html.Raw("</dd>");
            }
            DetailHtml.Field(html, "Server cipher order", DetailHtml.Joined(s.ServerOrder));
            DetailHtml.Field(html, "TLS 1.3 groups", DetailHtml.Joined(s.Tls13Groups), mono: true);
            DetailHtml.Field(html, "ECDHE curves", DetailHtml.Joined(s.EcdheCurves), mono: true);
            DetailHtml.Field(html, "Certificate subject", s.CertificateSubject, mono: true);
            DetailHtml.Field(html, "Certificate issuer", s.CertificateIssuer, mono: true);
            DetailHtml.Field(html, "Certificate valid until", DetailHtml.Date(s.CertificateNotAfter));
            if (s.CertificateValid.HasValue)
                DetailHtml.Field(html, "Certificate valid", s.CertificateValid == true ? "Yes" : "No" + (string.IsNullOrEmpty(s.CertificateError) ? "" : ": " + s.CertificateError));
            DetailHtml.Field(html, "Connections opened", s.ConnectionsOpened);
            if (s.UntestedProbes > 0) DetailHtml.Field(html, "Untested probes", s.UntestedProbes + (string.IsNullOrEmpty(s.UntestedDetail) ? "" : ": " + s.UntestedDetail));
            DetailHtml.Field(html, "Duration", DetailHtml.Ms(s.DurationMs));
            DetailHtml.Close(html);
        }
    }
}
