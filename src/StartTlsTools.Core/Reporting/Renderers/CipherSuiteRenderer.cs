using System.Collections.Generic;
using System.Linq;

namespace StartTlsTools.Reporting.Renderers
{
    /// <summary>Get-TlsCapability's rows: one table of accepted suites per target.</summary>
    internal sealed class CipherSuiteRenderer : ResultRenderer<TlsCipherSuiteResult>
    {
        public CipherSuiteRenderer()
            : base("Get-TlsCapability", 6, "HostName", "Port", "CipherSuite", "PreferenceRank", "Rating", "OpenSslName") { }

        protected override (string HostName, int Port) TargetOf(TlsCipherSuiteResult result) => (result.HostName, result.Port);

        protected override void Summarize(TlsCipherSuiteResult row, ReportTarget target, ReportContext context)
        {
            target.SetProtocol(row.Protocol.ToString(), row.ImplicitTls, Order);
            target.AddAccepted(DetailHtml.ParseVersion(row.TlsVersion));
            target.RateAccepted(row.Rating);
        }

        protected override void RenderDetail(TlsCipherSuiteResult result, HtmlWriter html, ReportContext context) =>
            RenderDetail(new[] { result }, html, context);

        protected override void RenderDetail(IReadOnlyList<TlsCipherSuiteResult> rows, HtmlWriter html, ReportContext context)
        {
            DetailHtml.Heading(html, "Accepted cipher suites (" + rows.Count + ")", "Get-TlsCapability");
            html.Raw("<table class=\"grid suites\"><thead><tr><th scope=\"col\">Version</th><th scope=\"col\">Rank</th><th scope=\"col\">Cipher suite</th><th scope=\"col\">Code</th><th scope=\"col\">Bits</th><th scope=\"col\">Forward secrecy</th><th scope=\"col\">Rating</th></tr></thead><tbody>");
            foreach (TlsCipherSuiteResult r in rows.OrderByDescending(r => DetailHtml.ParseVersion(r.TlsVersion)).ThenBy(r => r.PreferenceRank))
            {
                html.Raw("<tr><td>").Text(r.TlsVersion).Raw("</td><td>").Number(r.PreferenceRank).Raw("</td><td class=\"m\">").Text(r.CipherSuite)
                    .Raw("</td><td class=\"m\">").Text(r.Code).Raw("</td><td>").Number(r.Bits).Raw("</td><td>").Text(DetailHtml.YesNo(r.ForwardSecrecy)).Raw("</td><td>");
                DetailHtml.Rating(html, r.Rating);
                html.Raw("</td></tr>");
            }
            html.Raw("</tbody></table>");
        }
    }
}
