using System;
using System.Text.RegularExpressions;

namespace StartTlsTools
{
    /// <summary>
    /// What a plaintext greeting gives away, read heuristically: the server's host name and the software's
    /// name and version. "mail.lab.test ESMTP Postfix (Debian/GNU)", "OK [CAPABILITY ...] Dovecot ready.",
    /// "ESMTP Exim 4.96", "(vsFTPd 3.0.3)", "InterNetNews NNRP server INN 2.6.4 ready". Unknown stays null.
    /// </summary>
    public sealed class BannerInfo
    {
        private static readonly string[] KnownSoftware =
        {
            "Postfix", "Exim", "Sendmail", "Microsoft ESMTP MAIL Service", "Dovecot", "Courier", "Cyrus", "UW IMAP",
            "Zimbra", "Haraka", "OpenSMTPD", "qmail", "MDaemon", "hMailServer", "Kerio", "IceWarp", "Axigen",
            "ProFTPD", "vsFTPd", "Pure-FTPd", "FileZilla Server", "Serv-U", "INN", "InterNetNews", "Prosody", "ejabberd",
            "Openfire", "OpenLDAP",
        };

        // One alternation, built once.
        private static readonly Regex KnownSoftwarePattern = new Regex(
            @"(?<![\w-])(?<name>" + string.Join("|", Array.ConvertAll(KnownSoftware, Regex.Escape)) + @")(?![\w-])(?:[ /]v?(?<version>\d+(?:\.\d+)+[A-Za-z0-9.+~-]*))?",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
        /// <summary>Greetings are one line or a few; more is not a banner worth reading.</summary>
        private const int MaxBannerChars = 1024;

        // A product name followed by a version: "Exim 4.96", "INN 2.6.4", "Sendmail 8.15.2/8.15.2", "ProFTPD 1.3.8".
        private static readonly Regex NameAndVersion = new Regex(
            @"(?<![\w.-])(?<name>[A-Za-z][A-Za-z0-9_-]{1,30})[ /]v?(?<version>\d+(?:\.\d+)+[A-Za-z0-9.+~-]*)",
            RegexOptions.CultureInvariant);
        private static readonly Regex Bracketed = new Regex(@"\[[^\]]*\]", RegexOptions.CultureInvariant);

        public string? HostName { get; private set; }
        public string? SoftwareName { get; private set; }
        public string? SoftwareVersion { get; private set; }

        public static BannerInfo Parse(string? banner)
        {
            var info = new BannerInfo();
            if (string.IsNullOrWhiteSpace(banner)) return info;
            // IMAP greetings carry "[CAPABILITY ...]": capability names are not host or product names.
            string text = Bracketed.Replace(banner!.Length > MaxBannerChars ? banner.Substring(0, MaxBannerChars) : banner, " ");
            if (text.StartsWith("OK ", StringComparison.OrdinalIgnoreCase) || text.StartsWith("+OK ", StringComparison.OrdinalIgnoreCase) || text.StartsWith("* OK ", StringComparison.OrdinalIgnoreCase))
                text = text.Substring(text.IndexOf("OK ", StringComparison.OrdinalIgnoreCase) + 3);

            foreach (string token in text.Split(new[] { ' ', '\t', '(', ')', ',', ';', '<', '>' }, StringSplitOptions.RemoveEmptyEntries))
            {
                string candidate = token.TrimEnd('.', ':');
                if (LooksLikeHostName(candidate))
                {
                    info.HostName = candidate;
                    break;
                }
            }

            // The first product named with a version, else the first named at all.
            Match? known = null;
            foreach (Match candidate in KnownSoftwarePattern.Matches(text))
            {
                if (known == null) known = candidate;
                if (candidate.Groups["version"].Success) { known = candidate; break; }
            }
            if (known != null)
            {
                string name = known.Groups["name"].Value;
                info.SoftwareName = Array.Find(KnownSoftware, k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase)) ?? name;
                if (known.Groups["version"].Success) info.SoftwareVersion = known.Groups["version"].Value.TrimEnd('.');
            }
            if (info.SoftwareVersion == null)
            {
                foreach (Match match in NameAndVersion.Matches(text))
                {
                    string name = match.Groups["name"].Value;
                    if (info.SoftwareName != null && !string.Equals(name, info.SoftwareName, StringComparison.OrdinalIgnoreCase)) continue;
                    if (string.Equals(name, "ESMTP", StringComparison.OrdinalIgnoreCase) || string.Equals(name, "SMTP", StringComparison.OrdinalIgnoreCase)) continue;
                    info.SoftwareName = info.SoftwareName ?? name;
                    info.SoftwareVersion = match.Groups["version"].Value.TrimEnd('.');
                    break;
                }
            }
            return info;
        }

        /// <summary>A DNS name with at least two labels and a letter in the last one (so not a version or an address).</summary>
        private static bool LooksLikeHostName(string token)
        {
            if (token.Length > 253 || token.IndexOf('.') <= 0 || token.EndsWith(".", StringComparison.Ordinal)) return false;
            string[] labels = token.Split('.');
            foreach (string label in labels)
            {
                if (label.Length == 0 || label.Length > 63 || label[0] == '-' || label[label.Length - 1] == '-') return false;
                foreach (char c in label)
                    if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-')) return false;
            }
            string last = labels[labels.Length - 1];
            foreach (char c in last)
                if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') return last.Length >= 2;
            return false;
        }
    }
}
