using System;
using System.Collections.Generic;
using System.Linq;

namespace StartTlsTools.Reporting
{
    /// <summary>One bar: its value, a CSS class for its colour, and whether it is hatched (so colour is not the only signal).</summary>
    internal readonly struct Bar
    {
        public Bar(int value, string cssClass, bool hatched = false, string? note = null)
        {
            Value = value;
            CssClass = cssClass;
            Hatched = hatched;
            Note = note;
        }

        public int Value { get; }
        /// <summary>Text after the value, e.g. the severity: the meaning of the colour, in words.</summary>
        public string? Note { get; }
        public string CssClass { get; }
        public bool Hatched { get; }
    }

    /// <summary>A labelled row of one or more bars (one per series).</summary>
    internal sealed class BarGroup
    {
        public BarGroup(string label, params Bar[] bars)
        {
            Label = label;
            Bars = bars;
        }

        public string Label { get; }
        public IReadOnlyList<Bar> Bars { get; }
    }

    /// <summary>
    /// The report's own small inline SVG charts: horizontal bars and a certificate expiry timeline. Every value is
    /// also written as text (bar ends, tooltips, the data tables beside the charts); patterns back up the colours.
    /// </summary>
    internal static class SvgCharts
    {
        private const int Width = 600;
        private const int LabelRight = 196;
        private const int BarLeft = 202;
        private const int BarMaxWidth = 290;
        private const int BarHeight = 14;
        private const int MaxLabelChars = 32;

        public static void HorizontalBars(HtmlWriter html, string id, string title, IReadOnlyList<BarGroup> groups,
            IReadOnlyList<(string Name, string CssClass, bool Hatched)>? legend = null)
        {
            int legendHeight = legend == null ? 0 : 22;
            int groupHeight = groups.Select(g => g.Bars.Count).DefaultIfEmpty(1).Max() * (BarHeight + 2) + 8;
            int height = Math.Max(40, legendHeight + groups.Count * groupHeight + 8);
            Open(html, id, title, height);
            int max = groups.SelectMany(g => g.Bars).Select(b => b.Value).DefaultIfEmpty(0).Max();
            if (max == 0) Empty(html, height);

            if (legend != null)
            {
                int x = BarLeft;
                foreach (var (name, cssClass, hatched) in legend)
                {
                    Swatch(html, id, x, 4, 12, cssClass, hatched);
                    html.Raw("<text x=\"").Number(x + 16).Raw("\" y=\"14\">").Text(name).Raw("</text>");
                    x += 24 + name.Length * 7;
                }
            }

            int y = legendHeight + 4;
            foreach (BarGroup group in groups)
            {
                int labelY = y + group.Bars.Count * (BarHeight + 2) / 2 + 4;
                html.Raw("<g>");
                if (group.Label.Length > MaxLabelChars) html.Raw("<title>").Text(group.Label).Raw("</title>");
                html.Raw("<text x=\"").Number(LabelRight).Raw("\" y=\"").Number(labelY).Raw("\" text-anchor=\"end\">")
                    .Text(group.Label.Length > MaxLabelChars ? group.Label.Substring(0, MaxLabelChars - 1) + "\u2026" : group.Label).Raw("</text>");
                int barY = y;
                foreach (Bar bar in group.Bars)
                {
                    double width = max == 0 ? 0 : Math.Max(bar.Value > 0 ? 2 : 0, bar.Value * (double)BarMaxWidth / max);
                    if (width > 0) Swatch(html, id, BarLeft, barY, width, bar.CssClass, bar.Hatched, BarHeight);
                    html.Raw("<text class=\"v\" x=\"").Number(BarLeft + (int)Math.Ceiling(width) + 4).Raw("\" y=\"").Number(barY + BarHeight - 3).Raw("\">")
                        .Number(bar.Value).Raw(bar.Note == null ? "" : " \u00B7 ").Text(bar.Note).Raw("</text>");
                    barY += BarHeight + 2;
                }
                html.Raw("</g>");
                y += groupHeight;
            }
            html.Raw("</svg>");
        }

