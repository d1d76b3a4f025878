using System;
using System.Linq;
using System.Security.Cryptography.X509Certificates;

namespace StartTlsTools.Tests.Unit
{
    /// <summary>Every finding from a result built by hand: each check fires when it should and stays quiet when it should not.</summary>
    public class FindingAnalyzerTests
    {
        private static readonly DateTime Now = new DateTime(2026, 6, 1, 12, 0, 0, DateTimeKind.Utc);

        /// <summary>A clean STARTTLS success: TLS 1.3, a valid certificate, STARTTLS gone after TLS. No findings at all.</summary>
        private static StartTlsResult Healthy(StartTlsProtocol protocol = StartTlsProtocol.Smtp, string? before = "PIPELINING; SIZE 10240000; STARTTLS",
            string? after = "PIPELINING; SIZE 10240000") => new StartTlsResult
        {
            HostName = "mx.example",
            Port = 25,
            Protocol = protocol,
            Status = StartTlsStatus.Success,
            StartTlsOffered = true,
            StartTlsReply = "220 2.0.0 Ready to start TLS",
            TlsEstablished = true,
            TlsVersion = TlsProtocolVersion.Tls13,
            CipherSuite = "TLS_AES_256_GCM_SHA384",
            CertificateValid = true,
            HostnameMatches = true,
            CertificateChainValid = true,
            CertificateChainStatus = new TextList(new[] { "[0] CN=mx.example: NoError", "[1] CN=Root: NoError" }),
            CertificateSubject = "CN=mx.example",
            CertificateIssuer = "CN=Root",
            CertificateSubjectAlternativeNames = new TextList(new[] { "DNS:mx.example" }),
            CertificateNotBefore = Now.AddDays(-10),
            CertificateNotAfter = Now.AddDays(80),
            CertificateKeyAlgorithm = "RSA",
            CertificateKeySize = 2048,
            CertificateSignatureAlgorithm = "sha256RSA",
            CapabilitiesBeforeTls = List(before),
            CapabilitiesAfterTls = List(after),
        };

        /// <summary>A capability list written the way a CSV cell shows it, "A; B; C", for readable test data.</summary>
        private static TextList? List(string? items) =>
            items == null ? null : new TextList(items.Split(new[] { "; " }, StringSplitOptions.RemoveEmptyEntries));

        private static FindingList Analyze(StartTlsResult result, FindingOptions? options = null) => FindingAnalyzer.Analyze(result, options, Now);

        private static Finding Single(StartTlsResult result, string id, FindingOptions? options = null)
        {
            var findings = Analyze(result, options);
            return Assert.Single(findings, f => f.Id == id);
        }

        private static void None(StartTlsResult result, string id, FindingOptions? options = null) =>
            Assert.DoesNotContain(Analyze(result, options), f => f.Id == id);

        [Theory]
        [InlineData(StartTlsProtocol.Smtp, "PIPELINING; STARTTLS", "PIPELINING; AUTH PLAIN")]
        [InlineData(StartTlsProtocol.Imap, "IMAP4rev1; STARTTLS; LOGINDISABLED", "IMAP4rev1; AUTH=PLAIN")]
        [InlineData(StartTlsProtocol.Pop3, "TOP; STLS", "TOP; USER; SASL PLAIN")]
        [InlineData(StartTlsProtocol.Ftp, "AUTH TLS; PBSZ; PROT; SIZE", "PBSZ; PROT; SIZE")] // AUTH TLS is FTP's STARTTLS, not a login
        public void Healthy_result_has_no_findings_beyond_info(StartTlsProtocol protocol, string before, string after)
        {
            var result = Healthy(protocol, before, after);
            Assert.All(Analyze(result), f => Assert.Equal(FindingSeverity.Info, f.Severity));
            result = Healthy(protocol, before, before.Replace("; STARTTLS", "").Replace("; STLS", "").Replace("; LOGINDISABLED", ""));
            Assert.Empty(Analyze(result));
            result.Findings = Analyze(result);
            Assert.Equal("", result.FindingIds);
        }

        [Fact]
        public void Every_finding_has_a_stable_pascal_case_id_and_a_reference()
        {
            Assert.Equal(FindingAnalyzer.AllIds.Count, FindingAnalyzer.AllIds.Distinct().Count());
            foreach (string id in FindingAnalyzer.AllIds) Assert.Matches("^[A-Z][A-Za-z0-9]+$", id);
        }

