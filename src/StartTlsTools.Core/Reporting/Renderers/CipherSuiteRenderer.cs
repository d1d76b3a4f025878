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
            DetailHtml.Heading(html, "Accepted cipher suites (" + rows.Count + ")", "Get-TlsCapability; rank is the server's order where it enforces one");
            html.Raw("<table class=\"grid suites\"><thead><tr><th scope=col>Version<th scope=col>Rank<th scope=col>Cipher suite<th scope=col>Forward secrecy<th scope=col>Rating</thead><tbody>");
            foreach (TlsCipherSuiteResult r in rows.OrderByDescending(r => DetailHtml.ParseVersion(r.TlsVersion)).ThenBy(r => r.PreferenceRank))
            {
                html.Raw("<tr><td>").Text(r.TlsVersion).Raw("<td>").Number(r.PreferenceRank).Raw("<td class=m>").Text(r.CipherSuite)
                    .Raw("<td>").Text(r.ForwardSecrecy ? "yes" : "no").Raw("<td class=r").Number((int)r.Rating).Raw(">").Text(DetailHtml.RatingText(r.Rating));
            }
            html.Raw("</tbody></table>");
        }
    }
}
