using System;
using System.Collections.Generic;
using System.Linq;
using StartTlsTools.Probing;
using StartTlsTools.Reporting;

namespace StartTlsTools.Tests.Report
{
    /// <summary>How results become targets: grouping, health, versions, ratings, certificates, findings, and what is left out.</summary>
    public class ReportModelTests
    {
        [Fact]
        public void Results_about_the_same_host_and_port_are_one_target_in_input_order()
        {
            var (summary, suites) = ReportSamples.Legacy("mx1.example.com", 25);
            var input = new List<object> { ReportSamples.Healthy("MX1.Example.com", 25), ReportSamples.Healthy("mx2.example.com", 25), summary };
            input.AddRange(suites);
            input.Add(ReportSamples.Injection("mx1.example.com", 25, InjectionVerdict.NotVulnerable));
            input.Add(ReportSamples.Healthy("mx1.example.com", 587));

            ReportModel model = ReportSamples.Model(input);

            Assert.Equal(new[] { "MX1.Example.com:25", "mx2.example.com:25", "mx1.example.com:587" }, model.Targets.Select(t => t.DisplayName));
            Assert.Equal(new[] { "t1", "t2", "t3" }, model.Targets.Select(t => t.Anchor));
            ReportTarget first = model.Targets[0];
            Assert.Equal(new[] { "Test-StartTls", "Get-TlsCapability", "Test-StartTlsInjection" }, first.Checks);
            Assert.Equal(3 + suites.Count, first.ResultCount);
            Assert.Equal(input.Count, model.ResultCount);
            Assert.Equal(0, model.UnrecognizedCount);
        }

        [Fact]
        public void Objects_of_other_types_are_counted_by_type_and_null_is_ignored()
        {
            var builder = new ReportBuilder();
            Assert.True(builder.Add(ReportSamples.Healthy()));
            Assert.False(builder.Add("a string"));
            Assert.False(builder.Add("another"));
            Assert.False(builder.Add(42));
            Assert.False(builder.Add(null));
            builder.AddUnrecognized("JSON object with Name, Value");

            ReportModel model = builder.Build(ReportSamples.Context());

            Assert.Single(model.Targets);
            Assert.Equal(4, model.UnrecognizedCount);
            Assert.Equal(new[] { "System.String", "System.Int32", "JSON object with Name, Value" }, model.Unrecognized.Select(u => u.Key));
            Assert.Equal(new[] { 2, 1, 1 }, model.Unrecognized.Select(u => u.Value));
        }

        [Fact]
        public void Empty_input_is_an_empty_model()
        {
            ReportModel model = new ReportBuilder().Build(ReportSamples.Context());
            Assert.Empty(model.Targets);
            Assert.Equal(0, model.ResultCount + model.HealthyCount + model.NotHealthyCount + model.NoVerdictCount + model.UnrecognizedCount);
            Assert.All(model.FindingsBySeverity.Values, count => Assert.Equal(0, count));
            Assert.Equal(5, model.FindingsBySeverity.Count);
            Assert.Empty(model.FindingsById);
        }

        [Fact]
        public void Healthy_means_every_result_with_a_verdict_says_so()
        {
            var (summary, suites) = ReportSamples.Legacy("scan-only.example.com", 25);
            var model = ReportSamples.Model(new object[]
            {
                ReportSamples.Healthy("ok.example.com"),
                ReportSamples.NotOffered("plain.example.com"),
                ReportSamples.Healthy("vuln.example.com"), ReportSamples.Injection("vuln.example.com", 25, InjectionVerdict.Vulnerable),
                ReportSamples.Injection("unsure.example.com", 25, InjectionVerdict.Inconclusive),
                suites[0],
                ReportSamples.Expiring("expired.example.com", 25, -3),
                ReportSamples.Auth("auth.example.com", 587, SmtpAuthStatus.AuthenticationFailed),
            });
            var byHost = model.Targets.ToDictionary(t => t.HostName);

            Assert.True(byHost["ok.example.com"].Healthy);
            Assert.False(byHost["plain.example.com"].Healthy);
            Assert.Equal(new[] { "Test-StartTls: NotOffered" }, byHost["plain.example.com"].NotHealthyBecause);
            Assert.False(byHost["vuln.example.com"].Healthy);
            Assert.Equal(new[] { "Test-StartTlsInjection: Vulnerable" }, byHost["vuln.example.com"].NotHealthyBecause);
            Assert.Null(byHost["unsure.example.com"].Healthy);
            Assert.Null(byHost["scan-only.example.com"].Healthy);
            Assert.False(byHost["expired.example.com"].Healthy);
            Assert.Contains("certificate is not valid", byHost["expired.example.com"].NotHealthyBecause.Single());
            Assert.False(byHost["auth.example.com"].Healthy);
            Assert.Equal((1, 4, 2), (model.HealthyCount, model.NotHealthyCount, model.NoVerdictCount));
        }

        [Fact]
        public void Status_protocol_and_certificate_come_from_the_most_telling_result_whatever_the_order()
        {
            var (summary, suites) = ReportSamples.Legacy("mx.example.com", 25);
            var test = ReportSamples.Expiring("mx.example.com", 25, 12);
            var model = ReportSamples.Model(new object[] { suites[0], ReportSamples.Injection("mx.example.com", 25, InjectionVerdict.NotVulnerable), summary, test });
            ReportTarget target = Assert.Single(model.Targets);

            Assert.Equal("Success", target.Status);
            Assert.Equal("Smtp", target.Protocol);
            Assert.Equal(12, target.CertificateDaysToExpiry);
            Assert.Equal(test.CertificateSubject, target.CertificateSubject);
            Assert.Equal(new[] { "Test-StartTls", "Get-TlsCapability", "Test-StartTlsInjection" }, target.Checks);
        }

