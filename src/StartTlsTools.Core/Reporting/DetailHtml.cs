using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using StartTlsTools.Probing;

namespace StartTlsTools.Reporting
{
    /// <summary>The building blocks of a target's detail section, shared by the renderers so every section reads alike.</summary>
    internal static class DetailHtml
    {
        /// <summary>Transcripts are kept longer than other values: they are the evidence.</summary>
        public const int TranscriptMaxLength = 65536;

        public static void Heading(HtmlWriter html, string title, string command) =>
            html.Raw("<h4>").Text(title).Raw(" <span class=\"cmd\">").Text(command).Raw("</span></h4>");

        public static void Open(HtmlWriter html) => html.Raw("<dl class=\"kv\">");
        public static void Close(HtmlWriter html) => html.Raw("</dl>");

        /// <summary>A label and a value; nothing when the value is empty. Mono for server text (banners, names, lists).</summary>
        public static void Field(HtmlWriter html, string label, string? value, bool mono = false)
        {
            if (string.IsNullOrEmpty(value)) return;
            html.Raw("<dt>").Text(label).Raw(mono ? "</dt><dd class=\"m\">" : "</dt><dd>").Text(value).Raw("</dd>");
        }

        public static void Field(HtmlWriter html, string label, bool? value) => Field(html, label, value.HasValue ? YesNo(value.Value) : null);

        public static void Field(HtmlWriter html, string label, long? value) =>
            Field(html, label, value.HasValue ? value.Value.ToString(CultureInfo.InvariantCulture) : null);

        /// <summary>A list from a result: a TextList (or any string list) item by item, or a "; "-joined string as it is.</summary>
        public static void Items(HtmlWriter html, object? value)
        {
            if (value is IEnumerable<string> list && !(value is string))
            {
                html.Raw("<ul class=\"caps\">");
                foreach (string item in list) html.Raw("<li>").Text(item).Raw("</li>");
                html.Raw("</ul>");
            }
            else if (value != null && !string.IsNullOrEmpty(value.ToString())) html.Raw("<p class=\"m\">").Text(value.ToString()).Raw("</p>");
            else html.Raw("<p class=\"none\">none</p>");
        }

        /// <summary>"; "-joined text of a string or a string list (for one-line fields).</summary>
        public static string? Joined(object? value) =>
            value is IEnumerable<string> list && !(value is string) ? string.Join(TextList.Separator, list) : value?.ToString();

        public static void Transcript(HtmlWriter html, string? transcript)
        {
            if (string.IsNullOrEmpty(transcript)) return;
            html.Raw("<details class=\"tx\"><summary>Transcript</summary><pre>").Text(transcript, TranscriptMaxLength).Raw("</pre></details>");
        }

        /// <summary>Both capability lists side by side.</summary>
        public static void BeforeAfter(HtmlWriter html, string beforeLabel, object? before, string afterLabel, object? after)
        {
            html.Raw("<div class=\"ba\"><div><h5>").Text(beforeLabel).Raw("</h5>");
            Items(html, before);
            html.Raw("</div><div><h5>").Text(afterLabel).Raw("</h5>");
            Items(html, after);
            html.Raw("</div></div>");
        }

        public static string YesNo(bool value) => value ? "Yes" : "No";

        public static string? Ms(double? value) => value.HasValue ? value.Value.ToString("0.0", CultureInfo.InvariantCulture) + " ms" : null;

        public static string Timings(params (string Name, double? Ms)[] timings) =>
            string.Join(", ", timings.Where(t => t.Ms.HasValue).Select(t => t.Name + " " + Ms(t.Ms)));

        public static string When(DateTimeOffset value) => value.ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture);

        public static string? Date(DateTime? value) => value?.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + (value?.Kind == DateTimeKind.Utc ? " UTC" : "");

        public static string Version(TlsProtocolVersion version) => version == TlsProtocolVersion.None ? "" : TlsConstants.Name(version);

        /// <summary>"TLSv1.2" back to the enum (the capability results' own labels, not server text).</summary>
        public static TlsProtocolVersion ParseVersion(string? label)
        {
            foreach (TlsProtocolVersion version in Enum.GetValues(typeof(TlsProtocolVersion)))
                if (version != TlsProtocolVersion.None && string.Equals(TlsConstants.Name(version), label?.Trim(), StringComparison.OrdinalIgnoreCase)) return version;
            return TlsProtocolVersion.None;
        }

        /// <summary>How the IANA registry rates a negotiated suite, as Get-TlsCapability would; null for names it does not know.</summary>
        public static CipherRating? RatingOf(string? ianaName) => RegistryCipherSuiteClassifier.Find(ianaName)?.Rating;

        /// <summary>Rating as a word with its class: colour is never the only signal.</summary>
        public static void Rating(HtmlWriter html, CipherRating? rating)
        {
            if (!rating.HasValue) { html.Raw("<span class=\"r-\">not known</span>"); return; }
            html.Raw("<span class=\"r").Number((int)rating.Value).Raw("\">").Text(RatingText(rating.Value)).Raw("</span>");
        }

        public static string RatingText(CipherRating rating) => rating.ToString();
    }
}
