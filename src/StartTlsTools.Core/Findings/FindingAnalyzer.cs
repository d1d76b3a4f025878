using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;

namespace StartTlsTools
{
    /// <summary>
    /// Computes findings from a finished result alone, so they can also be recomputed from saved JSON. Generic
    /// over protocols: capabilities are read by keyword (STARTTLS/STLS, AUTH, AUTH=, SASL, AUTHINFO, USER,
    /// LOGINDISABLED), with per-protocol rules only where a protocol defines its own (IMAP LOGIN, POP3 USER).
    /// A protocol the analyzer has never heard of still gets every certificate, TLS and capability check.
    /// </summary>
    public static class FindingAnalyzer
    {
        // Ids: stable, PascalCase; scripts match on them. Never rename one that has shipped.
        public const string StartTlsNotOffered = "StartTlsNotOffered";
        public const string StartTlsRefused = "StartTlsRefused";
        public const string AuthBeforeTls = "AuthBeforeTls";
        public const string PlaintextLoginBeforeTls = "PlaintextLoginBeforeTls";
        public const string StartTlsAdvertisedAfterTls = "StartTlsAdvertisedAfterTls";
        public const string CapabilitiesRemovedAfterTls = "CapabilitiesRemovedAfterTls";
        public const string CapabilitiesAddedAfterTls = "CapabilitiesAddedAfterTls";
        public const string CertificateExpired = "CertificateExpired";
        public const string CertificateNotYetValid = "CertificateNotYetValid";
        public const string CertificateExpiringSoon = "CertificateExpiringSoon";
        public const string CertificateNameMismatch = "CertificateNameMismatch";
        public const string CertificateSelfSigned = "CertificateSelfSigned";
        public const string CertificateUntrusted = "CertificateUntrusted";
        public const string CertificateChainIncomplete = "CertificateChainIncomplete";
        public const string CertificateChainInvalid = "CertificateChainInvalid";
        public const string CertificateWeakKey = "CertificateWeakKey";
        public const string CertificateWeakSignature = "CertificateWeakSignature";
        public const string TlsVersionBelow12 = "TlsVersionBelow12";
        public const string CipherSuiteInsecure = "CipherSuiteInsecure";
        public const string CipherSuiteWeak = "CipherSuiteWeak";

        /// <summary>Every id this analyzer can produce, for documentation and tests.</summary>
        public static readonly IReadOnlyList<string> AllIds = new[]
        {
            StartTlsNotOffered, StartTlsRefused, AuthBeforeTls, PlaintextLoginBeforeTls, StartTlsAdvertisedAfterTls,
            CapabilitiesRemovedAfterTls, CapabilitiesAddedAfterTls, CertificateExpired, CertificateNotYetValid,
            CertificateExpiringSoon, CertificateNameMismatch, CertificateSelfSigned, CertificateUntrusted,
            CertificateChainIncomplete, CertificateChainInvalid, CertificateWeakKey, CertificateWeakSignature,
            TlsVersionBelow12, CipherSuiteInsecure, CipherSuiteWeak,
        };

        public const int MinimumRsaKeyBits = 2048;

        /// <summary>The findings for a result, most severe first (stable order within a severity).</summary>
        public static FindingList Analyze(StartTlsResult result, FindingOptions? options = null, DateTime? nowUtc = null)
        {
            options = options ?? new FindingOptions();
            DateTime now = nowUtc ?? DateTime.UtcNow;
            var findings = new List<Finding>();
            CheckStartTls(result, options, findings);
            CheckCapabilities(result, findings);
            CheckCertificate(result, options, now, findings);
            CheckTls(result, options, findings);
            return new FindingList(findings.Select((f, i) => (f, i)).OrderByDescending(x => x.f.Severity).ThenBy(x => x.i).Select(x => x.f));
        }

