using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace StartTlsTools.MailDomain
{
    /// <summary>An MTA-STS policy mode (RFC 8461 section 5).</summary>
    public enum MtaStsMode
    {
        None = 0,
        Testing = 1,
        Enforce = 2,
    }

    /// <summary>
    /// A parsed MTA-STS policy (RFC 8461 section 3.2): "key: value" lines. Never throws: what is wrong is in
    /// <see cref="Problems"/>, and a policy with problems is not valid (senders treat it as no policy).
    /// </summary>
    public sealed class MtaStsPolicy
    {
        /// <summary>RFC 8461 section 3.2: max_age is at most 31557600 seconds (about a year).</summary>
        public const long MaxMaxAge = 31557600;
        /// <summary>The policy body is at most 64 KiB (RFC 8461 section 3.3).</summary>
        public const int MaxBytes = 64 * 1024;
        /// <summary>A policy needs a handful of lines; far more is a mistake or an attack, and only costs memory.</summary>
        public const int MaxMxPatterns = 1000;

        private MtaStsPolicy(string? version, MtaStsMode? mode, long? maxAge, IReadOnlyList<string> mx, IReadOnlyList<string> problems)
        {
            Version = version;
            Mode = mode;
            MaxAgeSeconds = maxAge;
            MxPatterns = mx;
            Problems = problems;
        }

        public string? Version { get; }
        public MtaStsMode? Mode { get; }
        public long? MaxAgeSeconds { get; }
        public IReadOnlyList<string> MxPatterns { get; }
        public IReadOnlyList<string> Problems { get; }
        public bool IsValid => Problems.Count == 0;

        public static MtaStsPolicy Parse(string text)
        {
            var problems = new List<string>();
            string? version = null, modeText = null, maxAgeText = null;
            var mx = new List<string>();
            if (text.Length > MaxBytes) problems.Add($"the policy is {text.Length} characters, over the 64 KiB limit");
            // CRLF is the standard line end; a bare LF is accepted as most senders do.
            string[] lines = text.Replace("\r\n", "\n").Split('\n');
            for (int i = 0; i < lines.Length; i++)
            {
                string line = lines[i];
                if (line.Trim().Length == 0) continue;
                int colon = line.IndexOf(':');
                string key = colon > 0 ? line.Substring(0, colon).Trim() : "";
                if (colon <= 0 || key.Length == 0 || !key.All(c => char.IsLetterOrDigit(c) && c < 128 || c == '_' || c == '-' || c == '.'))
                {
                    problems.Add($"line {i + 1} is not 'key: value'");
                    continue;
                }
                string value = line.Substring(colon + 1).Trim(' ', '\t', '\r');
                switch (key)
                {
                    // A field other than mx given twice: the first counts, as senders read it.
                    case "version": version ??= value; break;
                    case "mode": modeText ??= value; break;
                    case "max_age": maxAgeText ??= value; break;
                    case "mx":
                        if (mx.Count >= MaxMxPatterns) { if (mx.Count == MaxMxPatterns) problems.Add($"more than {MaxMxPatterns} mx lines"); break; }
                        mx.Add(value.TrimEnd('.').ToLowerInvariant());
                        string? patternProblem = CheckPattern(value);
                        if (patternProblem != null) problems.Add(patternProblem);
                        break;
                    default: break;   // unknown fields are ignored (RFC 8461 section 3.2)
                }
            }

            if (version == null) problems.Add("no version field");
            else if (version != "STSv1") problems.Add($"version '{Cut(version)}' is not STSv1");

            MtaStsMode? mode = null;
            if (modeText == null) problems.Add("no mode field");
            else if (modeText == "enforce") mode = MtaStsMode.Enforce;
            else if (modeText == "testing") mode = MtaStsMode.Testing;
            else if (modeText == "none") mode = MtaStsMode.None;
            else problems.Add($"mode '{Cut(modeText)}' is not enforce, testing or none");

            long? maxAge = null;
            if (maxAgeText == null) problems.Add("no max_age field");
            else if (maxAgeText.Length == 0 || maxAgeText.Length > 10 || !maxAgeText.All(c => c >= '0' && c <= '9'))
                problems.Add($"max_age '{Cut(maxAgeText)}' is not 1 to 10 digits");
            else
            {
                long value = long.Parse(maxAgeText, CultureInfo.InvariantCulture);
                if (value > MaxMaxAge) problems.Add($"max_age {value} is over the maximum of {MaxMaxAge} seconds");
                else maxAge = value;
            }
            if (mx.Count == 0 && mode != MtaStsMode.None) problems.Add("no mx field (required unless mode is none)");

            return new MtaStsPolicy(version, mode, maxAge, mx, problems);
        }

        /// <summary>
        /// RFC 8461 section 4.1: an MX host matches a pattern exactly, or a "*." pattern by replacing its leftmost
        /// label only ("*.example.com" matches "mx.example.com", not "a.mx.example.com" nor "example.com").
        /// </summary>
        public static bool MxMatches(string pattern, string mxHost)
        {
            string p = pattern.Trim().TrimEnd('.').ToLowerInvariant();
            string h = mxHost.Trim().TrimEnd('.').ToLowerInvariant();
            if (p.Length == 0 || h.Length == 0) return false;
            if (p.StartsWith("*.", StringComparison.Ordinal))
            {
                int dot = h.IndexOf('.');
                return dot > 0 && string.Equals(h.Substring(dot + 1), p.Substring(2), StringComparison.Ordinal);
            }
            return string.Equals(p, h, StringComparison.Ordinal);
        }

        /// <summary>The first pattern that covers the host, or null.</summary>
        public string? PatternFor(string mxHost) => MxPatterns.FirstOrDefault(p => MxMatches(p, mxHost));

        private static string? CheckPattern(string value)
        {
            string name = value.Trim().TrimEnd('.');
            if (name.StartsWith("*.", StringComparison.Ordinal)) name = name.Substring(2);
            if (name.IndexOf('*') >= 0) return $"mx pattern '{Cut(value)}' has a wildcard that is not the whole leftmost label";
            return HostNameRules.Check(name) == null && name.IndexOf('.') > 0 ? null : $"mx pattern '{Cut(value)}' is not a domain name";
        }

        private static string Cut(string value) => value.Length > 40 ? value.Substring(0, 40) + "..." : value;
    }
}
