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
            DetailHtml.Heading(html, r.ImplicitTls ? "Implicit TLS connection" : "STARTTLS dialogue", "Test-StartTls, " + DetailHtml.When(r.StartedAt));
            DetailHtml.Open(html);
            DetailHtml.Field(html, "Status", r.Status + ": " + r.Reason);
            DetailHtml.Field(html, "Address", r.IPAddress, mono: true);
            DetailHtml.Field(html, "Banner", r.Banner, mono: true);
            DetailHtml.Field(html, "STARTTLS offered", r.StartTlsOffered);
            DetailHtml.Field(html, "Reply to STARTTLS", r.StartTlsReply, mono: true);
            DetailHtml.Field(html, "TLS version", DetailHtml.Version(r.TlsVersion));
            if (!string.IsNullOrEmpty(r.CipherSuite))
            {
                html.Raw("<dt>Cipher suite</dt><dd><span class=\"m\">").Text(r.CipherSuite).Raw("</span> ");
                DetailHtml.Rating(html, DetailHtml.RatingOf(r.CipherSuite));
                html.Raw("</dd>");
            }
            if (!r.ImplicitTls)
                DetailHtml.Field(html, "Plaintext before TLS", $"{r.PlaintextRoundTrips} round trips, {r.PlaintextBytesSent} bytes sent, {r.PlaintextBytesReceived} bytes received");
            if (r.PlaintextBytesDiscardedAtUpgrade > 0)
                DetailHtml.Field(html, "Discarded at upgrade", r.PlaintextBytesDiscardedAtUpgrade + " plaintext bytes after the STARTTLS reply");
            DetailHtml.Field(html, "Timings", DetailHtml.Timings(("connect", r.ConnectMs), ("greeting", r.GreetingMs), ("secure channel", r.TimeToSecureChannelMs), ("total", r.TotalMs)));
            DetailHtml.Close(html);

            if (r.CertificateValid.HasValue || !string.IsNullOrEmpty(r.CertificateSubject))
            {
                DetailHtml.Heading(html, "Certificate chain", "Test-StartTls");
                DetailHtml.Open(html);
                DetailHtml.Field(html, "Valid", r.CertificateValid == true ? "Yes" : "No" + (string.IsNullOrEmpty(r.CertificateError) ? "" : ": " + r.CertificateError));
                DetailHtml.Field(html, "Subject", r.CertificateSubject, mono: true);
                DetailHtml.Field(html, "Alternative names", r.CertificateSubjectAlternativeNames, mono: true);
                DetailHtml.Field(html, "Issuer", r.CertificateIssuer, mono: true);
                DetailHtml.Field(html, "Chain, leaf first", r.CertificateChainStatus, mono: true);
                DetailHtml.Field(html, "Name matches", r.HostnameMatches);
                DetailHtml.Field(html, "Valid from", DetailHtml.Date(r.CertificateNotBefore));
                DetailHtml.Field(html, "Valid until", DetailHtml.Date(r.CertificateNotAfter) + (r.CertificateDaysToExpiry.HasValue ? $" ({r.CertificateDaysToExpiry} days)" : ""));
                if (!string.IsNullOrEmpty(r.CertificateKeyAlgorithm))
                    DetailHtml.Field(html, "Key", $"{r.CertificateKeyAlgorithm} {r.CertificateKeySize} bits, signed {r.CertificateSignatureAlgorithm}", mono: true);
                DetailHtml.Field(html, "Thumbprint", r.CertificateThumbprint, mono: true);
                DetailHtml.Close(html);
            }

            if (!r.ImplicitTls && (r.CapabilitiesBeforeTls != null || r.CapabilitiesAfterTls != null))
            {
                DetailHtml.Heading(html, "Capabilities before and after TLS", "Test-StartTls");
                DetailHtml.BeforeAfter(html, "Before TLS", r.CapabilitiesBeforeTls, "After TLS", r.CapabilitiesAfterTls);
            }
            else if (r.CapabilitiesAfterTls != null)
            {
                DetailHtml.Heading(html, "Capabilities over TLS", "Test-StartTls");
                DetailHtml.Items(html, r.CapabilitiesAfterTls);
            }
            DetailHtml.Transcript(html, r.Transcript);
        }
    }
}
