using System;
using System.Collections.Generic;
using System.Linq;
using StartTlsTools.Probing;
using StartTlsTools.Reporting;

namespace StartTlsTools.Tests.Report
{
    /// <summary>
    /// Result objects shaped like the lab's (same banners, capabilities, certificate names and chain text), with
    /// findings computed by the real analyzers, for the report's unit tests, fuzz test and bench. The browser and
    /// cmdlet tests use real lab results instead.
    /// </summary>
    internal static class ReportSamples
    {
        public static readonly DateTimeOffset Now = new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

        public static ReportContext Context(int expiryWarningDays = FindingOptions.DefaultExpiryWarningDays) => new ReportContext
        {
            Title = "Sample report",
            GeneratedAt = Now,
            CommandLine = "Get-Content hosts.txt | Test-StartTls | Export-StartTlsReport -Path report.html",
            ProducedBy = "StartTlsTools test",
            ExpiryWarningDays = expiryWarningDays,
        };

        public static ReportModel Model(IEnumerable<object> results, ReportContext? context = null)
        {
            var builder = new ReportBuilder();
            foreach (object result in results) builder.Add(result);
            return builder.Build(context ?? Context());
        }

        /// <summary>Postfix with STARTTLS, TLS 1.3 and a valid certificate, as `starttls test` prints the lab's.</summary>
        public static StartTlsResult Healthy(string host = "mail.example.com", int port = 25, int daysToExpiry = 89)
        {
            DateTime notAfter = Now.UtcDateTime.Date.AddDays(daysToExpiry).AddHours(14);
            // 90-day certificates (ACME) where they fit, one-year ones otherwise; issued in the past either way.
            DateTime notBefore = notAfter.AddDays(daysToExpiry < 80 ? -90 : -397);
            var result = new StartTlsResult
            {
                HostName = host, Port = port, Protocol = StartTlsProtocol.Smtp, IPAddress = "192.0.2.25",
                Status = StartTlsStatus.Success, Reason = "STARTTLS upgraded the connection to TLS.",
                StartTlsOffered = true, StartTlsReply = "220 2.0.0 Ready to start TLS", TlsEstablished = true,
                TlsVersion = TlsProtocolVersion.Tls13, CipherSuite = "TLS_AES_256_GCM_SHA384",
                CertificateValid = true, HostnameMatches = true, CertificateChainValid = true,
                CertificateChainStatus = new TextList(new[] { $"[0] CN={host}, O=Example: NoError", "[1] CN=Example CA, O=Example: NoError" }),
                CertificateSubject = $"CN={host}, O=Example", CertificateIssuer = "CN=Example CA, O=Example",
                CertificateSubjectAlternativeNames = List($"DNS:{host}"), CertificateThumbprint = "7563B3FADC96CF7F77B6AB0149895BC10587B660",
                CertificateNotBefore = notBefore, CertificateNotAfter = notAfter, CertificateDaysToExpiry = daysToExpiry,
                CertificateKeyAlgorithm = "RSA", CertificateKeySize = 2048, CertificateSignatureAlgorithm = "sha256RSA",
                Banner = $"{host} ESMTP Postfix",
                CapabilitiesBeforeTls = List("PIPELINING; SIZE 10240000; VRFY; ETRN; STARTTLS; ENHANCEDSTATUSCODES; 8BITMIME; DSN; SMTPUTF8; CHUNKING"),
                CapabilitiesAfterTls = List("PIPELINING; SIZE 10240000; VRFY; ETRN; ENHANCEDSTATUSCODES; 8BITMIME; DSN; SMTPUTF8; CHUNKING"),
                StartedAt = Now.AddMinutes(-5), ConnectMs = 1.2, GreetingMs = 3.4, TimeToSecureChannelMs = 9.8, TotalMs = 12.5,
                PlaintextBytesSent = 32, PlaintextBytesReceived = 227, PlaintextRoundTrips = 2,
            };
            result.Findings = FindingAnalyzer.Analyze(result, null, Now.UtcDateTime);
            return result;
        }

        public static StartTlsResult NotOffered(string host = "old.example.com", int port = 25)
        {
            var result = new StartTlsResult
            {
                HostName = host, Port = port, Protocol = StartTlsProtocol.Smtp, IPAddress = "192.0.2.26",
                Status = StartTlsStatus.NotOffered, Reason = "The server did not advertise STARTTLS.", StartTlsOffered = false,
                Banner = $"{host} ESMTP Postfix", CapabilitiesBeforeTls = List("PIPELINING; SIZE 10240000; VRFY; ETRN; 8BITMIME"),
                StartedAt = Now.AddMinutes(-4), ConnectMs = 1.0, GreetingMs = 2.0, TotalMs = 4.0, PlaintextBytesSent = 22, PlaintextBytesReceived = 120, PlaintextRoundTrips = 1,
            };
            result.Findings = FindingAnalyzer.Analyze(result, null, Now.UtcDateTime);
            return result;
        }

