using System;
using System.Collections.Generic;
using System.Linq;
using StartTlsTools.Probing;

namespace StartTlsTools.Reporting
{
    /// <summary>The four charts of the report, each a figure with a caption, an SVG and its numbers as a table.</summary>
    internal static class ReportCharts
    {
        /// <summary>Finding ids drawn in the chart; the findings table below lists every one.</summary>
        public const int MaxFindingBars = 16;

        private static readonly TlsProtocolVersion[] VersionRows =
            { TlsProtocolVersion.Tls13, TlsProtocolVersion.Tls12, TlsProtocolVersion.Tls11, TlsProtocolVersion.Tls10, TlsProtocolVersion.Ssl3, TlsProtocolVersion.Ssl2 };

        public static void Write(HtmlWriter html, ReportModel model)
        {
            html.Raw("<div class=\"charts\">");
            TlsVersions(html, model);
            Ratings(html, model);
            Expiry(html, model);
            FindingIds(html, model);
            html.Raw("</div>");
        }

        private static void TlsVersions(HtmlWriter html, ReportModel model)
        {
            var rows = VersionRows.Select(v => (Version: v,
                Accepted: model.Targets.Count(t => t.AcceptedVersions.Contains(v)),
                Negotiated: model.Targets.Count(t => t.NegotiatedVersions.Contains(v)))).ToList();
            var groups = rows.Select(r =>
            {
                bool legacy = r.Version < TlsProtocolVersion.Tls12;
                return new BarGroup(DetailHtml.Version(r.Version) + (legacy ? " (legacy)" : ""),
                    new Bar(r.Accepted, legacy ? "c-leg" : "c-acc", legacy), new Bar(r.Negotiated, legacy ? "c-leg2" : "c-neg", legacy));
            }).ToList();
            Figure(html, "c-ver", "TLS versions offered", "Targets per TLS version: accepted in a Get-TlsCapability scan (first bar) and negotiated by a connection (second bar). Legacy versions (below TLS 1.2) are red and hatched.");
            SvgCharts.HorizontalBars(html, "c-ver", "TLS versions: targets that accepted or negotiated each version", groups,
                new[] { ("accepted (scan)", "c-acc", false), ("negotiated", "c-neg", false), ("legacy", "c-leg", true) });
            DataTable(html, new[] { "Version", "Accepted (scan)", "Negotiated" },
                rows.Select(r => new[] { DetailHtml.Version(r.Version), r.Accepted.ToString(), r.Negotiated.ToString() }));
            html.Raw("</figure>");
        }

        private static void Ratings(HtmlWriter html, ReportModel model)
        {
            var order = new CipherRating?[] { CipherRating.Recommended, CipherRating.Secure, CipherRating.Weak, CipherRating.Insecure, null };
            var rows = order.Select(r => (Rating: r,
                Scan: model.Targets.Count(t => t.WeakestRating == r && t.WeakestRatingFromScan),
                Negotiated: model.Targets.Count(t => t.WeakestRating == r && !t.WeakestRatingFromScan))).ToList();
            var groups = rows.Select(r => new BarGroup(r.Rating.HasValue ? DetailHtml.RatingText(r.Rating.Value) : "Not known",
                new Bar(r.Scan + r.Negotiated, r.Rating.HasValue ? "c-r" + (int)r.Rating.Value : "c-rn", r.Rating <= CipherRating.Weak))).ToList();
            Figure(html, "c-rat", "Weakest cipher suite per target", "Targets by the rating of their weakest cipher suite (NCSC-NL 2021, as Get-TlsCapability rates): the weakest accepted suite where a scan ran, otherwise the weakest negotiated one. Weak and Insecure are hatched.");
            SvgCharts.HorizontalBars(html, "c-rat", "Weakest cipher suite rating per target", groups);
            DataTable(html, new[] { "Weakest rating", "Targets", "from a scan", "from the negotiated suite" },
                rows.Select(r => new[] { r.Rating.HasValue ? DetailHtml.RatingText(r.Rating.Value) : "Not known", (r.Scan + r.Negotiated).ToString(), r.Scan.ToString(), r.Negotiated.ToString() }));
            html.Raw("</figure>");
        }

        private static void Expiry(HtmlWriter html, ReportModel model)
        {
            int warning = model.Context.ExpiryWarningDays;
            var points = model.Targets.Where(t => t.CertificateDaysToExpiry.HasValue).Select(t => (t.DisplayName, t.CertificateDaysToExpiry!.Value)).ToList();
            Figure(html, "c-exp", "Certificate expiry", "Days until each certificate expires: crosses have expired, triangles expire within the warning threshold of "
                + warning + " days (dashed line), circles later. Hover a marker for its target.");
            SvgCharts.ExpiryTimeline(html, "c-exp", "Certificate expiry timeline, days to expiry per target, warning at " + warning + " days", points, warning);
            var buckets = new (string Label, Func<int, bool> In)[]
            {
                ("Expired", d => d < 0),
                ("Within " + warning + " days", d => d >= 0 && d <= warning),
                (warning + 1 + " to 90 days", d => d > warning && d <= 90),
                ("91 to 365 days", d => d > Math.Max(90, warning) && d <= 365),
                ("More than 365 days", d => d > Math.Max(365, warning)),
            };
            var rows = buckets.Select(b => new[] { b.Label, points.Count(p => b.In(p.Item2)).ToString() }).ToList();
            rows.Add(new[] { "No certificate seen", (model.Targets.Count - points.Count).ToString() });
            DataTable(html, new[] { "Days to expiry", "Targets" }, rows);
            html.Raw("</figure>");
        }

        private static void FindingIds(HtmlWriter html, ReportModel model)
        {
            var shown = model.FindingsById.Take(MaxFindingBars).ToList();
            var groups = shown.Select(f => new BarGroup(f.Id, new Bar(f.Targets, "c-s" + (int)f.Severity, f.Severity >= FindingSeverity.High, f.Severity.ToString()))).ToList();
            string more = model.FindingsById.Count > shown.Count ? $" The {model.FindingsById.Count - shown.Count} less frequent ids are in the findings table." : "";
            Figure(html, "c-fid", "Findings by id", "Targets per finding id, most frequent first; High and Critical are hatched." + more);
            SvgCharts.HorizontalBars(html, "c-fid", "Findings by id: targets with each finding", groups);
            html.Raw("<p class=\"note\">Numbers: <a href=\"#h-findings\">findings table</a>.</p></figure>");
        }

        private static void Figure(HtmlWriter html, string id, string caption, string note) =>
            html.Raw("<figure aria-labelledby=\"").Raw(id).Raw("-c\"><figcaption id=\"").Raw(id).Raw("-c\">").Text(caption)
                .Raw("</figcaption><p class=\"note\">").Text(note).Raw("</p>");

        private static void DataTable(HtmlWriter html, IReadOnlyList<string> headers, IEnumerable<string[]> rows)
        {
            html.Raw("<details class=\"data\"><summary>Numbers</summary><table class=\"grid\"><thead><tr>");
            foreach (string header in headers) html.Raw("<th scope=\"col\">").Text(header).Raw("</th>");
            html.Raw("</tr></thead><tbody>");
            foreach (string[] row in rows)
            {
                html.Raw("<tr><th scope=\"row\">").Text(row[0]).Raw("</th>");
                foreach (string cell in row.Skip(1)) html.Raw("<td class=\"n\">").Text(cell).Raw("</td>");
                html.Raw("</tr>");
            }
            html.Raw("</tbody></table></details>");
        }
    }
}
