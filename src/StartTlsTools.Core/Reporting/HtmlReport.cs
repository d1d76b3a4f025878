using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using StartTlsTools.Probing;

namespace StartTlsTools.Reporting
{
    /// <summary>
    /// Renders a <see cref="ReportModel"/> as one self-contained HTML page: inline CSS, inline SVG charts, one inline
    /// script (sorting and filtering), no external resource of any kind. A Content-Security-Policy that allows only
    /// that style and that script (by hash) and data: images makes any markup that slipped through inert.
    /// </summary>
    public static class HtmlReport
    {
        /// <summary>Kinds of unrecognised objects listed before "and N more kinds".</summary>
        private const int MaxUnrecognizedKinds = 20;

        internal static readonly string Style = Asset("report.css");
        internal static readonly string Script = Asset("report.js");

        /// <summary>The Content-Security-Policy the page carries.</summary>
        public static readonly string ContentSecurityPolicy =
            "default-src 'none'; img-src data:; style-src '" + Sha256(Style) + "'; script-src '" + Sha256(Script) + "'; base-uri 'none'; form-action 'none'";

        public static string Render(ReportModel model)
        {
            var html = new HtmlWriter(new StringBuilder(64 * 1024 + model.Targets.Count * 2048));
            ReportContext context = model.Context;
            html.Raw("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">")
                .Raw("<meta http-equiv=\"Content-Security-Policy\"").Attr("content", ContentSecurityPolicy).Raw(">")
                .Raw("<meta name=\"generator\"").Attr("content", context.ProducedBy).Raw(">")
                .Raw("<title>").Text(context.Title, 500).Raw("</title><link rel=\"icon\" href=\"data:,\"><style>").Raw(Style).Raw("</style></head>\n<body>");

            html.Raw("<header><h1>").Text(context.Title, 500).Raw("</h1><p class=\"meta\">Made ").Text(DetailHtml.When(context.GeneratedAt))
                .Raw(" by ").Text(context.ProducedBy).Raw("</p>");
            if (!string.IsNullOrEmpty(context.CommandLine))
                html.Raw("<p class=\"meta\">Command: <code>").Text(context.CommandLine, 2000).Raw("</code></p>");
            html.Raw("</header>\n<main>");

            Headline(html, model);
            html.Raw("<section aria-labelledby=\"h-charts\"><h2 id=\"h-charts\">Charts</h2>");
            ReportCharts.Write(html, model);
            html.Raw("</section>\n");
            TargetTable(html, model);
            FindingTable(html, model);
            html.Raw("<section aria-labelledby=\"h-detail\"><h2 id=\"h-detail\">Per-target detail</h2>");
            if (model.Targets.Count == 0) html.Raw("<p class=\"none\">No targets.</p>");
            foreach (ReportTarget target in model.Targets) TargetDetail(html, target, context);
            html.Raw("</section>\n</main><footer><p class=\"meta\">").Text(context.ProducedBy).Raw(", ").Text(DetailHtml.When(context.GeneratedAt))
                .Raw(". This file needs no network: everything it shows is inside it.</p></footer>\n<script>").Raw(Script).Raw("</script></body></html>\n");
            return html.ToString();
        }

        private static void Headline(HtmlWriter html, ReportModel model)
        {
            html.Raw("<section aria-labelledby=\"h-sum\"><h2 id=\"h-sum\">Summary</h2><div class=\"heads\"><div><h3>Targets</h3><ul class=\"stats\"><li><b>").Number(model.Targets.Count).Raw("</b>targets</li>")
                .Raw("<li class=\"h-ok\"><b>").Number(model.HealthyCount).Raw("</b>\u2714 healthy</li>")
                .Raw("<li class=\"h-bad\"><b>").Number(model.NotHealthyCount).Raw("</b>\u2718 not healthy</li>")
                .Raw("<li class=\"h-none\"><b>").Number(model.NoVerdictCount).Raw("</b>\u2013 no verdict</li></ul></div>")
                .Raw("<div><h3>Findings by severity</h3><ul class=\"stats\">");
            foreach (FindingSeverity severity in Enum.GetValues(typeof(FindingSeverity)).Cast<FindingSeverity>().OrderByDescending(s => s))
            {
                html.Raw("<li><b>").Number(model.FindingsBySeverity[severity]).Raw("</b>");
                Severity(html, severity);
                html.Raw("</li>");
            }
            html.Raw("</ul></div></div><p class=\"note\">").Number(model.ResultCount).Raw(model.ResultCount == 1 ? " result" : " results").Raw(" about ").Number(model.Targets.Count)
                .Raw(model.Targets.Count == 1 ? " target" : " targets").Raw(" (a target is a host name and port); findings are counted once per target. ")
                .Raw("Healthy: every result with a verdict passed: Test-StartTls upgraded with a valid certificate, Get-TlsCapability completed its scan without an invalid certificate, ")
                .Raw("Test-StartTlsInjection found no injection, Invoke-SmtpAuthPlain authenticated, Compare-ImplicitVsStartTls reached both ports with valid certificates.</p>");
            if (model.Targets.Count == 0)
                html.Raw("<p class=\"notice\" role=\"note\">No results were given, so there is nothing to show. Pipe the objects of Test-StartTls, Get-TlsCapability, Test-StartTlsInjection, Invoke-SmtpAuthPlain or Compare-ImplicitVsStartTls into Export-StartTlsReport, or give starttls report their JSON.</p>");
            if (model.UnrecognizedCount > 0)
            {
                html.Raw("<div class=\"notice\" role=\"note\"><p><b>\u26A0 ").Number(model.UnrecognizedCount)
                    .Raw(model.UnrecognizedCount == 1 ? " object was not recognised</b> and is not in this report:</p><ul>" : " objects were not recognised</b> and are not in this report:</p><ul>");
                foreach (var kind in model.Unrecognized.Take(MaxUnrecognizedKinds))
                    html.Raw("<li><span class=\"m\">").Text(kind.Key, 300).Raw("</span>: ").Number(kind.Value).Raw("</li>");
                if (model.Unrecognized.Count > MaxUnrecognizedKinds)
                    html.Raw("<li>and ").Number(model.Unrecognized.Count - MaxUnrecognizedKinds).Raw(" more kinds</li>");
                html.Raw("</ul></div>");
            }
            html.Raw("</section>\n");
        }

        private static void TargetTable(HtmlWriter html, ReportModel model)
        {
            html.Raw("<section aria-labelledby=\"h-targets\"><h2 id=\"h-targets\">Targets</h2>")
                .Raw("<div id=\"controls\" class=\"controls\" hidden><label>Filter<input id=\"q\" type=\"search\" placeholder=\"host, status, finding id\u2026\"></label>")
                .Raw("<label>Health<select id=\"fh\"><option value=\"\">All</option><option value=\"bad\">Not healthy</option><option value=\"ok\">Healthy</option><option value=\"none\">No verdict</option></select></label>")
                .Raw("<label>Findings at least<select id=\"fs\"><option value=\"\">Any or none</option><option value=\"4\">Critical</option><option value=\"3\">High</option><option value=\"2\">Medium</option><option value=\"1\">Low</option><option value=\"0\">Info</option></select></label>")
                .Raw("<span id=\"shown\" role=\"status\" aria-live=\"polite\"></span></div>")
                .Raw("<table id=\"targets\" class=\"grid\"><caption class=\"note\">One row per target, in the order the results came. <span class=\"sortnote\">Select a column heading to sort by it.</span></caption>")
                .Raw("<thead><tr><th scope=col>Target<th scope=col>Protocol<th scope=col>Status<th scope=col>Health<th scope=col>TLS")
                .Raw("<th scope=col>Weakest cipher<th scope=col>Certificate days<th scope=col>Findings<th scope=col>Checks</thead><tbody>");
            if (model.Targets.Count == 0) html.Raw("<tr><td colspan=9 class=none>No targets.");
            int warning = model.Context.ExpiryWarningDays;
            foreach (ReportTarget t in model.Targets)
            {
                // Sort keys: data-v where the text does not sort by itself; the script reads the rest from the text.
                int worst = t.WorstSeverity.HasValue ? (int)t.WorstSeverity.Value : -1;
                html.Raw("<tr data-h=").Raw(t.Healthy == true ? "ok" : t.Healthy == false ? "bad" : "none").Raw(" data-s=").Number(worst)
                    .Raw("><th><a href=#").Raw(t.Anchor).Raw(">").Text(t.DisplayName, 300).Raw("</a><td>").Text(t.Protocol ?? "\u2013")
                    .Raw(t.ImplicitTls == true ? ", implicit TLS" : "").Raw("<td>").Text(t.Status.Length == 0 ? "\u2013" : t.Status, 300);
                html.Raw(t.Healthy == true ? "<td class=h-ok data-v=2>\u2714 Healthy" : t.Healthy == false ? "<td class=h-bad data-v=0>\u2718 Not healthy" : "<td class=h-none data-v=1>\u2013 No verdict");
                html.Raw("<td>").Text(t.HighestVersion == TlsProtocolVersion.None ? "\u2013" : DetailHtml.Version(t.HighestVersion));
                if (t.WeakestRating is CipherRating rating)
                    html.Raw("<td class=r").Number((int)rating).Raw(" data-v=").Number((int)rating).Raw(">").Text(DetailHtml.RatingText(rating)).Raw(t.WeakestRatingFromScan ? "" : " <i>(negotiated)</i>");
                else html.Raw("<td class=r- data-v=9>not known");
                html.Raw("<td>");
                if (t.CertificateDaysToExpiry is int days)
                    html.Number(days).Raw(days < 0 ? " \u2718 expired" : days <= warning ? " \u26A0 soon" : "");
                else html.Raw("\u2013");
                html.Raw("<td data-v=").Number(worst * 10000 + t.Findings.Count).Raw(">");
                if (t.WorstSeverity.HasValue)
                {
                    Severity(html, t.WorstSeverity.Value);
                    html.Raw(" ").Number(t.Findings.Count);
                }
                else html.Raw("none");
                html.Raw("<td>").Text(string.Join(", ", t.Checks));
            }
            html.Raw("</tbody></table></section>\n");
        }

        private static void FindingTable(HtmlWriter html, ReportModel model)
        {
            html.Raw("<section aria-labelledby=\"h-findings\"><h2 id=\"h-findings\">Findings by id</h2>");
            if (model.FindingsById.Count == 0)
            {
                html.Raw("<p class=\"none\">No findings.</p></section>\n");
                return;
            }
            html.Raw("<table class=\"grid\"><thead><tr><th scope=\"col\">Finding</th><th scope=\"col\">Severity</th><th scope=\"col\">What it means</th><th scope=\"col\">Reference</th><th scope=\"col\" class=\"n\">Targets</th></tr></thead><tbody>");
            foreach (FindingSummary f in model.FindingsById)
            {
                html.Raw("<tr><th scope=\"row\" class=\"m\">").Text(f.Id, 300).Raw("</th><td>");
                Severity(html, f.Severity);
                html.Raw("</td><td>").Text(f.Title).Raw("</td><td>");
                Reference(html, f.Reference);
                html.Raw("</td><td class=\"n\">").Number(f.Targets).Raw("</td></tr>");
            }
            html.Raw("</tbody></table></section>\n");
        }

        private static void TargetDetail(HtmlWriter html, ReportTarget t, ReportContext context)
        {
            html.Raw("<section class=t id=").Raw(t.Anchor).Raw("><h3>").Text(t.DisplayName, 300).Raw(" <span class=cmd>").Text(t.Protocol)
                .Raw(t.ImplicitTls == true ? ", implicit TLS" : "").Raw("</span> ");
            Health(html, t.Healthy);
            html.Raw("</h3>");
            if (t.NotHealthyBecause.Count > 0) html.Raw("<p class=why>Not healthy: ").Text(string.Join("; ", t.NotHealthyBecause)).Raw("</p>");
            foreach (var (renderer, results) in t.Groups) renderer.RenderDetail(results, html, context);

            var findings = t.Findings;
            if (findings.Count == 0) html.Raw("<p class=none>No findings.</p>");
            else
            {
                html.Raw("<h4>Findings (").Number(findings.Count).Raw(")</h4><table class=\"grid findings\"><thead><tr><th scope=col>Severity<th scope=col>Finding<th scope=col>What was seen<th scope=col>Reference</thead><tbody>");
                foreach (Finding f in findings)
                {
                    html.Raw("<tr><td>");
                    Severity(html, f.Severity);
                    html.Raw("<td><b>").Text(f.Title).Raw("</b><br><span class=m>").Text(f.Id, 300).Raw("</span><td>").Text(f.Detail).Raw("<td>");
                    Reference(html, f.Reference);
                }
                html.Raw("</tbody></table>");
            }
            html.Raw("</section>\n");
        }

        private static void Health(HtmlWriter html, bool? healthy) => html.Raw(healthy == true ? "<span class=h-ok>\u2714 Healthy</span>"
            : healthy == false ? "<span class=h-bad>\u2718 Not healthy</span>" : "<span class=h-none>\u2013 No verdict</span>");

        private static void Severity(HtmlWriter html, FindingSeverity severity)
        {
            int rank = Math.Max(0, Math.Min(4, (int)severity));
            html.Raw("<span class=\"sev s").Number(rank).Raw("\">").Text(severity.ToString()).Raw("</span>");
        }

        /// <summary>A reference is text ("RFC 3207 section 4.2"); only a whole http(s) URL becomes a link.</summary>
        private static void Reference(HtmlWriter html, string? reference)
        {
            if (reference != null && Uri.TryCreate(reference, UriKind.Absolute, out Uri? uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
                && reference.IndexOfAny(new[] { ' ', '"', '\'', '<', '>', '`' }) < 0)
                html.Raw("<a rel=\"noreferrer\"").Attr("href", uri.AbsoluteUri).Raw(">").Text(reference).Raw("</a>");
            else html.Text(reference);
        }

        private static string Asset(string name)
        {
            using Stream stream = typeof(HtmlReport).Assembly.GetManifestResourceStream("StartTlsTools.Reporting." + name)
                ?? throw new InvalidOperationException("The report asset " + name + " is not embedded.");
            using var reader = new StreamReader(stream, Encoding.UTF8);
            string text = reader.ReadToEnd();
            if (text.IndexOf("</", StringComparison.Ordinal) >= 0 && (text.IndexOf("</script", StringComparison.OrdinalIgnoreCase) >= 0 || text.IndexOf("</style", StringComparison.OrdinalIgnoreCase) >= 0))
                throw new InvalidOperationException("The report asset " + name + " would close its own element.");
            return text;
        }

        private static string Sha256(string text)
        {
            using var sha = SHA256.Create();
            return "sha256-" + Convert.ToBase64String(sha.ComputeHash(Encoding.UTF8.GetBytes(text)));
        }
    }
}
