namespace StartTlsTools.Reporting.Renderers
{
    /// <summary>Test-StartTls: the STARTTLS dialogue, the certificate chain and the capabilities before and after TLS.</summary>
    internal sealed class StartTlsResultRenderer : ResultRenderer<StartTlsResult>
    {
        public StartTlsResultRenderer()
            : base("Test-StartTls", 1, "HostName", "Port", "Status", "TlsEstablished", "StartTlsOffered", "CapabilitiesBeforeTls") { }

        protected override (string HostName, int Port) TargetOf(StartTlsResult result) => (result.HostName, result.Port);

        protected override void Summarize(StartTlsResult result, ReportTarget target, ReportContext context)
        {
            target.SetProtocol(result.Protocol.ToString(), result.ImplicitTls, Order);
            target.SetStatus(result.Status.ToString(), Order);
            target.Vote(result.IsHealthy, result.IsHealthy ? null
                : result.Status != StartTlsStatus.Success ? "Test-StartTls: " + result.Status
                : "Test-StartTls: the certificate is not valid");
            target.AddNegotiated(result.TlsVersion);
            target.RateNegotiated(DetailHtml.RatingOf(result.CipherSuite));
            target.SetCertificate(result.CertificateDaysToExpiry, result.CertificateNotAfter, result.CertificateSubject, Order);
            target.AddFindings(result.Findings);
        }

        protected override void RenderDetail(StartTlsResult r, HtmlWriter html, ReportContext context)
        {
            DetailHtml.Heading(html, r.ImplicitTls ? "Implicit TLS connection" : "STARTTLS dialogue", DetailHtml.Source("Test-StartTls", r.StartedAt, r.IPAddress));
            DetailHtml.Open(html);
            if (r.Status != StartTlsStatus.Success) DetailHtml.Field(html, "Status", r.Status + ": " + r.Reason);
            DetailHtml.Field(html, "Banner", r.Banner, mono: true);
            if (r.StartTlsOffered.HasValue)
            {
                DetailHtml.FieldStart(html, "STARTTLS");
                html.Text(r.StartTlsOffered.Value ? "offered" : "not offered");
                if (!string.IsNullOrEmpty(r.StartTlsReply))
                {
                    html.Raw(", reply ");
                    DetailHtml.Mono(html, r.StartTlsReply);
                }
            }
            if (r.TlsVersion != TlsProtocolVersion.None || !string.IsNullOrEmpty(r.CipherSuite))
            {
                DetailHtml.FieldStart(html, "TLS");
                html.Text(DetailHtml.Version(r.TlsVersion)).Raw(" ");
                DetailHtml.Mono(html, r.CipherSuite);
                html.Raw(" ");
                DetailHtml.Rating(html, DetailHtml.RatingOf(r.CipherSuite));
            }
            if (!r.ImplicitTls && r.PlaintextRoundTrips > 0)
                DetailHtml.Field(html, "Plaintext", $"{r.PlaintextRoundTrips} round trips, {r.PlaintextBytesSent} bytes sent, {r.PlaintextBytesReceived} received"
                    + (r.PlaintextBytesDiscardedAtUpgrade > 0 ? $", {r.PlaintextBytesDiscardedAtUpgrade} discarded after the STARTTLS reply" : ""));
            DetailHtml.Close(html);

            if (r.CertificateValid.HasValue || !string.IsNullOrEmpty(r.CertificateSubject))
            {
                DetailHtml.Heading(html, "Certificate chain");
                DetailHtml.Open(html);
                DetailHtml.Field(html, "Valid", DetailHtml.Validity(r.CertificateValid, r.CertificateError));
                DetailHtml.Field(html, "Subject", r.CertificateSubject, mono: true);
                DetailHtml.Items(html, "Names", r.CertificateSubjectAlternativeNames);
                DetailHtml.Field(html, "Issuer", r.CertificateIssuer, mono: true);
                DetailHtml.Items(html, "Chain", r.CertificateChainStatus);
                DetailHtml.Field(html, "Period", DetailHtml.Period(r.CertificateNotBefore, r.CertificateNotAfter, r.CertificateDaysToExpiry));
                if (!string.IsNullOrEmpty(r.CertificateKeyAlgorithm))
                    DetailHtml.Field(html, "Key", $"{r.CertificateKeyAlgorithm} {r.CertificateKeySize} bits, {r.CertificateSignatureAlgorithm}");
                DetailHtml.Field(html, "Thumbprint", r.CertificateThumbprint, mono: true);
                DetailHtml.Close(html);
            }

            if (r.CapabilitiesBeforeTls != null || r.CapabilitiesAfterTls != null)
            {
                DetailHtml.Heading(html, "Capabilities");
                DetailHtml.Open(html);
                if (!r.ImplicitTls) DetailHtml.Items(html, "Before TLS", r.CapabilitiesBeforeTls);
                if (r.TlsEstablished) DetailHtml.Items(html, r.ImplicitTls ? "Over TLS" : "After TLS", r.CapabilitiesAfterTls);
                DetailHtml.Close(html);
            }
            DetailHtml.Transcript(html, r.Transcript);
        }
    }
}