        /// <summary>
        /// Days to expiry on a horizontal axis: one marker per certificate (a cross when expired, a triangle inside the
        /// warning threshold, a circle after it), stacked where they coincide; the expired and warning ranges are
        /// shaded with different patterns and the threshold is a labelled dashed line.
        /// </summary>
        public static void ExpiryTimeline(HtmlWriter html, string id, string title, IReadOnlyList<(string Label, int Days)> points, int warningDays)
        {
            const int height = 178, left = 44, right = 584, baseline = 136, step = 7, maxRows = 15;
            Open(html, id, title, height);
            if (points.Count == 0)
            {
                Empty(html, height);
                html.Raw("</svg>");
                return;
            }

            int lo = Math.Max(-360, Math.Min(-30, points.Min(p => p.Days)));
            int hi = Math.Min(730, Math.Max(Math.Max(90, warningDays * 2), points.Max(p => p.Days)));
            int tick = new[] { 30, 60, 90, 180 }.First(t => (hi - lo) / t <= 8 || t == 180);
            lo = (int)Math.Floor(lo / (double)tick) * tick;
            hi = (int)Math.Ceiling(hi / (double)tick) * tick;
            Func<int, double> x = days => left + (Math.Max(lo, Math.Min(hi, days)) - lo) * (right - left) / (double)(hi - lo);

            // Ranges: expired (hatched) and inside the threshold (dotted).
            html.Raw("<rect class=\"bx\" x=\"").Number(left).Raw("\" y=\"24\" width=\"").Attr0(x(0) - left).Raw("\" height=\"").Number(baseline - 24).Raw("\" fill=\"url(#").Raw(id).Raw("-h)\"/>");
            if (warningDays > 0)
                html.Raw("<rect class=\"bw\" x=\"").Attr0(x(0)).Raw("\" y=\"24\" width=\"").Attr0(x(warningDays) - x(0)).Raw("\" height=\"").Number(baseline - 24).Raw("\" fill=\"url(#").Raw(id).Raw("-d)\"/>");
            html.Raw("<text x=\"").Number(left + 2).Raw("\" y=\"18\">expired</text>");
            if (warningDays > 0)
                html.Raw("<line class=\"thr\" x1=\"").Attr0(x(warningDays)).Raw("\" x2=\"").Attr0(x(warningDays)).Raw("\" y1=\"8\" y2=\"").Number(baseline).Raw("\"/>")
                    .Raw("<text x=\"").Attr0(x(warningDays) + 4).Raw("\" y=\"18\">warning: ").Number(warningDays).Raw(" days</text>");
            html.Raw("<line class=\"ax\" x1=\"").Number(left).Raw("\" x2=\"").Number(right).Raw("\" y1=\"").Number(baseline).Raw("\" y2=\"").Number(baseline).Raw("\"/>");
            html.Raw("<line class=\"ax\" x1=\"").Attr0(x(0)).Raw("\" x2=\"").Attr0(x(0)).Raw("\" y1=\"24\" y2=\"").Number(baseline + 4).Raw("\"/>");
            for (int t = lo; t <= hi; t += tick)
                html.Raw("<text class=\"tk\" x=\"").Attr0(x(t)).Raw("\" y=\"").Number(baseline + 16).Raw("\" text-anchor=\"middle\">").Number(t).Raw(t == 0 ? " today" : "").Raw("</text>");
            html.Raw("<text class=\"tk\" x=\"").Number((left + right) / 2).Raw("\" y=\"").Number(baseline + 34).Raw("\" text-anchor=\"middle\">days to expiry</text>");

            var stacks = new Dictionary<int, int>();
            foreach (var (label, days) in points.OrderBy(p => p.Days))
            {
                int column = (int)Math.Round((x(days) - left) / step);
                stacks.TryGetValue(column, out int row);
                stacks[column] = row + 1;
                if (row >= maxRows) continue;
                double cx = left + column * step, cy = baseline - 5 - row * step;
                string tip = label + ": " + days + (days < 0 ? " days (expired)" : " days");
                // One per target, so terse: unquoted numbers are valid in HTML.
                if (days < 0)
                    html.Raw("<path class=mx d=\"M").Attr0(cx - 3).Raw(" ").Attr0(cy - 3).Raw("l6 6m0-6l-6 6\"><title>").Text(tip).Raw("</title></path>");
                else if (days <= warningDays)
                    html.Raw("<path class=mw d=\"M").Attr0(cx).Raw(" ").Attr0(cy - 3.5).Raw("l3.5 6.5h-7z\"><title>").Text(tip).Raw("</title></path>");
                else
                    html.Raw("<circle class=mo cx=").Attr0(cx).Raw(" cy=").Attr0(cy).Raw(" r=3><title>").Text(tip).Raw("</title></circle>");
            }
            foreach (var stack in stacks.Where(s => s.Value > maxRows))
                html.Raw("<text class=\"tk\" x=\"").Attr0(left + stack.Key * step).Raw("\" y=\"").Number(baseline - 5 - maxRows * step).Raw("\" text-anchor=\"middle\">+")
                    .Number(stack.Value - maxRows).Raw("</text>");
            html.Raw("</svg>");
        }

        private static void Open(HtmlWriter html, string id, string title, int height)
        {
            html.Raw("<svg class=\"chart\" viewBox=\"0 0 ").Number(Width).Raw(" ").Number(height).Raw("\" role=\"img\" aria-labelledby=\"").Raw(id).Raw("-t\"><title id=\"")
                .Raw(id).Raw("-t\">").Text(title).Raw("</title><defs><pattern id=\"").Raw(id)
                .Raw("-h\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\"><rect class=\"pt\" width=\"2\" height=\"6\"/></pattern><pattern id=\"")
                .Raw(id).Raw("-d\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\"><circle class=\"pt\" cx=\"3\" cy=\"3\" r=\"1\"/></pattern></defs>");
        }

        private static void Empty(HtmlWriter html, int height) =>
            html.Raw("<text x=\"").Number(Width / 2).Raw("\" y=\"").Number(height / 2).Raw("\" text-anchor=\"middle\">No data</text>");

        private static void Swatch(HtmlWriter html, string id, double x, double y, double width, string cssClass, bool hatched, int height = 12)
        {
            html.Raw("<rect class=\"").Raw(cssClass).Raw("\" x=\"").Attr0(x).Raw("\" y=\"").Attr0(y).Raw("\" width=\"").Attr0(width).Raw("\" height=\"").Number(height).Raw("\"/>");
            if (hatched)
                html.Raw("<rect x=\"").Attr0(x).Raw("\" y=\"").Attr0(y).Raw("\" width=\"").Attr0(width).Raw("\" height=\"").Number(height).Raw("\" fill=\"url(#").Raw(id).Raw("-h)\"/>");
        }

        /// <summary>A coordinate, one decimal at most, invariant culture.</summary>
        private static HtmlWriter Attr0(this HtmlWriter html, double value) =>
            html.Raw(Math.Round(value, 1).ToString("0.#", System.Globalization.CultureInfo.InvariantCulture));
    }
}
