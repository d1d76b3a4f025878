using System;
using System.Linq;

namespace StartTlsTools.Reporting.Renderers
{
    /// <summary>
    /// Test-MailDomain: one MX address of a domain with its STARTTLS test, DANE and MTA-STS verdicts, and the domain's
    /// policy facts. A domain with nothing to connect to (null MX, failed lookup) becomes a target named after the domain.
    /// </summary>
    internal sealed class MailDomainResultRenderer : ResultRenderer<MailDomainResult>
    {
        public MailDomainResultRenderer()
            : base("Test-MailDomain", 2, "Domain", "MxSummary", "DaneStatus", "MtaStsStatus", "TlsRptStatus") { }

        protected override (string HostName, int Port) TargetOf(MailDomainResult result) =>
            (string.IsNullOrEmpty(result.HostName) ? result.Domain : result.HostName, result.Port);

        protected override void Summarize(MailDomainResult r, ReportTarget target, ReportContext context)
        {
            target.SetProtocol(r.Protocol.ToString(), false, Order);
            target.SetStatus(r.Status?.ToString() ?? "Not tested", Order);
            // Healthy: STARTTLS worked and nothing of medium severity or worse (DANE, MTA-STS, the MX set) was found.
            FindingSeverity? worst = r.Findings.Count == 0 ? (FindingSeverity?)null : r.Findings.Max(f => f.Severity);
            bool healthy = r.Status == StartTlsStatus.Success && !(worst >= FindingSeverity.Medium);
            target.Vote(healthy, healthy ? null
                : r.Status != StartTlsStatus.Success ? $"Test-MailDomain {r.Domain}: " + (r.Status?.ToString() ?? r.MxSummary)
                : $"Test-MailDomain {r.Domain}: {worst} findings");
            if (r.TlsVersion is TlsProtocolVersion version) target.AddNegotiated(version);
            target.RateNegotiated(DetailHtml.RatingOf(r.CipherSuite));
            if (r.CertificateNotAfter is DateTime notAfter)
                target.SetCertificate((int)Math.Floor((notAfter.ToUniversalTime() - r.StartedAt.UtcDateTime).TotalDays), notAfter, r.CertificateSubject, Order);
            target.AddFindings(r.Findings);
        }

        protected override void RenderDetail(MailDomainResult r, HtmlWriter html, ReportContext context)
        {
            DetailHtml.Heading(html, "Mail domain " + r.Domain, DetailHtml.Source("Test-MailDomain", r.StartedAt, r.IPAddress));
            DetailHtml.Open(html);
            DetailHtml.Field(html, "MX set", r.MxSummary + " (DNSSEC " + r.MxDnssec + ")");
            DetailHtml.Items(html, "Mail exchangers", r.MailExchangers);
            if (!string.IsNullOrEmpty(r.HostName))
            {
                DetailHtml.Field(html, "This MX", (r.Preference.HasValue ? r.Preference + " " : "") + r.HostName + " (address DNSSEC " + r.AddressDnssec + ")", mono: true);
                DetailHtml.Field(html, "STARTTLS", r.Status + ": " + r.Reason);
                if (r.TlsRequired.HasValue || !string.IsNullOrEmpty(r.TlsRequiredEvidence))
                    DetailHtml.Field(html, "TLS required", (r.TlsRequired.HasValue ? DetailHtml.YesNo(r.TlsRequired.Value) + ": " : "Unknown: ") + r.TlsRequiredEvidence);
                if (r.TlsVersion is TlsProtocolVersion version && version != TlsProtocolVersion.None)
                    DetailHtml.Field(html, "TLS", DetailHtml.Version(version) + " " + r.CipherSuite);
                if (r.CertificateValid.HasValue) DetailHtml.Field(html, "Certificate (PKIX)", DetailHtml.Validity(r.CertificateValid, r.CertificateError));
                DetailHtml.Field(html, "Certificate subject", r.CertificateSubject, mono: true);
            }
            DetailHtml.Close(html);

            DetailHtml.Heading(html, "DANE, MTA-STS and TLS-RPT");
            DetailHtml.Open(html);
            DetailHtml.Field(html, "DANE", r.DaneStatus + (string.IsNullOrEmpty(r.DaneReason) ? "" : ": " + r.DaneReason));
            if (!string.IsNullOrEmpty(r.DaneMatchedRecord))
                DetailHtml.Field(html, "Matched record", r.DaneMatchedRecord + (r.DaneMatchedDepth.HasValue ? " at chain depth " + r.DaneMatchedDepth : ""), mono: true);
            if (r.TlsaRecords.Count > 0) DetailHtml.Items(html, "TLSA records" + (r.TlsaDnssec.HasValue ? " (DNSSEC " + r.TlsaDnssec + ")" : ""), r.TlsaRecords);
            DetailHtml.Field(html, "MTA-STS", r.MtaStsStatus + (r.MtaStsMode.HasValue ? ", mode " + r.MtaStsMode : "") + (string.IsNullOrEmpty(r.MtaStsReason) ? "" : ": " + r.MtaStsReason));
            if (r.MtaStsMxPatterns.Count > 0) DetailHtml.Items(html, "Policy mx patterns", r.MtaStsMxPatterns);
            if (r.MtaStsMxCovered.HasValue) DetailHtml.Field(html, "MX covered by the policy", r.MtaStsMxCovered);
            if (r.MtaStsCompliant.HasValue) DetailHtml.Field(html, "MX meets the policy", r.MtaStsCompliant);
            DetailHtml.Field(html, "TLS-RPT", r.TlsRptStatus + (string.IsNullOrEmpty(r.TlsRptReason) ? "" : ": " + r.TlsRptReason));
            if (r.TlsRptUris.Count > 0) DetailHtml.Items(html, "Report addresses", r.TlsRptUris);
            DetailHtml.Close(html);
        }
    }
}
