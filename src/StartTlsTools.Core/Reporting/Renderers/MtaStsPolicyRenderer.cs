namespace StartTlsTools.Reporting.Renderers
{
    /// <summary>Get-MtaStsPolicy: the domain's policy as fetched from https://mta-sts.&lt;domain&gt;, a target of its own on port 443.</summary>
    internal sealed class MtaStsPolicyRenderer : ResultRenderer<MtaStsPolicyResult>
    {
        private const int HttpsPort = 443;

        public MtaStsPolicyRenderer()
            : base("Get-MtaStsPolicy", 8, "Domain", "PolicyUrl", "MxPatterns", "PolicyProblems") { }

        protected override (string HostName, int Port) TargetOf(MtaStsPolicyResult result) => ("mta-sts." + result.Domain, HttpsPort);

        protected override void Summarize(MtaStsPolicyResult r, ReportTarget target, ReportContext context)
        {
            target.SetProtocol("MTA-STS (HTTPS)", true, Order);
            target.SetStatus(r.Status.ToString(), Order);
            target.AddFindings(r.Findings);
        }

        protected override void RenderDetail(MtaStsPolicyResult r, HtmlWriter html, ReportContext context)
        {
            DetailHtml.Heading(html, "MTA-STS policy of " + r.Domain, DetailHtml.Source("Get-MtaStsPolicy", r.StartedAt, r.PolicyHostAddress));
            DetailHtml.Open(html);
            DetailHtml.Field(html, "Status", r.Status + ": " + r.Reason);
            DetailHtml.Field(html, "TXT record", r.TxtRecord == null ? null : r.TxtRecord + " (DNSSEC " + r.TxtDnssec + ")", mono: true);
            DetailHtml.Field(html, "Policy URL", r.PolicyUrl, mono: true);
            if (r.HttpStatus.HasValue) DetailHtml.Field(html, "HTTP", r.HttpStatus + (string.IsNullOrEmpty(r.ContentType) ? "" : ", " + r.ContentType) + ", " + r.PolicyBytes + " bytes");
            if (r.CertificateValid.HasValue) DetailHtml.Field(html, "Certificate", DetailHtml.Validity(r.CertificateValid, r.CertificateError));
            if (r.Mode.HasValue) DetailHtml.Field(html, "Mode", r.Mode.ToString());
            DetailHtml.Items(html, "mx patterns", r.MxPatterns);
            if (r.MaxAgeSeconds.HasValue) DetailHtml.Field(html, "max_age", r.MaxAgeSeconds + " s");
            if (r.PolicyProblems.Count > 0) DetailHtml.Items(html, "Problems", r.PolicyProblems);
            DetailHtml.Close(html);
        }
    }
}