        private static void CheckStartTls(StartTlsResult result, FindingOptions options, List<Finding> findings)
        {
            if (result.ImplicitTls || !options.ExpectStartTls) return;
            if (result.Status == StartTlsStatus.NotOffered && result.StartTlsOffered != true)
                findings.Add(new Finding(StartTlsNotOffered, FindingSeverity.High, "STARTTLS is not offered",
                    $"{Name(result)} did not offer STARTTLS, so everything on this connection, credentials included, would travel in plaintext. {result.Reason}",
                    StartTlsReference(result.Protocol)));
            if (result.Status == StartTlsStatus.Refused && result.StartTlsReply != null)
                findings.Add(new Finding(StartTlsRefused, FindingSeverity.High, "STARTTLS is advertised but refused",
                    $"{Name(result)} advertised STARTTLS but refused it: '{Shorten(result.StartTlsReply)}'. Clients fall back to plaintext or fail.",
                    StartTlsReference(result.Protocol)));
        }

        private static void CheckCapabilities(StartTlsResult result, List<Finding> findings)
        {
            string[] before = Split(result.CapabilitiesBeforeTls);
            string[] after = Split(result.CapabilitiesAfterTls);
            string protocol = result.Protocol.ToString();

            if (!result.ImplicitTls && result.CapabilitiesBeforeTls != null)
            {
                var mechanisms = SaslMechanisms(before).ToList();
                if (mechanisms.Count > 0)
                {
                    bool cleartext = mechanisms.Any(m => m == "PLAIN" || m == "LOGIN");
                    findings.Add(new Finding(AuthBeforeTls, cleartext ? FindingSeverity.Medium : FindingSeverity.Low,
                        "Authentication is offered before TLS",
                        $"Before STARTTLS the server offers the SASL mechanisms {string.Join(" ", mechanisms)}" +
                        (cleartext ? ", including ones that send the password in cleartext." : ".") +
                        " A client that authenticates before upgrading exposes its credentials.",
                        AuthReference(protocol)));
                }
                string? plainLogin = PlaintextLogin(protocol, before);
                if (plainLogin != null)
                    findings.Add(new Finding(PlaintextLoginBeforeTls, FindingSeverity.Medium, "Plaintext login is allowed before TLS",
                        plainLogin, protocol == "Imap" ? "RFC 2595 section 3.2; RFC 9051 section 6.2.3" : "RFC 2595 section 4; RFC 8314 section 3"));
            }

            if (result.CapabilitiesAfterTls != null && after.Any(IsStartTlsCapability))
                findings.Add(new Finding(StartTlsAdvertisedAfterTls, FindingSeverity.Low, "STARTTLS is still advertised over TLS",
                    $"After the upgrade the server still advertises '{after.First(IsStartTlsCapability)}'. A server must not offer STARTTLS again once TLS is active.",
                    "RFC 3207 section 4.2" + (protocol == "Imap" ? "; RFC 9051 section 6.2.1" : protocol == "Pop3" ? "; RFC 2595 section 4" : "")));

            if (!result.ImplicitTls && result.CapabilitiesBeforeTls != null && result.CapabilitiesAfterTls != null)
            {
                var removed = before.Where(b => !after.Contains(b, StringComparer.OrdinalIgnoreCase) && !ExpectedToDisappear(b)).ToList();
                var added = after.Where(a => !before.Contains(a, StringComparer.OrdinalIgnoreCase)).ToList();
                if (removed.Count > 0)
                    findings.Add(new Finding(CapabilitiesRemovedAfterTls, FindingSeverity.Info, "Capabilities disappear after TLS",
                        "Advertised before TLS but not after: " + string.Join(StartTlsResult.ListSeparator, removed) + ".",
                        "RFC 3207 section 4.2 (capabilities must be discarded and asked for again after TLS)"));
                if (added.Count > 0)
                    findings.Add(new Finding(CapabilitiesAddedAfterTls, FindingSeverity.Info, "Capabilities appear after TLS",
                        "Advertised only after TLS: " + string.Join(StartTlsResult.ListSeparator, added) + ".",
                        "RFC 3207 section 4.2 (capabilities must be discarded and asked for again after TLS)"));
            }
        }