        [Fact]
        public void Not_offered_is_high_unless_starttls_is_not_expected_or_tls_is_implicit()
        {
            var result = Healthy();
            result.Status = StartTlsStatus.NotOffered;
            result.StartTlsOffered = false;
            result.TlsEstablished = false;
            var finding = Single(result, "StartTlsNotOffered");
            Assert.Equal(FindingSeverity.High, finding.Severity);
            Assert.Contains("RFC 3207", finding.Reference);
            Assert.Contains("mx.example:25", finding.Detail);

            None(result, "StartTlsNotOffered", new FindingOptions { ExpectStartTls = false });
            result.ImplicitTls = true;
            None(result, "StartTlsNotOffered");
        }

        [Fact]
        public void Refused_starttls_is_a_finding_but_a_refused_session_is_not()
        {
            var result = Healthy();
            result.Status = StartTlsStatus.Refused;
            result.StartTlsReply = "454 4.7.0 TLS not available";
            result.TlsEstablished = false;
            Assert.Contains("454 4.7.0", Single(result, "StartTlsRefused").Detail);

            result.StartTlsReply = null; // 554 greeting: STARTTLS never sent
            None(result, "StartTlsRefused");
        }

        [Theory]
        [InlineData(StartTlsProtocol.Smtp, "PIPELINING; AUTH PLAIN LOGIN; STARTTLS", FindingSeverity.Medium, "PLAIN LOGIN")]
        [InlineData(StartTlsProtocol.Smtp, "AUTH=CRAM-MD5; STARTTLS", FindingSeverity.Low, "CRAM-MD5")]
        [InlineData(StartTlsProtocol.Imap, "IMAP4rev1; STARTTLS; AUTH=PLAIN; LOGINDISABLED", FindingSeverity.Medium, "PLAIN")]
        [InlineData(StartTlsProtocol.Pop3, "STLS; SASL PLAIN", FindingSeverity.Medium, "PLAIN")]
        public void Auth_mechanisms_before_tls_are_found_in_each_protocols_spelling(StartTlsProtocol protocol, string before, FindingSeverity severity, string mentions)
        {
            var finding = Single(Healthy(protocol, before), "AuthBeforeTls");
            Assert.Equal(severity, finding.Severity);
            Assert.Contains(mentions, finding.Detail);
        }

        [Fact]
        public void Auth_only_after_tls_is_fine_and_implicit_tls_has_no_before()
        {
            None(Healthy(StartTlsProtocol.Submission, "PIPELINING; STARTTLS", "PIPELINING; AUTH PLAIN"), "AuthBeforeTls");
            var implicitTls = Healthy(StartTlsProtocol.Smtp, null, "AUTH PLAIN");
            implicitTls.ImplicitTls = true;
            None(implicitTls, "AuthBeforeTls");
        }

        [Fact]
        public void Imap_login_without_logindisabled_before_tls_is_plaintext_login()
        {
            var finding = Single(Healthy(StartTlsProtocol.Imap, "IMAP4rev1; STARTTLS", "IMAP4rev1; AUTH=PLAIN"), "PlaintextLoginBeforeTls");
            Assert.Contains("LOGINDISABLED", finding.Detail);
            Assert.Equal(FindingSeverity.Medium, finding.Severity);
            None(Healthy(StartTlsProtocol.Imap, "IMAP4rev1; STARTTLS; LOGINDISABLED", "IMAP4rev1; AUTH=PLAIN"), "PlaintextLoginBeforeTls");
            // SMTP has no LOGIN command: the IMAP rule must not leak into other protocols.
            None(Healthy(StartTlsProtocol.Smtp, "PIPELINING; STARTTLS"), "PlaintextLoginBeforeTls");
        }

        [Fact]
        public void Pop3_user_before_stls_is_plaintext_login()
        {
            Assert.Contains("USER", Single(Healthy(StartTlsProtocol.Pop3, "TOP; USER; STLS", "TOP; USER"), "PlaintextLoginBeforeTls").Detail);
            None(Healthy(StartTlsProtocol.Pop3, "TOP; STLS", "TOP; USER"), "PlaintextLoginBeforeTls");
        }

