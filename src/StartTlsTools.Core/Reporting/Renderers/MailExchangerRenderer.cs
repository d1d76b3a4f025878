namespace StartTlsTools.Reporting.Renderers
{
    /// <summary>Resolve-MailExchanger: where mail for a domain goes, and what is wrong with the MX records themselves.</summary>
    internal sealed class MailExchangerRenderer : ResultRenderer<MailExchanger>
    {
        public MailExchangerRenderer()
            : base("Resolve-MailExchanger", 7, "Domain", "Preference", "Source", "IPAddresses", "AddressLookup") { }

        protected override (string HostName, int Port) TargetOf(MailExchanger result) => (result.HostName, result.Port);

        protected override void Summarize(MailExchanger r, ReportTarget target, ReportContext context)
        {
            target.SetProtocol(r.Protocol.ToString(), false, Order);
            target.AddFindings(r.Findings);
        }

        protected override void RenderDetail(MailExchanger r, HtmlWriter html, ReportContext context)
        {
            DetailHtml.Heading(html, "MX record of " + r.Domain, "Resolve-MailExchanger");
            DetailHtml.Open(html);
            DetailHtml.Field(html, "Preference", r.Preference);
            DetailHtml.Field(html, "Source", r.Source.ToString());
            DetailHtml.Items(html, "Addresses", r.IPAddresses);
            DetailHtml.Field(html, "DNSSEC", "MX " + r.MxDnssec + ", addresses " + r.AddressDnssec);
            if (r.IsCname) DetailHtml.Field(html, "CNAME", "Yes, to " + r.CanonicalName);
            if (r.IsIpLiteral) DetailHtml.Field(html, "IP literal", true);
            DetailHtml.Field(html, "Reason", r.Reason);
            DetailHtml.Close(html);
        }
    }
}
