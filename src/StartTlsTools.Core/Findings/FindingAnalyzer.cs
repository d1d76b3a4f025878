using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography.X509Certificates;
using StartTlsTools.Protocols;

namespace StartTlsTools
{
    /// <summary>
    /// Computes findings from a finished result alone, so they can also be recomputed from saved JSON. It reads typed
    /// data only (chain flags, capability lists item by item, enums), never server text parsed back. What a protocol
    /// defines (its STARTTLS keyword, plaintext-login rule, references) comes from its dialect's <see cref="ProtocolRules"/>;
    /// a protocol the analyzer has never heard of gets the generic rules and every certificate and TLS check.
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
        public const string StartTlsOptional = "StartTlsOptional";
        public const string StartTlsStripped = "StartTlsStripped";
        public const string ServerRateLimited = "ServerRateLimited";
        public const string ClientBlockListed = "ClientBlockListed";
        public const string ServerUnavailable = "ServerUnavailable";
        public const string ClientAddressEchoed = "ClientAddressEchoed";

        /// <summary>Every id this analyzer can produce, for documentation and tests.</summary>
        public static readonly IReadOnlyList<string> AllIds = new[]
        {
            StartTlsNotOffered, StartTlsRefused, AuthBeforeTls, PlaintextLoginBeforeTls, StartTlsAdvertisedAfterTls,
            CapabilitiesRemovedAfterTls, CapabilitiesAddedAfterTls, CertificateExpired, CertificateNotYetValid,
            CertificateExpiringSoon, CertificateNameMismatch, CertificateSelfSigned, CertificateUntrusted,
            CertificateChainIncomplete, CertificateChainInvalid, CertificateWeakKey, CertificateWeakSignature,
            TlsVersionBelow12, CipherSuiteInsecure, CipherSuiteWeak, StartTlsOptional, StartTlsStripped, ServerRateLimited,
            ClientBlockListed, ServerUnavailable, ClientAddressEchoed,
        };

        public const int MinimumRsaKeyBits = 2048;

        /// <summary>The findings for a result, most severe first (stable order within a severity).</summary>
        public static FindingList Analyze(StartTlsResult result, FindingOptions? options = null, DateTime? nowUtc = null)
        {
            options = options ?? new FindingOptions();
            DateTime now = nowUtc ?? DateTime.UtcNow;
            var findings = new List<Finding>();
            ProtocolRules rules = ProtocolRegistry.IsKnown(result.Protocol) ? ProtocolRegistry.Get(result.Protocol).Rules : ProtocolRules.Generic;
            CheckAvailability(result, findings);
            CheckStartTls(result, options, rules, findings);
            CheckCapabilities(result, rules, findings);
            CheckCertificate(result, options, now, findings);
            CheckTls(result, options, findings);
            return new FindingList(findings.Select((f, i) => (f, i)).OrderByDescending(x => x.f.Severity).ThenBy(x => x.i).Select(x => x.f));
        }

        private static void CheckAvailability(StartTlsResult result, List<Finding> findings)
        {
            if (result.Status != StartTlsStatus.Unavailable) return;
            switch (result.UnavailableKind)
            {
                case UnavailableKind.RateLimited:
                    findings.Add(new Finding(ServerRateLimited, FindingSeverity.Info, "The server is limiting connections",
                        $"{Name(result)} turned the session away as a rate or connection limit: {result.Reason} Test again later, one connection at a time.",
                        "RFC 5321 section 4.2.2 (421); RFC 3463 section 3.8 (4.7.x)"));
                    break;
                case UnavailableKind.BlockListed:
                    findings.Add(new Finding(ClientBlockListed, FindingSeverity.Info, "This client's address is on a block list the server uses",
                        $"{Name(result)} turned the session away because of a block list{(result.BlockList != null ? " (" + result.BlockList + ")" : "")}: {result.Reason} " +
                        "Nothing about STARTTLS could be tested; test from an address that is not listed.",
                        "RFC 5782 (DNS block lists); RFC 5321 section 3.1 (554 greeting)"));
                    break;
                default:
                    findings.Add(new Finding(ServerUnavailable, FindingSeverity.Info, "The server turned the session away",
                        $"{Name(result)} refused or closed the session before STARTTLS could be tested: {result.Reason}",
                        "RFC 5321 section 3.1 (554 greeting) and section 4.2.2 (421)"));
                    break;
            }
        }