        [Theory]
        [InlineData(StartTlsProtocol.Smtp, "PIPELINING; STARTTLS", "RFC 3207 section 4.2")]
        [InlineData(StartTlsProtocol.Imap, "IMAP4rev1; STARTTLS", "RFC 9051")]
        [InlineData(StartTlsProtocol.Pop3, "TOP; STLS", "RFC 2595")]
        public void Starttls_still_advertised_after_tls_is_found(StartTlsProtocol protocol, string after, string reference)
        {
            var result = Healthy(protocol, after, after);
            Assert.Contains(reference, Single(result, "StartTlsAdvertisedAfterTls").Reference);
            None(Healthy(protocol, after, after.Replace("; STARTTLS", "").Replace("; STLS", "")), "StartTlsAdvertisedAfterTls");
        }

        [Fact]
        public void Capability_changes_are_info_and_the_expected_ones_are_not_reported()
        {
            var result = Healthy(StartTlsProtocol.Smtp, "PIPELINING; CHUNKING; STARTTLS", "PIPELINING; AUTH PLAIN");
            var findings = Analyze(result);
            var removed = Assert.Single(findings, f => f.Id == "CapabilitiesRemovedAfterTls");
            var added = Assert.Single(findings, f => f.Id == "CapabilitiesAddedAfterTls");
            Assert.Equal(FindingSeverity.Info, removed.Severity);
            Assert.Equal(FindingSeverity.Info, added.Severity);
            Assert.Contains("CHUNKING", removed.Detail);
            Assert.DoesNotContain("STARTTLS", removed.Detail); // its disappearing is the point of the upgrade
            Assert.Contains("AUTH PLAIN", added.Detail);

            None(Healthy(StartTlsProtocol.Imap, "IMAP4rev1; STARTTLS; LOGINDISABLED", "IMAP4rev1"), "CapabilitiesRemovedAfterTls");
        }

        [Theory]
        [InlineData(TlsProtocolVersion.Tls11, FindingSeverity.High)]
        [InlineData(TlsProtocolVersion.Tls10, FindingSeverity.High)]
        [InlineData(TlsProtocolVersion.Ssl3, FindingSeverity.Critical)]
        public void Tls_below_12_is_found(TlsProtocolVersion version, FindingSeverity severity)
        {
            var result = Healthy();
            result.TlsVersion = version;
            Assert.Equal(severity, Single(result, "TlsVersionBelow12").Severity);
        }

        [Theory]
        [InlineData(TlsProtocolVersion.Tls12)]
        [InlineData(TlsProtocolVersion.Tls13)]
        [InlineData(TlsProtocolVersion.None)]
        public void Tls_12_and_later_are_fine(TlsProtocolVersion version)
        {
            var result = Healthy();
            result.TlsVersion = version;
            None(result, "TlsVersionBelow12");
        }