        /// <summary>A healthy dialogue whose certificate expires in <paramref name="days"/> (negative: expired).</summary>
        public static StartTlsResult Expiring(string host, int port, int days)
        {
            StartTlsResult result = Healthy(host, port, days);
            if (days < 0)
            {
                result.CertificateValid = false;
                result.CertificateError = "The certificate expired on " + result.CertificateNotAfter!.Value.ToString("yyyy-MM-dd") + ".";
            }
            result.Findings = FindingAnalyzer.Analyze(result, null, Now.UtcDateTime);
            return result;
        }

        public static StartTlsResult Imap(string host = "imap.example.com", int port = 143)
        {
            StartTlsResult result = Healthy(host, port);
            result.Protocol = StartTlsProtocol.Imap;
            result.StartTlsReply = ". OK Begin TLS negotiation now.";
            result.Banner = "* OK [CAPABILITY IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+ STARTTLS AUTH=PLAIN] Dovecot (Debian) ready.";
            result.CapabilitiesBeforeTls = List("IMAP4rev1; SASL-IR; LOGIN-REFERRALS; ID; ENABLE; IDLE; LITERAL+; STARTTLS; AUTH=PLAIN");
            result.CapabilitiesAfterTls = List("IMAP4rev1; SASL-IR; LOGIN-REFERRALS; ID; ENABLE; IDLE; LITERAL+; AUTH=PLAIN");
            result.Findings = FindingAnalyzer.Analyze(result, null, Now.UtcDateTime);
            return result;
        }

        /// <summary>A capability scan of a legacy server (TLS 1.0-1.3, weak and insecure suites) with its rows.</summary>
        public static (TlsCapabilitySummary Summary, IReadOnlyList<TlsCipherSuiteResult> Suites) Legacy(string host = "legacy.example.com", int port = 25)
        {
            var picks = new[] { 0x1301, 0x1302, 0xC02F, 0xC030, 0xC013, 0x002F, 0x000A };
            var suites = new List<TlsCipherSuiteResult>();
            foreach (TlsProtocolVersion version in new[] { TlsProtocolVersion.Tls13, TlsProtocolVersion.Tls12, TlsProtocolVersion.Tls10 })
            {
                int rank = 0;
                foreach (CipherSuite s in picks.Select(CipherSuiteRegistry.Get).Where(s => version == TlsProtocolVersion.Tls13 ? s.IsTls13 : !s.IsTls13 && s.LowestVersion <= version))
                    suites.Add(new TlsCipherSuiteResult
                    {
                        HostName = host, Port = port, Protocol = StartTlsProtocol.Smtp, TlsVersion = TlsConstants.Name(version),
                        CipherSuite = s.IanaName, OpenSslName = s.OpenSslName, Code = s.CodeText, KeyExchange = s.KeyExchange,
                        Authentication = s.Authentication, Encryption = s.Encryption, Bits = s.Bits, Mode = s.Mode, Mac = s.Mac,
                        ForwardSecrecy = s.ForwardSecrecy, Rating = s.Rating, PreferenceRank = ++rank,
                    });
            }
            var summary = new TlsCapabilitySummary
            {
                HostName = host, Port = port, Protocol = StartTlsProtocol.Smtp, IPAddress = "192.0.2.30", Status = TlsCapabilityStatus.Success,
                Reason = "Every probe ran.", VersionsAccepted = "TLSv1.0; TLSv1.2; TLSv1.3", LowestVersion = "TLSv1.0", HighestVersion = "TLSv1.3",
                CipherSuitesAccepted = suites.Count, ServerOrder = "TLSv1.0=Client; TLSv1.2=Client; TLSv1.3=Client", Tls13Groups = "x25519; secp256r1",
                EcdheCurves = "x25519; secp256r1", WeakestRating = suites.Min(s => s.Rating), CertificateSubject = $"CN={host}",
                CertificateIssuer = "CN=Example CA", CertificateNotAfter = Now.UtcDateTime.AddDays(200), CertificateValid = true,
                ConnectionsOpened = 40, DurationMs = 512, StartedAt = Now.AddMinutes(-3),
            };
            summary.Findings = CapabilityFindingAnalyzer.Analyze(summary, suites);
            return (summary, suites);
        }

        public static StartTlsInjectionResult Injection(string host, int port, InjectionVerdict verdict) => new StartTlsInjectionResult
        {
            HostName = host, Port = port, Protocol = StartTlsProtocol.Smtp, IPAddress = "192.0.2.25", Verdict = verdict,
            Status = StartTlsStatus.Success, Reason = verdict == InjectionVerdict.Vulnerable ? "The server answered the injected command over TLS." : "Nothing arrived over TLS within 1 s.",
            InjectedCommand = "EHLO client.example", SanityCheck = StartTlsStatus.Success, StartTlsReply = "220 2.0.0 Ready to start TLS",
            TlsVersion = TlsProtocolVersion.Tls13, CipherSuite = "TLS_AES_256_GCM_SHA384", WaitSeconds = 1,
            Evidence = verdict == InjectionVerdict.Vulnerable ? "250-mail.example.com | 250 CHUNKING" : null,
            LinesReceivedOverTls = verdict == InjectionVerdict.Vulnerable ? 2 : 0, StartedAt = Now.AddMinutes(-2), TotalMs = 1020,
        };