        private static void CheckCertificate(StartTlsResult result, FindingOptions options, DateTime now, List<Finding> findings)
        {
            if (!result.TlsEstablished || result.CertificateNotAfter == null || result.CertificateNotBefore == null) return;
            DateTime notBefore = result.CertificateNotBefore.Value, notAfter = result.CertificateNotAfter.Value;
            string subject = result.CertificateSubject ?? "(no subject)";

            if (now > notAfter)
                findings.Add(new Finding(CertificateExpired, FindingSeverity.High, "The certificate has expired",
                    $"The certificate {subject} expired on {notAfter:yyyy-MM-dd HH:mm}Z.", "RFC 5280 section 4.1.2.5"));
            else if (now < notBefore)
                findings.Add(new Finding(CertificateNotYetValid, FindingSeverity.High, "The certificate is not yet valid",
                    $"The certificate {subject} is valid only from {notBefore:yyyy-MM-dd HH:mm}Z.", "RFC 5280 section 4.1.2.5"));
            else if (options.ExpiryWarningDays > 0 && (notAfter - now).TotalDays <= options.ExpiryWarningDays)
                findings.Add(new Finding(CertificateExpiringSoon, FindingSeverity.Medium, "The certificate expires soon",
                    $"The certificate {subject} expires on {notAfter:yyyy-MM-dd HH:mm}Z, within {options.ExpiryWarningDays} days.", "RFC 5280 section 4.1.2.5"));

            if (result.HostnameMatches == false)
                findings.Add(new Finding(CertificateNameMismatch, FindingSeverity.High, "The certificate does not match the host name",
                    $"'{result.HostName}' is not among the certificate's names ({result.CertificateSubjectAlternativeNames ?? subject}).",
                    "RFC 6125 section 6; RFC 9525"));

            if (result.CertificateChainValid == false)
            {
                string status = result.CertificateChainStatus ?? "";
                bool selfSigned = result.CertificateSubject != null && result.CertificateSubject == result.CertificateIssuer;
                if (selfSigned)
                    findings.Add(new Finding(CertificateSelfSigned, FindingSeverity.High, "The certificate is self-signed",
                        $"The certificate {subject} is its own issuer and is not in any trusted store.", "RFC 5280 section 6.1"));
                else if (HasChainFlag(status, "PartialChain"))
                    findings.Add(new Finding(CertificateChainIncomplete, FindingSeverity.High, "The certificate chain is incomplete",
                        $"No chain to a trusted root could be built from what the server sent: it did not send its intermediate certificates, or its CA is unknown here. {status}",
                        "RFC 8446 section 4.4.2; RFC 5246 section 7.4.2"));
                else if (HasChainFlag(status, "UntrustedRoot"))
                    findings.Add(new Finding(CertificateUntrusted, FindingSeverity.High, "The certificate is not trusted",
                        $"The chain ends in a root that is not trusted here. {status}", "RFC 5280 section 6.1"));
                else if (OtherChainProblem(status))
                    findings.Add(new Finding(CertificateChainInvalid, FindingSeverity.High, "The certificate chain does not validate",
                        status, "RFC 5280 section 6.1"));
            }

            if (string.Equals(result.CertificateKeyAlgorithm, "RSA", StringComparison.OrdinalIgnoreCase) && result.CertificateKeySize is int bits && bits < MinimumRsaKeyBits)
                findings.Add(new Finding(CertificateWeakKey, FindingSeverity.High, "The certificate's RSA key is too short",
                    $"The certificate has a {bits}-bit RSA key; at least {MinimumRsaKeyBits} bits are required.",
                    "NIST SP 800-131A Rev. 2; CA/Browser Forum Baseline Requirements 6.1.5"));

            string signature = (result.CertificateSignatureAlgorithm ?? "").ToLowerInvariant();
            bool md5 = signature.Contains("md5") || signature == "1.2.840.113549.1.1.4";
            bool sha1 = signature.StartsWith("sha1", StringComparison.Ordinal) || signature.Contains("with-sha1") || signature.Contains("withsha1")
                || signature == "1.2.840.113549.1.1.5" || signature == "1.2.840.10045.4.1" || signature == "1.2.840.10040.4.3";
            if (md5 || sha1)
                findings.Add(new Finding(CertificateWeakSignature, md5 ? FindingSeverity.High : FindingSeverity.Medium,
                    "The certificate is signed with " + (md5 ? "MD5" : "SHA-1"),
                    $"The certificate's signature algorithm is {result.CertificateSignatureAlgorithm}; collisions make such signatures forgeable.",
                    md5 ? "RFC 6151; CVE-2004-2761" : "RFC 9155; SHAttered (2017)"));
        }

