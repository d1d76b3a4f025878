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

        // Size matters (a 1,000-target report must stay under 2 MB), so the detail markup is terse: constant attribute
        // values are unquoted and the optional end tags of dt, dd, tr, td and th are left out, all valid HTML5.

        /// <summary>A sub-heading with the command (and where useful the time) that produced what follows.</summary>
        public static void Heading(HtmlWriter html, string title, string? command = null)
        {
            html.Raw("<h4>").Text(title);
            if (command != null) html.Raw(" <span class=cmd>").Text(command).Raw("</span>");
            html.Raw("</h4>");
        }

        public static void Open(HtmlWriter html) => html.Raw("<dl class=kv>");
        public static void Close(HtmlWriter html) => html.Raw("</dl>");

        /// <summary>A label and a value; nothing when the value is empty. Mono for server text (banners, names, lists).</summary>
        public static void Field(HtmlWriter html, string label, string? value, bool mono = false)
        {
            if (string.IsNullOrEmpty(value)) return;
            html.Raw("<dt>").Text(label).Raw(mono ? "<dd class=m>" : "<dd>").Text(value);
        }

        /// <summary>Starts a field whose value the caller writes (mixed text and markup).</summary>
        public static void FieldStart(HtmlWriter html, string label) => html.Raw("<dt>").Text(label).Raw("<dd>");

        /// <summary>Server text inside a mixed value.</summary>
        public static void Mono(HtmlWriter html, string? value) => html.Raw("<span class=m>").Text(value).Raw("</span>");

        public static void Field(HtmlWriter html, string label, bool? value) => Field(html, label, value.HasValue ? YesNo(value.Value) : null);

        public static void Field(HtmlWriter html, string label, long? value) =>
            Field(html, label, value.HasValue ? value.Value.ToString(CultureInfo.InvariantCulture) : null);

        /// <summary>A list field from a result: a TextList (or any string list) item by item, or a "; "-joined string as it is.</summary>
        public static void Items(HtmlWriter html, string label, object? value)
        {
            html.Raw("<dt>").Text(label);
            if (value is IEnumerable<string> list && !(value is string))
            {
                html.Raw("<dd><ul class=caps>");
                foreach (string item in list) html.Raw("<li>").Text(item);
                html.Raw("</ul>");
            }
            else if (value != null && !string.IsNullOrEmpty(value.ToString())) html.Raw("<dd class=m>").Text(value.ToString());
            else html.Raw("<dd class=none>none");
        }

        /// <summary>"; "-joined text of a string or a string list (for one-line fields).</summary>
        public static string? Joined(object? value) =>
            value is IEnumerable<string> list && !(value is string) ? string.Join(TextList.Separator, list) : value?.ToString();

        public static void Transcript(HtmlWriter html, string? transcript)
        {
            if (string.IsNullOrEmpty(transcript)) return;
            html.Raw("<details class=tx><summary>Transcript</summary><pre>").Text(transcript, TranscriptMaxLength).Raw("</pre></details>");
        }

        /// <summary>"valid, name matches" or "not valid: why".</summary>
        public static string Validity(bool? valid, string? error) =>
            valid == true ? "yes" : "no" + (string.IsNullOrEmpty(error) ? "" : ": " + error);

        /// <summary>"2026-10-02 to 2026-12-31, 30 days left" (or "expired 3 days ago").</summary>
        public static string? Period(DateTime? notBefore, DateTime? notAfter, int? daysToExpiry)
        {
            if (!notAfter.HasValue) return null;
            string range = (notBefore.HasValue ? Day(notBefore.Value) + " to " : "until ") + Day(notAfter.Value);
            return !daysToExpiry.HasValue ? range
                : daysToExpiry.Value < 0 ? range + ", expired " + (-daysToExpiry.Value) + " days ago"
                : range + ", " + daysToExpiry.Value + " days left";
        }

        private static string Day(DateTime value) => value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        public static string YesNo(bool value) => value ? "Yes" : "No";

        public static string? Ms(double? value) => value.HasValue ? value.Value.ToString("0.0", CultureInfo.InvariantCulture) + " ms" : null;

        public static string Timings(params (string Name, double? Ms)[] timings) =>
            string.Join(", ", timings.Where(t => t.Ms.HasValue).Select(t => t.Name + " " + Ms(t.Ms)));

        public static string When(DateTimeOffset value) => value.ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture);

        /// <summary>"Test-StartTls, 2026-12-01 11:55 +00:00, 192.0.2.25": which command, when, and the address it reached.</summary>
        public static string Source(string command, DateTimeOffset startedAt, string? address) =>
            command + ", " + startedAt.ToString("yyyy-MM-dd HH:mm zzz", CultureInfo.InvariantCulture) + (string.IsNullOrEmpty(address) ? "" : ", " + address);

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
            if (!rating.HasValue) { html.Raw("<span class=r->not known</span>"); return; }
            html.Raw("<span class=r").Number((int)rating.Value).Raw(">").Text(RatingText(rating.Value)).Raw("</span>");
        }

        public static string RatingText(CipherRating rating) => rating.ToString();
    }
}
