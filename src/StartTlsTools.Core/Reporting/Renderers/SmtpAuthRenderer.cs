namespace StartTlsTools.Reporting.Renderers
{
    /// <summary>Invoke-SmtpAuthPlain: the AUTH outcome and the TLS it ran over. It never holds a secret.</summary>
    internal sealed class SmtpAuthRenderer : ResultRenderer<SmtpAuthResult>
    {
        public SmtpAuthRenderer()
            : base("Invoke-SmtpAuthPlain", 4, "HostName", "Port", "UserName", "CredentialsSent", "TlsStatus") { }

        protected override (string HostName, int Port) TargetOf(SmtpAuthResult result) => (result.HostName, result.Port);

        protected override void Summarize(SmtpAuthResult r, ReportTarget target, ReportContext context)
        {
            // The result does not say Smtp or Submission; any other result about the port will.
            target.SetProtocol("Smtp", r.ImplicitTls, int.MaxValue - 1);
            target.SetStatus("AUTH " + r.Status, Order);
            target.Vote(r.Succeeded, r.Succeeded ? null : "Invoke-SmtpAuthPlain: " + r.Status);
            target.AddNegotiated(r.TlsVersion);
            target.RateNegotiated(DetailHtml.RatingOf(r.CipherSuite));
        }

        protected override void RenderDetail(SmtpAuthResult r, HtmlWriter html, ReportContext context)
        {
            DetailHtml.Heading(html, "SMTP AUTH PLAIN", DetailHtml.Source("Invoke-SmtpAuthPlain", r.StartedAt, r.IPAddress));
            DetailHtml.Open(html);
            DetailHtml.Field(html, "Status", r.Status + ": " + r.Reason);
            DetailHtml.Field(html, "User", r.UserName, mono: true);
            DetailHtml.Field(html, "Credentials sent", r.CredentialsSent);
            if (r.ReplyCode.HasValue)
                DetailHtml.Field(html, "Reply", r.ReplyCode + (string.IsNullOrEmpty(r.EnhancedStatusCode) ? "" : " " + r.EnhancedStatusCode) + (string.IsNullOrEmpty(r.ReplyText) ? "" : " " + r.ReplyText), mono: true);
            DetailHtml.Field(html, "Mechanisms before TLS", DetailHtml.Joined(r.MechanismsBeforeTls), mono: true);
            DetailHtml.Field(html, "Mechanisms after TLS", DetailHtml.Joined(r.MechanismsAfterTls), mono: true);
            DetailHtml.Field(html, "TLS", r.TlsStatus + (r.TlsEstablished ? ", " + DetailHtml.Version(r.TlsVersion) + " " + r.CipherSuite : ""));
            if (r.CertificateValid.HasValue)
                DetailHtml.Field(html, "Certificate valid", DetailHtml.Validity(r.CertificateValid, r.CertificateError));
            DetailHtml.Field(html, "Certificate subject", r.CertificateSubject, mono: true);
            if (r.CertificateCheckSkipped) DetailHtml.Field(html, "Certificate check", "skipped (-SkipCertificateCheck)");
            if (r.PlaintextAllowed) DetailHtml.Field(html, "Plaintext", "allowed (-AllowPlaintext)");
            DetailHtml.Field(html, "Timings", DetailHtml.Timings(("connect", r.ConnectMs), ("secure channel", r.TimeToSecureChannelMs), ("AUTH", r.AuthMs), ("total", r.TotalMs)));
            DetailHtml.Close(html);
            DetailHtml.Transcript(html, r.Transcript);
        }
    }
}