        [Fact]
        public void A_scan_alone_gives_days_to_expiry_counted_to_the_report_time()
        {
            var (summary, _) = ReportSamples.Legacy("mx.example.com", 25);
            summary.CertificateNotAfter = ReportSamples.Now.UtcDateTime.AddDays(45.5);
            ReportTarget target = Assert.Single(ReportSamples.Model(new object[] { summary }).Targets);
            Assert.Equal(45, target.CertificateDaysToExpiry);
            Assert.Equal("Success", target.Status);
        }

        [Fact]
        public void Versions_and_the_weakest_rating_come_from_the_scan_when_there_is_one_else_from_the_connection()
        {
            var (summary, suites) = ReportSamples.Legacy("scanned.example.com", 25);
            var input = new List<object> { ReportSamples.Healthy("scanned.example.com"), summary, ReportSamples.Healthy("tested.example.com") };
            input.AddRange(suites);
            var model = ReportSamples.Model(input);
            ReportTarget scanned = model.Targets[0], tested = model.Targets[1];

            Assert.Equal(new[] { TlsProtocolVersion.Tls10, TlsProtocolVersion.Tls12, TlsProtocolVersion.Tls13 }, scanned.AcceptedVersions.OrderBy(v => v));
            Assert.Equal(new[] { TlsProtocolVersion.Tls13 }, scanned.NegotiatedVersions);
            Assert.True(scanned.WeakestRatingFromScan);
            Assert.Equal(suites.Min(s => s.Rating), scanned.WeakestRating);
            Assert.Equal(CipherRating.Weak, scanned.WeakestRating);

            Assert.Empty(tested.AcceptedVersions);
            Assert.False(tested.WeakestRatingFromScan);
            Assert.Equal(CipherRating.Recommended, tested.WeakestRating);
            Assert.Equal(TlsProtocolVersion.Tls13, tested.HighestVersion);
        }

        [Fact]
        public void Findings_count_once_per_target_by_severity_and_by_id()
        {
            var (summary, suites) = ReportSamples.Legacy("legacy.example.com", 25);
            var model = ReportSamples.Model(new object[]
            {
                ReportSamples.NotOffered("a.example.com"), ReportSamples.NotOffered("b.example.com"),
                ReportSamples.NotOffered("a.example.com"), // the same finding again for the same target: once
                summary,
            });

            var notOffered = model.FindingsById.Single(f => f.Id == FindingAnalyzer.StartTlsNotOffered);
            Assert.Equal(2, notOffered.Targets);
            Assert.Equal(FindingSeverity.High, notOffered.Severity);
            Assert.Equal(FindingAnalyzer.StartTlsNotOffered, model.FindingsById[0].Id);
            int instances = model.Targets.Sum(t => t.Findings.Count);
            Assert.Equal(instances, model.FindingsBySeverity.Values.Sum());
            Assert.Equal(summary.Findings.Count + 2, instances);
            Assert.Equal(FindingSeverity.High, model.Targets[0].WorstSeverity);
            Assert.Null(ReportSamples.Model(new object[] { ReportSamples.Healthy() }).Targets[0].WorstSeverity);
        }

        [Fact]
        public void A_comparison_is_about_its_starttls_port_and_an_auth_result_does_not_override_the_protocol()
        {
            var model = ReportSamples.Model(new object[]
            {
                ReportSamples.Auth("smtp.example.com", 587, SmtpAuthStatus.Succeeded),
                ReportSamples.Comparison("smtp.example.com", 587, 465),
            });
            ReportTarget target = Assert.Single(model.Targets);
            Assert.Equal(587, target.Port);
            Assert.Equal("Submission", target.Protocol);
            Assert.Equal("STARTTLS Success, implicit Success", target.Status);
            Assert.True(target.Healthy);
            Assert.Equal(new[] { "Compare-ImplicitVsStartTls", "Invoke-SmtpAuthPlain" }, target.Checks);
        }

        [Fact]
        public void Every_known_type_is_named_by_its_json_signature_alone()
        {
            Assert.Equal(9, ReportBuilder.KnownTypes.Count);
            foreach (ReportResultType type in ReportBuilder.KnownTypes)
            {
                var own = type.Type.GetProperties().Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
                Assert.True(type.JsonSignature.All(own.Contains), $"{type.Type.Name}'s signature names a property it does not have");
                foreach (ReportResultType other in ReportBuilder.KnownTypes.Where(t => t != type))
                {
                    var theirs = other.Type.GetProperties().Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
                    Assert.False(type.JsonSignature.All(theirs.Contains), $"{other.Type.Name} has all of {type.Type.Name}'s signature");
                }
                Assert.Same(type, ReportBuilder.FindType(type.Type.Name.ToLowerInvariant()));
                Assert.Same(type, ReportBuilder.FindType(type.Type.FullName!));
            }
            Assert.NotNull(ReportBuilder.FindType("MailDomainResult"));
            Assert.Null(ReportBuilder.FindType("PSCustomObject"));
        }

        [Fact]
        public void Ipv6_hosts_are_shown_in_brackets()
        {
            ReportTarget target = Assert.Single(ReportSamples.Model(new object[] { ReportSamples.Healthy("2001:db8::25", 25) }).Targets);
            Assert.Equal("[2001:db8::25]:25", target.DisplayName);
        }
    }
}