        [Theory]
        [InlineData("TLS_RSA_WITH_NULL_SHA256", "CipherSuiteInsecure", "NULL")]
        [InlineData("TLS_RSA_EXPORT_WITH_RC4_40_MD5", "CipherSuiteInsecure", "export")]
        [InlineData("TLS_ECDHE_RSA_WITH_RC4_128_SHA", "CipherSuiteInsecure", "RC4")]
        [InlineData("TLS_DH_anon_WITH_AES_128_CBC_SHA", "CipherSuiteInsecure", "anonymous")]
        [InlineData("TLS_RSA_WITH_DES_CBC_SHA", "CipherSuiteInsecure", "DES")]
        [InlineData("TLS_RSA_WITH_3DES_EDE_CBC_SHA", "CipherSuiteInsecure", "3DES")]
        [InlineData("TLS_RSA_WITH_IDEA_CBC_SHA", "CipherSuiteInsecure", "IDEA")]
        [InlineData("TLS_SHA256_SHA256", "CipherSuiteInsecure", "integrity-only")]
        [InlineData("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "CipherSuiteWeak", "SHA-1")]
        [InlineData("TLS_RSA_WITH_AES_128_GCM_SHA256", "CipherSuiteWeak", "forward secrecy")]
        [InlineData("TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384", "CipherSuiteWeak", "CBC")]
        public void Name_classifier_finds_insecure_and_weak_cipher_suites(string suite, string id, string why)
        {
            var result = Healthy();
            result.CipherSuite = suite;
            var findings = Analyze(result, new FindingOptions { CipherClassifier = CipherSuiteNameClassifier.Instance });
            var finding = Assert.Single(findings, f => f.Id.StartsWith("CipherSuite", StringComparison.Ordinal));
            Assert.Equal(id, finding.Id);
            Assert.Contains(why, finding.Detail, StringComparison.OrdinalIgnoreCase);
            Assert.Contains(suite, finding.Detail);
        }

        /// <summary>The default: the registry's NCSC-NL rating, the same one Get-TlsCapability reports.</summary>
        [Theory]
        [InlineData("TLS_RSA_WITH_NULL_SHA256", "CipherSuiteInsecure", "Insufficient")]
        [InlineData("TLS_ECDHE_RSA_WITH_RC4_128_SHA", "CipherSuiteInsecure", "Insufficient")]
        [InlineData("TLS_DH_anon_WITH_AES_128_CBC_SHA", "CipherSuiteInsecure", "anon")]
        [InlineData("TLS_RSA_WITH_DES_CBC_SHA", "CipherSuiteInsecure", "Insufficient")]
        [InlineData("TLS_RSA_WITH_3DES_EDE_CBC_SHA", "CipherSuiteWeak", "Phase out")]
        [InlineData("TLS_RSA_WITH_AES_128_GCM_SHA256", "CipherSuiteWeak", "key exchange RSA")]
        [InlineData("TLS_ECDHE_RSA_WITH_CAMELLIA_128_CBC_SHA256", "CipherSuiteWeak", "Camellia")]
        [InlineData("TLS_FAKE_WITH_NULL_SHA", "CipherSuiteInsecure", "NULL")] // not in the registry: the name classifier decides
        public void Registry_rating_is_the_default(string suite, string id, string why)
        {
            var result = Healthy();
            result.CipherSuite = suite;
            var finding = Assert.Single(Analyze(result), f => f.Id.StartsWith("CipherSuite", StringComparison.Ordinal));
            Assert.Equal(id, finding.Id);
            Assert.Contains(why, finding.Detail, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("NCSC-NL", finding.Reference);
        }

        [Theory]
        [InlineData("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA")]   // NCSC-NL "Sufficient": no finding by default
        [InlineData("TLS_DHE_RSA_WITH_AES_256_GCM_SHA384")]
        public void Registry_sufficient_and_good_suites_give_no_finding(string suite)
        {
            var result = Healthy();
            result.CipherSuite = suite;
            Assert.DoesNotContain(Analyze(result), f => f.Id.StartsWith("CipherSuite", StringComparison.Ordinal));
        }

        [Theory]
        [InlineData("TLS_AES_128_GCM_SHA256")]
        [InlineData("TLS_CHACHA20_POLY1305_SHA256")]
        [InlineData("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384")]
        [InlineData("TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256")]
        [InlineData("TLS_DHE_RSA_WITH_AES_128_GCM_SHA256")]
        [InlineData("Ecdh/Aes-256/Sha384")] // .NET Framework's description, not an IANA name: no opinion
        public void Modern_and_unknown_cipher_suites_give_no_finding(string suite)
        {
            var result = Healthy();
            result.CipherSuite = suite;
            Assert.DoesNotContain(Analyze(result), f => f.Id.StartsWith("CipherSuite", StringComparison.Ordinal));
        }

        [Fact]
        public void Cipher_classifier_is_replaceable()
        {
            var result = Healthy();
            var options = new FindingOptions { CipherClassifier = new EverythingInsecure() };
            Assert.Contains("registry says so", Single(result, "CipherSuiteInsecure", options).Detail);
        }

        private sealed class EverythingInsecure : ICipherSuiteClassifier
        {
            public (CipherSuiteRating Rating, string Why) Classify(string ianaName) => (CipherSuiteRating.Insecure, "the registry says so");
        }

        [Fact]
        public void Expiry_threshold_is_settable_and_zero_turns_it_off()
        {
            var result = Healthy();
            result.CertificateNotAfter = Now.AddDays(20);
            Assert.Equal(FindingSeverity.Medium, Single(result, "CertificateExpiringSoon").Severity);
            None(result, "CertificateExpiringSoon", new FindingOptions { ExpiryWarningDays = 10 });
            None(result, "CertificateExpiringSoon", new FindingOptions { ExpiryWarningDays = 0 });
            Assert.Contains("within 90 days", Single(Healthy(), "CertificateExpiringSoon", new FindingOptions { ExpiryWarningDays = 90 }).Detail);
        }

        [Fact]
        public void Md5_and_sha1_signatures_are_found_with_different_severities()
        {
            var result = Healthy();
            result.CertificateSignatureAlgorithm = "md5RSA";
            Assert.Equal(FindingSeverity.High, Single(result, "CertificateWeakSignature").Severity);
            result.CertificateSignatureAlgorithm = "sha1RSA";
            Assert.Equal(FindingSeverity.Medium, Single(result, "CertificateWeakSignature").Severity);
            result.CertificateSignatureAlgorithm = "sha384ECDSA";
            None(result, "CertificateWeakSignature");
        }

        [Fact]
        public void Findings_are_ordered_most_severe_first_and_joined_for_csv()
        {
            var result = Healthy(StartTlsProtocol.Smtp, "AUTH PLAIN; STARTTLS; CHUNKING", "AUTH PLAIN; STARTTLS");
            result.TlsVersion = TlsProtocolVersion.Tls10;
            result.Findings = Analyze(result);
            Assert.Equal(result.Findings.OrderByDescending(f => f.Severity).Select(f => f.Id), result.Findings.Select(f => f.Id));
            Assert.Equal("TlsVersionBelow12; AuthBeforeTls; StartTlsAdvertisedAfterTls; CapabilitiesRemovedAfterTls", result.FindingIds);
        }

        [Theory]
        [InlineData(X509ChainStatusFlags.UntrustedRoot, "CertificateUntrusted")]
        [InlineData(X509ChainStatusFlags.PartialChain, "CertificateChainIncomplete")]
        [InlineData(X509ChainStatusFlags.NotSignatureValid, "CertificateChainInvalid")]
        public void Chain_findings_come_from_the_typed_flags_never_from_the_status_text(X509ChainStatusFlags flags, string id)
        {
            var result = Healthy();
            result.CertificateChainValid = false;
            result.CertificateChainProblems = flags;
            // Text that names every other flag: server-chosen subjects end up in these descriptions.
            result.CertificateChainStatus = new TextList(new[] { "[0] CN=x: PartialChain, UntrustedRoot, NotSignatureValid: NoError" });
            var chainIds = Analyze(result).Select(f => f.Id).Where(i => i.StartsWith("CertificateChain", StringComparison.Ordinal) || i == "CertificateUntrusted").ToList();
            Assert.Equal(new[] { id }, chainIds);
        }

        [Fact]
        public void An_expired_leaf_alone_gives_no_chain_finding()
        {
            var result = Healthy();
            result.CertificateChainValid = false;
            result.CertificateChainProblems = X509ChainStatusFlags.NotTimeValid;
            result.CertificateNotAfter = Now.AddDays(-1);
            var ids = Analyze(result).Select(f => f.Id).ToList();
            Assert.Contains("CertificateExpired", ids);
            Assert.DoesNotContain(ids, i => i.StartsWith("CertificateChain", StringComparison.Ordinal) || i == "CertificateUntrusted");
        }

        [Theory]
        [InlineData(StartTlsProtocol.Submission, FindingSeverity.Medium, "RFC 8314")]
        [InlineData(StartTlsProtocol.Imap, FindingSeverity.Medium, "RFC 8314")]
        [InlineData(StartTlsProtocol.Smtp, FindingSeverity.Info, "MTA-STS")] // relay: optional TLS is the norm (RFC 3207 section 4)
        public void Optional_tls_is_a_finding_where_credentials_or_mail_go_in_plaintext(StartTlsProtocol protocol, FindingSeverity severity, string reference)
        {
            var result = Healthy(protocol);
            result.TlsRequired = false;
            result.TlsRequiredEvidence = "MAIL FROM:<> before STARTTLS was answered '250 2.1.0 Ok'.";
            var finding = Single(result, "StartTlsOptional");
            Assert.Equal(severity, finding.Severity);
            Assert.Contains("250 2.1.0 Ok", finding.Detail);
            Assert.Contains("TLS only where possible", finding.Detail);
            Assert.Contains(reference, finding.Reference);

            result.TlsRequired = true;
            None(result, "StartTlsOptional");
            result.TlsRequired = null;
            None(result, "StartTlsOptional");
            // Not offered at all is its own, worse finding.
            result.TlsRequired = false;
            result.StartTlsOffered = false;
            result.Status = StartTlsStatus.NotOffered;
            None(result, "StartTlsOptional");
        }

        [Theory]
        [InlineData(UnavailableKind.RateLimited, "ServerRateLimited")]
        [InlineData(UnavailableKind.BlockListed, "ClientBlockListed")]
        [InlineData(UnavailableKind.Rejected, "ServerUnavailable")]
        [InlineData(UnavailableKind.Closing, "ServerUnavailable")]
        public void Each_kind_of_refusal_has_its_own_info_finding_and_no_starttls_finding(UnavailableKind kind, string id)
        {
            var result = new StartTlsResult { HostName = "mx.example", Port = 25, Status = StartTlsStatus.Unavailable, UnavailableKind = kind, Reason = "421 4.7.0 go away" };
            var finding = Assert.Single(Analyze(result));
            Assert.Equal(id, finding.Id);
            Assert.Equal(FindingSeverity.Info, finding.Severity);
        }

        [Fact]
        public void Interference_is_stripping_and_replaces_the_plainer_starttls_findings()
        {
            var result = Healthy();
            result.Status = StartTlsStatus.Refused;
            result.StartTlsReply = "502 5.5.2 Error: command not recognized";
            result.TlsEstablished = false;
            result.Interference = StartTlsInterference.StartTlsUnrecognized;
            result.InterferenceEvidence = result.StartTlsReply;
            var finding = Single(result, "StartTlsStripped");
            Assert.Equal(FindingSeverity.High, finding.Severity);
            Assert.Contains("502 5.5.2", finding.Detail);
            None(result, "StartTlsRefused");
        }

        [Fact]
        public void An_echoed_client_address_is_info_and_only_in_starttls_mode()
        {
            var result = Healthy();
            result.EchoedClientAddress = "203.0.113.7";
            Assert.Equal(FindingSeverity.Info, Single(result, "ClientAddressEchoed").Severity);
            result.ImplicitTls = true;
            None(result, "ClientAddressEchoed");
        }

        [Fact]
        public void Failed_tests_get_no_certificate_or_tls_findings()
        {
            var result = new StartTlsResult { HostName = "mx.example", Port = 25, Status = StartTlsStatus.ConnectFailed };
            Assert.Empty(Analyze(result));
        }

        [Fact]
        public void Unknown_protocols_still_get_the_generic_checks()
        {
            var result = Healthy((StartTlsProtocol)99, "\"IMPLEMENTATION\" \"x\"; \"SASL\" \"PLAIN LOGIN\"; \"STARTTLS\"", "\"SASL\" \"PLAIN LOGIN\"; \"STARTTLS\"");
            var ids = Analyze(result).Select(f => f.Id).ToList();
            Assert.Contains("AuthBeforeTls", ids);
            Assert.Contains("StartTlsAdvertisedAfterTls", ids);
            Assert.DoesNotContain("PlaintextLoginBeforeTls", ids);
        }
    
        [Fact]
        public void Server_controlled_text_never_makes_the_analyzer_throw()
        {
            // Capabilities, subjects and chain status are server-controlled text: fixed-seed random strings from a
            // hostile alphabet (separators, quotes, flag names) must only ever produce findings, never an exception.
            var random = new Random(20261127);
            string[] atoms = { "; ", ";", " ", "\"", "AUTH", "AUTH=", "SASL", "STARTTLS", "STLS", "USER", "AUTHINFO", "LOGINDISABLED", "PLAIN",
                ": ", ",", " | ", "PartialChain", "UntrustedRoot", "NotTimeValid", "[0]", "\u0000", "\uffff", "=", "" };
            string Text() => string.Concat(Enumerable.Range(0, random.Next(0, 12)).Select(_ => atoms[random.Next(atoms.Length)]));
            foreach (StartTlsProtocol protocol in new[] { StartTlsProtocol.Smtp, StartTlsProtocol.Imap, StartTlsProtocol.Pop3, (StartTlsProtocol)77 })
                for (int i = 0; i < 2000; i++)
                {
                    var result = Healthy(protocol, Text(), Text());
                    result.CertificateChainValid = random.Next(2) == 0;
                    result.CertificateChainStatus = new TextList(new[] { Text(), Text() });
                    result.CertificateChainProblems = (System.Security.Cryptography.X509Certificates.X509ChainStatusFlags)random.Next();
                    result.CertificateSubject = Text();
                    result.CertificateIssuer = random.Next(3) == 0 ? result.CertificateSubject : Text();
                    result.CertificateSignatureAlgorithm = Text();
                    result.CipherSuite = "TLS_" + Text().Replace(" ", "_") + (random.Next(2) == 0 ? "_WITH_" + Text() : "");
                    var findings = FindingAnalyzer.Analyze(result, null, Now);
                    Assert.All(findings, f => Assert.Contains(f.Id, FindingAnalyzer.AllIds));
                }
        }
    }
}
