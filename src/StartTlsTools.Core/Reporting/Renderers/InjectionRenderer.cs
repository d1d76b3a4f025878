namespace StartTlsTools.Reporting.Renderers
{
    /// <summary>Test-StartTlsInjection: the verdict and its evidence.</summary>
    internal sealed class InjectionRenderer : ResultRenderer<StartTlsInjectionResult>
    {
        public InjectionRenderer()
            : base("Test-StartTlsInjection", 5, "HostName", "Port", "Verdict", "InjectedCommand", "SanityCheck") { }

        protected override (string HostName, int Port) TargetOf(StartTlsInjectionResult result) => (result.HostName, result.Port);

        protected override void Summarize(StartTlsInjectionResult r, ReportTarget target, ReportContext context)
        {
            target.SetProtocol(r.Protocol.ToString(), false, Order);
            target.SetStatus("Injection " + r.Verdict, Order);
            // Inconclusive is no opinion: the probe could not tell.
            if (r.Verdict != InjectionVerdict.Inconclusive)
                target.Vote(r.Verdict == InjectionVerdict.NotVulnerable, r.Verdict == InjectionVerdict.Vulnerable ? "Test-StartTlsInjection: Vulnerable" : null);
            target.AddNegotiated(r.TlsVersion);
            target.RateNegotiated(DetailHtml.RatingOf(r.CipherSuite));
        }

        protected override void RenderDetail(StartTlsInjectionResult r, HtmlWriter html, ReportContext context)
        {
            DetailHtml.Heading(html, "STARTTLS command injection", DetailHtml.Source("Test-StartTlsInjection", r.StartedAt, r.IPAddress));
            DetailHtml.Open(html);
            DetailHtml.Field(html, "Verdict", r.Verdict + ": " + r.Reason);
            DetailHtml.Field(html, "Injected", r.InjectedCommand, mono: true);
            if (r.SanityCheck != StartTlsStatus.Success) DetailHtml.Field(html, "Sanity check", r.SanityCheck + (string.IsNullOrEmpty(r.SanityCheckReason) ? "" : ": " + r.SanityCheckReason));
            if (r.Status != StartTlsStatus.Success) DetailHtml.Field(html, "Probe", r.Status.ToString());
            DetailHtml.Field(html, "Reply", r.StartTlsReply, mono: true);
            DetailHtml.Field(html, "Listened", r.WaitSeconds.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture) + " s over "
                + DetailHtml.Version(r.TlsVersion) + ", " + r.LinesReceivedOverTls + " lines received");
            DetailHtml.Field(html, "Evidence", r.Evidence, mono: true);
            if (r.PlaintextBytesDiscardedAtUpgrade > 0)
                DetailHtml.Field(html, "Plaintext after the STARTTLS reply", r.PlaintextBytesDiscardedAtUpgrade + " bytes: " + r.PlaintextEvidence);
            DetailHtml.Close(html);
            DetailHtml.Transcript(html, r.Transcript);
        }
    }
}