        private static void CheckStartTls(StartTlsResult result, FindingOptions options, ProtocolRules rules, List<Finding> findings)
        {
            if (result.ImplicitTls) return;
            if (result.Interference != StartTlsInterference.None)
            {
                findings.Add(new Finding(StartTlsStripped, FindingSeverity.High, "STARTTLS appears to be stripped on the way",
                    $"{Name(result)}: {DescribeInterference(result.Interference)} Evidence: '{result.InterferenceEvidence}'. " +
                    "A device on the path (a firewall's SMTP inspection, a proxy, an attacker) is the likely cause; every client that uses TLS only where possible now talks in plaintext.",
                    "RFC 3207 section 6; Durumeric et al., \"Neither Snow Nor Rain Nor MITM\" (IMC 2015)"));
                return;
            }
            if (!options.ExpectStartTls) return;
            if (result.Status == StartTlsStatus.NotOffered && result.StartTlsOffered != true)
                findings.Add(new Finding(StartTlsNotOffered, FindingSeverity.High, "STARTTLS is not offered",
                    $"{Name(result)} did not offer STARTTLS, so everything on this connection, credentials included, would travel in plaintext. {result.Reason}",
                    rules.StartTlsReference));
            if (result.Status == StartTlsStatus.Refused && result.StartTlsReply != null)
                findings.Add(new Finding(StartTlsRefused, FindingSeverity.High, "STARTTLS is advertised but refused",
                    $"{Name(result)} advertised STARTTLS but refused it: '{ServerText.Shorten(result.StartTlsReply, 117)}'. Clients fall back to plaintext or fail.",
                    rules.StartTlsReference));
            if (result.TlsRequired == false && result.StartTlsOffered == true)
                findings.Add(new Finding(StartTlsOptional,
                    rules.OptionalTlsIsNormal ? FindingSeverity.Info : FindingSeverity.Medium,
                    "TLS is optional (opportunistic), not required",
                    $"{Name(result)} offers STARTTLS but does not require it: {result.TlsRequiredEvidence} " +
                    "Anyone who removes STARTTLS from the dialogue (a filtering network device, an attacker) gets plaintext from every client that uses TLS only where possible." +
                    (rules.OptionalTlsIsNormal ? " For server-to-server relay this is the norm; MTA-STS or DANE let senders insist on TLS." : ""),
                    rules.StartTlsOptionalReference));
        }

        private static string DescribeInterference(StartTlsInterference interference)
        {
            switch (interference)
            {
                case StartTlsInterference.MaskedStartTls:
                    return "the capability list carries a masked keyword where STARTTLS belongs (as Cisco ESMTP inspection writes 'XXXXXXXA').";
                case StartTlsInterference.StartTlsUnrecognized:
                    return "STARTTLS was advertised, but the command was answered as unknown.";
                default:
                    return "after the go-ahead, plaintext arrived where the TLS handshake should have been.";
            }
        }