        /// <summary>A typed list from its "; "-joined text, as the engine would have built it.</summary>
        public static TextList List(string joined) => new TextList(joined.Split(new[] { TextList.Separator }, System.StringSplitOptions.None));

        public static SmtpAuthResult Auth(string host, int port, SmtpAuthStatus status) => new SmtpAuthResult
        {
            HostName = host, Port = port, UserName = "alice", Status = status, Succeeded = status == SmtpAuthStatus.Succeeded,
            Reason = status == SmtpAuthStatus.Succeeded ? "235 2.7.0 Authentication successful" : "535 5.7.8 Error: authentication failed",
            CredentialsSent = true, ReplyCode = status == SmtpAuthStatus.Succeeded ? 235 : 535, EnhancedStatusCode = status == SmtpAuthStatus.Succeeded ? "2.7.0" : "5.7.8",
            MechanismsAfterTls = List("PLAIN; LOGIN"), TlsStatus = StartTlsStatus.Success, StartTlsOffered = true, TlsEstablished = true,
            TlsVersion = TlsProtocolVersion.Tls13, CipherSuite = "TLS_AES_256_GCM_SHA384", CertificateValid = true, StartedAt = Now.AddMinutes(-1), TotalMs = 30,
        };

        public static ImplicitVsStartTlsComparison Comparison(string host, int startTlsPort = 587, int implicitPort = 465) => new ImplicitVsStartTlsComparison
        {
            HostName = host, Protocol = StartTlsProtocol.Submission, Samples = 3, StartedAt = Now.AddMinutes(-1),
            StartTlsPort = startTlsPort, StartTlsReachable = true, StartTlsStatus = StartTlsStatus.Success, StartTlsReason = "STARTTLS upgraded the connection to TLS.",
            StartTlsSuccessfulSamples = 3, StartTlsMedianMs = 31.2, StartTlsMinMs = 29.8, StartTlsMaxMs = 40.1, StartTlsRoundTrips = 2,
            StartTlsPlaintextBytesSent = 55, StartTlsPlaintextBytesReceived = 251, StartTlsExposedBanner = $"{host} ESMTP Postfix",
            StartTlsExposedSoftware = "Postfix", StartTlsExposedCapabilities = List("PIPELINING; SIZE 10240000; STARTTLS"),
            StartTlsTlsVersion = TlsProtocolVersion.Tls13, StartTlsCipherSuite = "TLS_AES_256_GCM_SHA384", StartTlsCertificateValid = true,
            ImplicitPort = implicitPort, ImplicitReachable = true, ImplicitStatus = StartTlsStatus.Success, ImplicitReason = "Implicit TLS connected.",
            ImplicitSuccessfulSamples = 3, ImplicitMedianMs = 22.4, ImplicitMinMs = 21.0, ImplicitMaxMs = 25.3, ImplicitRoundTrips = 0,
            ImplicitPlaintextBytesSent = 0, ImplicitPlaintextBytesReceived = 0, ImplicitTlsVersion = TlsProtocolVersion.Tls13,
            ImplicitCipherSuite = "TLS_AES_256_GCM_SHA384", ImplicitCertificateValid = true, SameCertificate = true, SameTlsVersion = true, SameCipherSuite = true,
            Recommendation = "Both work. Prefer implicit TLS on port 465: RFC 8314 section 3.3 recommends implicit TLS for Submission.", TotalMs = 160,
        };

        /// <summary>
        /// A fleet run as a mail team would report it: every target tested with Test-StartTls (most healthy, some without
        /// STARTTLS, some with certificates expiring or expired); with <paramref name="scanEvery"/> &gt; 0, every so many
        /// targets also scanned (summary and suite rows) and probed for injection.
        /// </summary>
        public static List<object> Fleet(int targets, int scanEvery = 10)
        {
            var results = new List<object>();
            for (int i = 0; i < targets; i++)
            {
                string host = $"mx{i:D4}.customer{i % 37}.example";
                int port = i % 3 == 0 ? 587 : 25;
                results.Add(i % 20 == 7 ? NotOffered(host, port) : i % 10 == 3 ? Expiring(host, port, i % 40 - 8) : Healthy(host, port, 30 + i % 300));
                if (scanEvery > 0 && i % scanEvery == 0)
                {
                    var (summary, suites) = Legacy(host, port);
                    results.Add(summary);
                    results.AddRange(suites);
                    results.Add(Injection(host, port, InjectionVerdict.NotVulnerable));
                }
            }
            return results;
        }
    }
}
