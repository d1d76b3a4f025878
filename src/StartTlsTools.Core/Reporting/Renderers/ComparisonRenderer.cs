namespace StartTlsTools.Reporting.Renderers
{
    /// <summary>Compare-ImplicitVsStartTls: both sides in one table, about the STARTTLS port's target.</summary>
    internal sealed class ComparisonRenderer : ResultRenderer<ImplicitVsStartTlsComparison>
    {
        public ComparisonRenderer()
            : base("Compare-ImplicitVsStartTls", 3, "HostName", "StartTlsPort", "ImplicitPort", "Recommendation") { }

        protected override (string HostName, int Port) TargetOf(ImplicitVsStartTlsComparison result) => (result.HostName, result.StartTlsPort);

        protected override void Summarize(ImplicitVsStartTlsComparison c, ReportTarget target, ReportContext context)
        {
            target.SetProtocol(c.Protocol.ToString(), false, Order);
            target.SetStatus($"STARTTLS {c.StartTlsStatus}, implicit {c.ImplicitStatus}", Order);
            bool healthy = c.StartTlsReachable && c.ImplicitReachable && c.StartTlsCertificateValid != false && c.ImplicitCertificateValid != false;
            target.Vote(healthy, healthy ? null : "Compare-ImplicitVsStartTls: " + (!c.StartTlsReachable ? "STARTTLS " + c.StartTlsStatus
                : !c.ImplicitReachable ? "implicit TLS " + c.ImplicitStatus : "a certificate is not valid"));
            target.AddNegotiated(c.StartTlsTlsVersion);
            target.AddNegotiated(c.ImplicitTlsVersion);
            target.RateNegotiated(DetailHtml.RatingOf(c.StartTlsCipherSuite));
            target.RateNegotiated(DetailHtml.RatingOf(c.ImplicitCipherSuite));
        }

        protected override void RenderDetail(ImplicitVsStartTlsComparison c, HtmlWriter html, ReportContext context)
        {
            DetailHtml.Heading(html, "Implicit TLS compared with STARTTLS (" + c.Samples + " samples per side)", DetailHtml.Source("Compare-ImplicitVsStartTls", c.StartedAt, null));
            html.Raw("<table class=\"grid cmp\"><thead><tr><td><th scope=col>STARTTLS, port ").Number(c.StartTlsPort)
                .Raw("<th scope=col>Implicit TLS, port ").Number(c.ImplicitPort).Raw("</thead><tbody>");
            Row(html, "Status", c.StartTlsStatus + ": " + c.StartTlsReason, c.ImplicitStatus + ": " + c.ImplicitReason);
            Row(html, "Successful samples", c.StartTlsSuccessfulSamples.ToString(), c.ImplicitSuccessfulSamples.ToString());
            Row(html, "Secure channel, median (min-max)", Range(c.StartTlsMedianMs, c.StartTlsMinMs, c.StartTlsMaxMs), Range(c.ImplicitMedianMs, c.ImplicitMinMs, c.ImplicitMaxMs));
            Row(html, "Round trips before TLS", c.StartTlsRoundTrips?.ToString(), c.ImplicitRoundTrips?.ToString());
            Row(html, "Plaintext bytes sent / received", Bytes(c.StartTlsPlaintextBytesSent, c.StartTlsPlaintextBytesReceived), Bytes(c.ImplicitPlaintextBytesSent, c.ImplicitPlaintextBytesReceived));
            Row(html, "Exposed banner", c.StartTlsExposedBanner, c.ImplicitExposedBanner);
            Row(html, "Exposed software", Join(c.StartTlsExposedSoftware, c.StartTlsExposedVersion), Join(c.ImplicitExposedSoftware, c.ImplicitExposedVersion));
            Row(html, "Exposed capabilities", DetailHtml.Joined(c.StartTlsExposedCapabilities), DetailHtml.Joined(c.ImplicitExposedCapabilities));
            Row(html, "TLS", DetailHtml.Version(c.StartTlsTlsVersion) + " " + c.StartTlsCipherSuite, DetailHtml.Version(c.ImplicitTlsVersion) + " " + c.ImplicitCipherSuite);
            Row(html, "Certificate", Certificate(c.StartTlsCertificateValid, c.StartTlsCertificateError, c.StartTlsCertificateThumbprint),
                Certificate(c.ImplicitCertificateValid, c.ImplicitCertificateError, c.ImplicitCertificateThumbprint));
            html.Raw("</tbody></table>");
            DetailHtml.Open(html);
            DetailHtml.Field(html, "Same certificate", c.SameCertificate);
            DetailHtml.Field(html, "Same TLS version", c.SameTlsVersion);
            DetailHtml.Field(html, "Same cipher suite", c.SameCipherSuite);
            DetailHtml.Field(html, "Recommendation", c.Recommendation);
            DetailHtml.Close(html);
        }

        private static void Row(HtmlWriter html, string label, string? startTls, string? implicitTls) =>
            html.Raw("<tr><th scope=row>").Text(label).Raw("<td>").Text(startTls).Raw("<td>").Text(implicitTls);

        private static string? Range(double? median, double? min, double? max) =>
            median.HasValue ? $"{DetailHtml.Ms(median)} ({DetailHtml.Ms(min)} - {DetailHtml.Ms(max)})" : null;

        private static string? Bytes(long? sent, long? received) => sent.HasValue || received.HasValue ? $"{sent} / {received}" : null;

        private static string Join(string? software, string? version) => (software + " " + version).Trim();

        private static string? Certificate(bool? valid, string? error, string? thumbprint) => valid.HasValue
            ? (valid.Value ? "valid" : "not valid" + (string.IsNullOrEmpty(error) ? "" : ": " + error)) + (string.IsNullOrEmpty(thumbprint) ? "" : ", " + thumbprint)
            : null;
    }
}
