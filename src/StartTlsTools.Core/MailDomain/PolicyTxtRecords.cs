using System;
using System.Collections.Generic;
using System.Linq;

namespace StartTlsTools.MailDomain
{
    /// <summary>The _mta-sts TXT record (RFC 8461 section 3.1): "v=STSv1; id=...".</summary>
    public sealed class MtaStsTxtRecord
    {
        private MtaStsTxtRecord(string? id, string? problem, string? text)
        {
            Id = id;
            Problem = problem;
            Text = text;
        }

        public string? Id { get; }
        /// <summary>Null when valid; else why senders ignore the record.</summary>
        public string? Problem { get; }
        /// <summary>The one STSv1 record's text, when there is exactly one.</summary>
        public string? Text { get; }
        public bool IsValid => Problem == null;

        /// <summary>
        /// From all TXT strings at _mta-sts.&lt;domain&gt;: records not starting with "v=STSv1" are discarded, and
        /// exactly one must remain and be well formed. Null when no STSv1 record is there at all.
        /// </summary>
        public static MtaStsTxtRecord? Parse(IReadOnlyList<string> txtRecords)
        {
            var candidates = txtRecords.Where(t => t.StartsWith("v=STSv1", StringComparison.Ordinal)).ToList();
            if (candidates.Count == 0) return null;
            if (candidates.Count > 1) return new MtaStsTxtRecord(null, $"{candidates.Count} v=STSv1 TXT records; exactly one is allowed (RFC 8461 section 3.1)", null);
            string text = candidates[0];
            var fields = TxtFields.Split(text);
            if (fields == null || fields.Count == 0 || fields[0].Key != "v" || fields[0].Value != "STSv1")
                return new MtaStsTxtRecord(null, "the record is not 'v=STSv1; id=...' (RFC 8461 section 3.1)", text);
            string? id = fields.FirstOrDefault(f => f.Key == "id").Value;
            if (id == null) return new MtaStsTxtRecord(null, "the record has no id field", text);
            if (id.Length == 0 || id.Length > 32 || !id.All(c => c < 128 && char.IsLetterOrDigit(c)))
                return new MtaStsTxtRecord(null, "the id is not 1 to 32 letters and digits", text);
            return new MtaStsTxtRecord(id, null, text);
        }
    }

    /// <summary>The _smtp._tls TXT record (RFC 8460 section 3): "v=TLSRPTv1; rua=mailto:...,https://...".</summary>
    public sealed class TlsRptRecord
    {
        private TlsRptRecord(IReadOnlyList<string> rua, string? problem, string? text)
        {
            ReportingUris = rua;
            Problem = problem;
            Text = text;
        }

        public IReadOnlyList<string> ReportingUris { get; }
        public string? Problem { get; }
        public string? Text { get; }
        public bool IsValid => Problem == null;

        /// <summary>Null when no TLSRPTv1 record is there at all.</summary>
        public static TlsRptRecord? Parse(IReadOnlyList<string> txtRecords)
        {
            var candidates = txtRecords.Where(t => t.StartsWith("v=TLSRPTv1", StringComparison.Ordinal)).ToList();
            if (candidates.Count == 0) return null;
            if (candidates.Count > 1) return new TlsRptRecord(new string[0], $"{candidates.Count} v=TLSRPTv1 TXT records; exactly one is allowed (RFC 8460 section 3)", null);
            string text = candidates[0];
            var fields = TxtFields.Split(text);
            if (fields == null || fields.Count == 0 || fields[0].Key != "v" || fields[0].Value != "TLSRPTv1")
                return new TlsRptRecord(new string[0], "the record is not 'v=TLSRPTv1; rua=...' (RFC 8460 section 3)", text);
            string? rua = fields.FirstOrDefault(f => f.Key == "rua").Value;
            if (rua == null) return new TlsRptRecord(new string[0], "the record has no rua field", text);
            var uris = rua.Split(',').Select(u => u.Trim()).ToList();
            var bad = uris.Where(u => !IsReportingUri(u)).ToList();
            if (uris.Count == 0 || bad.Count > 0)
                return new TlsRptRecord(uris, $"rua has {(bad.Count == 0 ? "no URI" : "URI(s) that are not mailto: or https: addresses: " + string.Join(", ", bad))} (RFC 8460 section 3)", text);
            return new TlsRptRecord(uris, null, text);
        }

        /// <summary>mailto: with an address, or an absolute https: URI with a host.</summary>
        public static bool IsReportingUri(string uri)
        {
            if (uri.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase))
            {
                string address = uri.Substring(7);
                int bang = address.IndexOf('!');   // RFC 8460 allows a size limit suffix: mailto:a@b!10m
                if (bang >= 0) address = address.Substring(0, bang);
                int at = address.IndexOf('@');
                return at > 0 && at < address.Length - 1 && address.IndexOf(' ') < 0;
            }
            return uri.StartsWith("https:", StringComparison.OrdinalIgnoreCase) &&
                   Uri.TryCreate(uri, UriKind.Absolute, out Uri? parsed) && parsed != null && parsed.Host.Length > 0;
        }
    }

    /// <summary>"k=v; k=v" as MTA-STS and TLS-RPT records write it (RFC 8461 section 3.1, RFC 8460 section 3).</summary>
    internal static class TxtFields
    {
        /// <summary>Null when a non-empty part has no '='.</summary>
        public static List<KeyValuePair<string, string>>? Split(string text)
        {
            var fields = new List<KeyValuePair<string, string>>();
            foreach (string part in text.Split(';'))
            {
                string trimmed = part.Trim(' ', '\t');
                if (trimmed.Length == 0) continue;
                int eq = trimmed.IndexOf('=');
                if (eq <= 0) return null;
                fields.Add(new KeyValuePair<string, string>(trimmed.Substring(0, eq).Trim(), trimmed.Substring(eq + 1).Trim()));
            }
            return fields;
        }
    }
}