        private static void CheckCapabilities(StartTlsResult result, ProtocolRules rules, List<Finding> findings)
        {
            IReadOnlyList<string> before = result.CapabilitiesBeforeTls ?? TextList.Empty;
            IReadOnlyList<string> after = result.CapabilitiesAfterTls ?? TextList.Empty;

            if (!result.ImplicitTls && result.CapabilitiesBeforeTls != null)
            {
                var mechanisms = Capability.SaslMechanisms(before);
                if (mechanisms.Count > 0)
                {
                    bool cleartext = mechanisms.Any(m => m == "PLAIN" || m == "LOGIN");
                    findings.Add(new Finding(AuthBeforeTls, cleartext ? FindingSeverity.Medium : FindingSeverity.Low,
                        "Authentication is offered before TLS",
                        $"Before STARTTLS the server offers the SASL mechanisms {string.Join(" ", mechanisms)}" +
                        (cleartext ? ", including ones that send the password in cleartext." : ".") +
                        " A client that authenticates before upgrading exposes its credentials.",
                        rules.AuthReference));
                }
                string? plainLogin = rules.PlaintextLoginBeforeTls(before);
                if (plainLogin != null)
                    findings.Add(new Finding(PlaintextLoginBeforeTls, FindingSeverity.Medium, "Plaintext login is allowed before TLS",
                        plainLogin, rules.PlaintextLoginReference));
            }

            if (!result.ImplicitTls && result.EchoedClientAddress != null)
                findings.Add(new Finding(ClientAddressEchoed, FindingSeverity.Info, "The server repeats the client's address in plaintext",
                    $"Before TLS the server named this client's address ({result.EchoedClientAddress}): anyone on the path learns who is talking to it, even when TLS follows.",
                    "RFC 5321 section 4.1.1.1; RFC 8314 section 3"));

            if (result.CapabilitiesAfterTls != null && after.Any(rules.IsStartTlsCapability))
                findings.Add(new Finding(StartTlsAdvertisedAfterTls, FindingSeverity.Low, "STARTTLS is still advertised over TLS",
                    $"After the upgrade the server still advertises '{after.First(rules.IsStartTlsCapability)}'. A server must not offer STARTTLS again once TLS is active.",
                    rules.StartTlsAfterTlsReference));

            if (!result.ImplicitTls && result.CapabilitiesBeforeTls != null && result.CapabilitiesAfterTls != null)
            {
                var removed = before.Where(b => !after.Contains(b, StringComparer.OrdinalIgnoreCase) && !rules.ExpectedToDisappearAfterTls(b)).ToList();
                var added = after.Where(a => !before.Contains(a, StringComparer.OrdinalIgnoreCase)).ToList();
                if (removed.Count > 0)
                    findings.Add(new Finding(CapabilitiesRemovedAfterTls, FindingSeverity.Info, "Capabilities disappear after TLS",
                        "Advertised before TLS but not after: " + string.Join(TextList.Separator, removed) + ".",
                        "RFC 3207 section 4.2 (capabilities must be discarded and asked for again after TLS)"));
                if (added.Count > 0)
                    findings.Add(new Finding(CapabilitiesAddedAfterTls, FindingSeverity.Info, "Capabilities appear after TLS",
                        "Advertised only after TLS: " + string.Join(TextList.Separator, added) + ".",
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
                    $"'{result.HostName}' is not among the certificate's names ({(result.CertificateSubjectAlternativeNames is TextList sans && sans.Count > 0 ? sans.ToString() : subject)}).",
                    "RFC 6125 section 6; RFC 9525"));

            if (result.CertificateChainValid == false)
            {
                // Typed flags only: the element descriptions hold the subjects, which are the server's text.
                X509ChainStatusFlags problems = result.CertificateChainProblems;
                string status = result.CertificateChainStatus?.ToString() ?? "";
                bool selfSigned = result.CertificateSubject != null && result.CertificateSubject == result.CertificateIssuer;
                if (selfSigned && (problems & (X509ChainStatusFlags.UntrustedRoot | X509ChainStatusFlags.PartialChain)) != 0)
                    findings.Add(new Finding(CertificateSelfSigned, FindingSeverity.High, "The certificate is self-signed",
                        $"The certificate {subject} is its own issuer and is not in any trusted store.", "RFC 5280 section 6.1"));
                else if ((problems & X509ChainStatusFlags.PartialChain) != 0)
                    findings.Add(new Finding(CertificateChainIncomplete, FindingSeverity.High, "The certificate chain is incomplete",
                        $"No chain to a trusted root could be built from what the server sent: it did not send its intermediate certificates, or its CA is unknown here. {status}",
                        "RFC 8446 section 4.4.2; RFC 5246 section 7.4.2"));
                else if ((problems & X509ChainStatusFlags.UntrustedRoot) != 0)
                    findings.Add(new Finding(CertificateUntrusted, FindingSeverity.High, "The certificate is not trusted",
                        $"The chain ends in a root that is not trusted here. {status}", "RFC 5280 section 6.1"));
                if ((problems & ~ReportedOnTheirOwn) != 0)
                    findings.Add(new Finding(CertificateChainInvalid, FindingSeverity.High, "The certificate chain does not validate",
                        $"The chain has these problems: {problems & ~ReportedOnTheirOwn}. {status}", "RFC 5280 section 6.1"));
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

        /// <summary>Chain flags with findings of their own: trust (above) and the leaf's dates (the date checks).</summary>
        private const X509ChainStatusFlags ReportedOnTheirOwn =
            X509ChainStatusFlags.UntrustedRoot | X509ChainStatusFlags.PartialChain | X509ChainStatusFlags.NotTimeValid;

        /// <summary>SASL mechanism names advertised in a capability list, in any protocol's spelling.</summary>
        public static IEnumerable<string> SaslMechanisms(IEnumerable<string> capabilities) => Capability.SaslMechanisms(capabilities);

        private static string Name(StartTlsResult result) => $"{result.HostName}:{result.Port}";
    }
}