        private static void CheckTls(StartTlsResult result, FindingOptions options, List<Finding> findings)
        {
            if (!result.TlsEstablished) return;
            if (result.TlsVersion != TlsProtocolVersion.None && result.TlsVersion < TlsProtocolVersion.Tls12)
            {
                bool ssl = result.TlsVersion <= TlsProtocolVersion.Ssl3;
                findings.Add(new Finding(TlsVersionBelow12, ssl ? FindingSeverity.Critical : FindingSeverity.High, "The negotiated TLS version is below 1.2",
                    $"The server negotiated {result.TlsVersion}; TLS 1.2 is the minimum and TLS 1.3 is preferred.",
                    ssl ? "RFC 7568 (SSL 3.0); RFC 6176 (SSL 2.0)" : "RFC 8996"));
            }
            if (string.IsNullOrEmpty(result.CipherSuite)) return;
            var (rating, why) = options.CipherClassifier.Classify(result.CipherSuite!);
            if (rating == CipherSuiteRating.Insecure)
                findings.Add(new Finding(CipherSuiteInsecure, FindingSeverity.High, "The negotiated cipher suite is insecure",
                    $"The server negotiated {result.CipherSuite}: {why}.", "NCSC-NL TLS guidelines (2021); RFC 9325 section 4"));
            else if (rating == CipherSuiteRating.Weak)
                findings.Add(new Finding(CipherSuiteWeak, FindingSeverity.Low, "The negotiated cipher suite is weak",
                    $"The server negotiated {result.CipherSuite}: {why}.", "NCSC-NL TLS guidelines (2021); RFC 9325 section 4"));
        }

        /// <summary>
        /// FTP's FEAT line "AUTH TLS" names RFC 2228 security mechanisms (TLS, TLS-C, TLS-P, SSL: RFC 4217), i.e. the
        /// STARTTLS command itself, not a way to log in.
        /// </summary>
        private static bool IsTlsSecurityMechanism(string name) =>
            name.Equals("TLS", StringComparison.OrdinalIgnoreCase) || name.Equals("TLS-C", StringComparison.OrdinalIgnoreCase) ||
            name.Equals("TLS-P", StringComparison.OrdinalIgnoreCase) || name.Equals("SSL", StringComparison.OrdinalIgnoreCase);

        /// <summary>SASL mechanism names advertised in a capability list, in any protocol's spelling.</summary>
        public static IEnumerable<string> SaslMechanisms(IEnumerable<string> capabilities)
        {
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (string capability in capabilities)
            {
                string[] tokens = Tokens(capability);
                if (tokens.Length == 0) continue;
                string keyword = tokens[0].ToUpperInvariant();
                IEnumerable<string> names;
                if (keyword.StartsWith("AUTH=", StringComparison.Ordinal)) names = new[] { tokens[0].Substring(5) }.Concat(tokens.Skip(1)); // IMAP AUTH=X, old SMTP AUTH=X Y
                else if (keyword == "AUTH" || keyword == "SASL") names = tokens.Skip(1);                                                 // SMTP, POP3, NNTP, Sieve
                else continue;
                foreach (string name in names)
                    if (name.Length > 0 && !IsTlsSecurityMechanism(name) && seen.Add(name)) yield return name.ToUpperInvariant();
            }
        }

        /// <summary>Why login with a plaintext password is possible before TLS, or null.</summary>
        private static string? PlaintextLogin(string protocol, string[] before)
        {
            switch (protocol)
            {
                case "Imap":
                    return before.Length > 0 && !before.Any(c => Keyword(c) == "LOGINDISABLED")
                        ? "The server does not advertise LOGINDISABLED before TLS, so the IMAP LOGIN command with a plaintext password is allowed."
                        : null;
                case "Pop3":
                    return before.Any(c => Keyword(c) == "USER")
                        ? "The server advertises USER before STLS, so USER/PASS with a plaintext password is allowed."
                        : null;
                default:
                    // NNTP: "AUTHINFO USER" (RFC 4643) is a plaintext password too.
                    return before.Any(c => Keyword(c) == "AUTHINFO" && Tokens(c).Skip(1).Any(t => string.Equals(t, "USER", StringComparison.OrdinalIgnoreCase)))
                        ? "The server advertises AUTHINFO USER before STARTTLS, so a plaintext password is allowed."
                        : null;
            }
        }

        private static bool IsStartTlsCapability(string capability)
        {
            string keyword = Keyword(capability);
            return keyword == "STARTTLS" || keyword == "STLS";
        }

        /// <summary>Capabilities that should go away after TLS: the offer itself and IMAP's "no login yet" flag.</summary>
        private static bool ExpectedToDisappear(string capability)
        {
            string keyword = Keyword(capability);
            return keyword == "STARTTLS" || keyword == "STLS" || keyword == "LOGINDISABLED";
        }

        private static string Keyword(string capability)
        {
            var tokens = Tokens(capability);
            return tokens.Length == 0 ? "" : tokens[0].ToUpperInvariant();
        }

        /// <summary>Space-separated tokens with ManageSieve's quotes removed ("SASL" "PLAIN LOGIN").</summary>
        private static string[] Tokens(string capability) =>
            capability.Replace("\"", " ").Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries);

        private static string[] Split(string? list) =>
            list == null ? new string[0] : list.Split(new[] { StartTlsResult.ListSeparator }, StringSplitOptions.RemoveEmptyEntries).Select(s => s.Trim()).Where(s => s.Length > 0).ToArray();

        private static bool HasChainFlag(string status, string flag) =>
            Regex.IsMatch(status, @"(?:^|: |,)" + flag + @"(?=,|$| \||\s)");

        /// <summary>A chain problem other than the ones reported on their own (dates are reported by the date checks).</summary>
        private static bool OtherChainProblem(string status)
        {
            foreach (Match m in Regex.Matches(status, @"(?:^|: |,)([A-Za-z]+)(?=,|$| \||\s)"))
            {
                string flag = m.Groups[1].Value;
                if (flag != "NoError" && flag != "NotTimeValid" && flag != "PartialChain" && flag != "UntrustedRoot") return true;
            }
            return false;
        }

        private static string StartTlsReference(StartTlsProtocol protocol)
        {
            switch (protocol.ToString())
            {
                case "Smtp": case "Submission": case "Lmtp": return "RFC 3207; RFC 8314 section 3";
                case "Imap": return "RFC 9051 section 6.2.1; RFC 8314 section 3";
                case "Pop3": return "RFC 2595 section 4; RFC 8314 section 3";
                default: return "RFC 8314 section 3";
            }
        }

        private static string AuthReference(string protocol)
        {
            switch (protocol)
            {
                case "Smtp": case "Submission": case "Lmtp": return "RFC 4954 section 4; RFC 4616 section 6";
                case "Imap": return "RFC 9051 section 6.2.2; RFC 4616 section 6";
                case "Pop3": return "RFC 5034 section 4; RFC 4616 section 6";
                default: return "RFC 4616 section 6";
            }
        }

        private static string Name(StartTlsResult result) => $"{result.HostName}:{result.Port}";

        private static string Shorten(string text) => text.Length <= 120 ? text : text.Substring(0, 117) + "...";
    }
}
