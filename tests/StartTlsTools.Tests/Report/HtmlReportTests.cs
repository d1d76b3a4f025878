using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using AngleSharp.Dom;
using StartTlsTools.Reporting;

namespace StartTlsTools.Tests.Report
{
    /// <summary>The rendered page, read back with a real HTML5 parser: every section, self-containment, escaping, the static table.</summary>
    public class HtmlReportTests
    {
        private static List<object> Mixed()
        {
            var (summary, suites) = ReportSamples.Legacy("legacy.example.com", 25);
            var input = new List<object>
            {
                ReportSamples.Healthy("mx1.example.com", 25),
                ReportSamples.NotOffered("old.example.com", 25),
                ReportSamples.Expiring("soon.example.com", 25, 12),
                ReportSamples.Imap("imap.example.com", 143),
                ReportSamples.Healthy("legacy.example.com", 25),
                summary,
                ReportSamples.Injection("mx1.example.com", 25, InjectionVerdict.NotVulnerable),
                ReportSamples.Auth("smtp.example.com", 587, SmtpAuthStatus.Succeeded),
                ReportSamples.Comparison("smtp.example.com"),
                "an unknown object",
            };
            input.AddRange(suites);
            return input;
        }

        [Fact]
        public void Mail_domain_rows_become_mx_targets_with_their_dane_and_mta_sts_verdicts()
        {
            var row = new MailDomainResult
            {
                Domain = "contoso.example", MxSummary = "2 MX records", MxDnssec = StartTlsTools.Resolution.DnssecStatus.Secure,
                MailExchangers = ReportSamples.List("10 mx1.contoso.example; 20 mx2.contoso.example"), Preference = 10,
                HostName = "mx1.contoso.example", IPAddress = "192.0.2.10", Status = StartTlsStatus.Success, Reason = "STARTTLS upgraded the connection to TLS.",
                StartTlsOffered = true, TlsRequired = false, TlsRequiredEvidence = "MAIL FROM:<> before STARTTLS was answered 250",
                TlsVersion = TlsProtocolVersion.Tls13, CipherSuite = "TLS_AES_256_GCM_SHA384", CertificateValid = true,
                CertificateSubject = "CN=mx1.contoso.example", CertificateNotAfter = ReportSamples.Now.UtcDateTime.AddDays(40),
                DaneStatus = StartTlsTools.MailDomain.DaneStatus.Mismatch, DaneReason = "no TLSA record matches the presented chain",
                TlsaRecords = ReportSamples.List("3 1 1 0123abcd"), TlsaDnssec = StartTlsTools.Resolution.DnssecStatus.Secure,
                MtaStsStatus = MtaStsStatus.Valid, MtaStsMode = StartTlsTools.MailDomain.MtaStsMode.Enforce, MtaStsMxPatterns = ReportSamples.List("*.contoso.example"),
                MtaStsMxCovered = true, MtaStsCompliant = true, TlsRptStatus = TlsRptStatus.Valid, TlsRptUris = ReportSamples.List("mailto:tlsrpt@contoso.example"),
                StartedAt = ReportSamples.Now,
                Findings = new FindingList(new[] { new Finding("DaneMismatch", FindingSeverity.High, "No TLSA record matches", "d", "RFC 7672") }),
            };
            var (model, page, _) = Render(new object[] { row });

            ReportTarget target = Assert.Single(model.Targets);
            Assert.Equal("mx1.contoso.example:25", target.DisplayName);
            Assert.False(target.Healthy);
            Assert.Equal(40, target.CertificateDaysToExpiry);
            IElement section = page.Document.GetElementById(target.Anchor)!;
            Assert.Contains("Mismatch: no TLSA record matches the presented chain", Field(section, "DANE"));
            Assert.Equal(new[] { "3 1 1 0123abcd" }, Items(section, "TLSA records (DNSSEC Secure)"));
            Assert.Equal("Valid, mode Enforce", Field(section, "MTA-STS"));
            Assert.Equal(new[] { "10 mx1.contoso.example", "20 mx2.contoso.example" }, Items(section, "Mail exchangers"));
            Assert.Contains("DaneMismatch", section.TextContent);
        }

        private static (ReportModel Model, ReportHtml Page, string Html) Render(IEnumerable<object> input, ReportContext? context = null)
        {
            var builder = new ReportBuilder();
            foreach (object o in input) builder.Add(o);
            ReportModel model = builder.Build(context ?? ReportSamples.Context());
            string html = HtmlReport.Render(model);
            return (model, ReportHtml.Parse(html), html);
        }

        [Fact]
        public void The_page_is_valid_html5_with_every_section()
        {
            var (model, page, _) = Render(Mixed());

            Assert.Empty(page.ParseErrors);
            Assert.Equal("Sample report", page.Document.Title);
            Assert.Equal("en", page.One("html").GetAttribute("lang"));
            foreach (string heading in new[] { "h-sum", "h-charts", "h-targets", "h-findings", "h-detail" })
                Assert.Equal(heading, page.One("section[aria-labelledby=" + heading + "] h2").Id);
            Assert.Equal(4, page.All("figure svg[role=img]").Length);
            Assert.Equal(model.Targets.Count, page.All("section.t").Length);
            Assert.Equal(6, model.Targets.Count);
        }

        [Fact]
        public void Headline_shows_targets_health_and_findings_by_severity()
        {
            var (model, page, _) = Render(Mixed());
            var stats = page.All("section[aria-labelledby=h-sum] ul.stats li").Select(li => li.TextContent).ToList();

            Assert.Equal($"{model.Targets.Count}targets", stats[0]);
            Assert.Equal($"{model.HealthyCount}\u2714 healthy", stats[1]);
            Assert.Equal($"{model.NotHealthyCount}\u2718 not healthy", stats[2]);
            Assert.Equal($"{model.NoVerdictCount}\u2013 no verdict", stats[3]);
            Assert.Equal($"{model.FindingsBySeverity[FindingSeverity.High]}High", stats[5]);
            Assert.True(model.FindingsBySeverity[FindingSeverity.High] > 0);
            Assert.Contains("1 object was not recognised", page.One("div.notice").TextContent);
            Assert.Contains("System.String: 1", page.One("div.notice li").TextContent);
        }

        [Fact]
        public void Charts_carry_their_numbers_as_text()
        {
            var (model, page, _) = Render(Mixed());

            IElement versions = page.One("figure[aria-labelledby=c-ver-c]");
            var row = versions.QuerySelectorAll("details tbody tr").Single(r => r.Children[0].TextContent == "TLSv1.0");
            Assert.Equal(new[] { "1", "0" }, row.Children.Skip(1).Select(c => c.TextContent));
            Assert.Contains(versions.QuerySelectorAll("svg text"), t => t.TextContent == "TLSv1.0 (legacy)");

            IElement ratings = page.One("figure[aria-labelledby=c-rat-c]");
            var weak = ratings.QuerySelectorAll("details tbody tr").Single(r => r.Children[0].TextContent == "Weak");
            Assert.Equal(new[] { "1", "1", "0" }, weak.Children.Skip(1).Select(c => c.TextContent));

            IElement expiry = page.One("figure[aria-labelledby=c-exp-c]");
            Assert.Contains(expiry.QuerySelectorAll("svg text"), t => t.TextContent == "warning: 30 days");
            Assert.Contains(expiry.QuerySelectorAll("svg path title"), t => t.TextContent == "soon.example.com:25: 12 days");
            var within = expiry.QuerySelectorAll("details tbody tr").Single(r => r.Children[0].TextContent == "Within 30 days");
            Assert.Equal("1", within.Children[1].TextContent);

            IElement findings = page.One("figure[aria-labelledby=c-fid-c]");
            Assert.Equal(model.FindingsById.Count, findings.QuerySelectorAll("svg g").Length);
            Assert.Contains(findings.QuerySelectorAll("svg text"), t => t.TextContent == "StartTlsNotOffered");
            Assert.Contains(findings.QuerySelectorAll("svg text.v"), t => t.TextContent == "1 \u00B7 High");
        }

        [Fact]
        public void The_target_table_has_one_row_per_target_linking_to_its_detail_and_works_without_script()
        {
            var (model, page, _) = Render(Mixed());
            var rows = page.All("#targets tbody tr");

            Assert.Equal(model.Targets.Count, rows.Length);
            Assert.Equal(9, page.All("#targets thead th[scope=col]").Length);
            Assert.Empty(page.All("#targets thead button"));
            Assert.True(page.One("#controls").HasAttribute("hidden"));
            foreach (var (row, target) in rows.Zip(model.Targets))
            {
                var link = row.QuerySelector("th a")!;
                Assert.Equal("#" + target.Anchor, link.GetAttribute("href"));
                Assert.Equal(target.DisplayName, link.TextContent);
                Assert.NotNull(page.Document.GetElementById(target.Anchor));
            }
            var old = rows[1];
            Assert.Equal("bad", old.GetAttribute("data-h"));
            Assert.Equal("3", old.GetAttribute("data-s"));
            Assert.Equal("\u2718 Not healthy", old.Children[3].TextContent);
            Assert.Equal("High 1", old.Children[7].TextContent);
            Assert.Equal("12 \u26A0 soon", rows[2].Children[6].TextContent);
            Assert.Equal("Weak", rows[4].Children[5].TextContent);
            Assert.Equal("Recommended (negotiated)", rows[0].Children[5].TextContent);
        }

        [Fact]
        public void Detail_shows_dialogue_chain_capabilities_and_each_finding_with_its_reference()
        {
            var input = Mixed();
            var (model, page, _) = Render(input);
            var imap = (StartTlsResult)input[3];
            IElement section = page.Document.GetElementById(model.Targets.Single(t => t.HostName == "imap.example.com").Anchor)!;

            string text = section.TextContent;
            Assert.Contains(imap.Banner!, text);
            Assert.Contains(imap.StartTlsReply!, text);
            Assert.All(imap.CertificateChainStatus!, element => Assert.Contains(element, text));
            Assert.Equal(imap.CapabilitiesBeforeTls!, Items(section, "Before TLS"));
            Assert.Equal(imap.CapabilitiesAfterTls!, Items(section, "After TLS"));
            Assert.Equal(imap.CertificateChainStatus!, Items(section, "Chain"));
            Assert.Equal("yes", Field(section, "Valid"));
            var findingRows = section.QuerySelectorAll("table.findings tbody tr");
            Assert.Equal(imap.Findings.Count, findingRows.Length);
            Assert.NotEmpty(imap.Findings);
            foreach (var (row, finding) in findingRows.Zip(imap.Findings.OrderByDescending(f => f.Severity)))
            {
                Assert.Equal(finding.Severity.ToString(), row.Children[0].TextContent);
                Assert.Equal(finding.Title + finding.Id, row.Children[1].TextContent);
                Assert.Equal(finding.Detail, row.Children[2].TextContent);
                Assert.Equal(finding.Reference, row.Children[3].TextContent);
            }

            IElement legacy = page.Document.GetElementById(model.Targets.Single(t => t.HostName == "legacy.example.com").Anchor)!;
            Assert.Contains("TLS versions and cipher suites accepted", legacy.TextContent);
            Assert.Equal(((TlsCapabilitySummary)input[5]).CipherSuitesAccepted, legacy.QuerySelectorAll("table.suites tbody tr").Length);
            IElement smtp = page.Document.GetElementById(model.Targets.Single(t => t.HostName == "smtp.example.com").Anchor)!;
            Assert.Contains("SMTP AUTH PLAIN", smtp.TextContent);
            Assert.Contains("Implicit TLS compared with STARTTLS", smtp.TextContent);
            Assert.Contains("RFC 8314 section 3.3", smtp.TextContent);
        }

        [Fact]
        public void The_command_time_and_version_that_made_it_are_on_the_page()
        {
            var context = ReportSamples.Context();
            context.ProducedBy = "StartTlsTools " + ReportContext.ModuleVersion + " (PowerShell 7.6.10)";
            var (_, page, _) = Render(Mixed(), context);
            string header = page.One("header").TextContent;
            Assert.Contains("2026-12-01 12:00:00 +00:00", header);
            Assert.Contains(context.CommandLine, page.One("header code").TextContent);
            Assert.Contains("StartTlsTools " + typeof(StartTlsResult).Assembly.GetName().Version!.ToString(3), header);
            Assert.Equal(context.ProducedBy, page.One("meta[name=generator]").GetAttribute("content"));
        }

        [Fact]
        public void The_page_loads_nothing_and_allows_only_its_own_style_and_script()
        {
            var (_, page, html) = Render(Mixed());

            foreach (IElement element in page.All("*"))
            {
                Assert.False(element.HasAttribute("src"), element.OuterHtml);
                Assert.DoesNotContain(element.Attributes, a => a.Name.StartsWith("on", StringComparison.OrdinalIgnoreCase));
                string? href = element.GetAttribute("href");
                if (href != null && element.LocalName == "a") Assert.StartsWith("#", href);
            }
            Assert.Equal("data:,", page.One("link[rel=icon]").GetAttribute("href"));
            Assert.Single(page.All("link"));
            Assert.Single(page.All("script"));
            Assert.Single(page.All("style"));
            Assert.DoesNotContain("url(http", html, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("@import", html);

            string csp = page.One("meta[http-equiv=Content-Security-Policy]").GetAttribute("content")!;
            Assert.StartsWith("default-src 'none';", csp);
            Assert.Contains("script-src '" + Sha256(page.One("script").TextContent) + "'", csp);
            Assert.Contains("style-src '" + Sha256(page.One("style").TextContent) + "'", csp);
            Assert.DoesNotContain("unsafe", csp);
        }

        [Fact]
        public void Server_strings_are_text_in_elements_and_attributes()
        {
            StartTlsResult hostile = ReportSamples.Healthy("evil.example.com");
            hostile.Banner = "<script>alert(1)</script> ESMTP";
            hostile.CapabilitiesBeforeTls = ReportSamples.List("\"><img src=x onerror=alert(2)>; STARTTLS");
            hostile.CertificateSubject = "CN=</title></style></script><b id=x>";
            hostile.StartTlsReply = "220 \u0000\u001b[31m\u2028\u0085 ready";
            var context = ReportSamples.Context();
            context.Title = "Report \"<i>quoted</i>\" & 'single'";
            var (_, page, _) = Render(new object[] { hostile }, context);

            Assert.Empty(page.ParseErrors);
            Assert.Single(page.All("script"));
            Assert.Empty(page.All("img"));
            Assert.Empty(page.All("b#x"));
            Assert.Empty(page.All("header i"));
            Assert.Equal(context.Title, page.Document.Title);
            Assert.Contains(hostile.Banner, page.One("section.t").TextContent);
            Assert.Equal(hostile.CapabilitiesBeforeTls, Items(page.One("section.t"), "Before TLS"));
            // Control characters become visible stand-ins (Control Pictures), C1 controls the replacement character.
            Assert.Contains("220 \u2400\u241b[31m\u2028\uFFFD ready", page.One("section.t").TextContent);
        }

        [Fact]
        public void Only_a_whole_https_reference_becomes_a_link()
        {
            StartTlsResult result = ReportSamples.NotOffered();
            result.Findings = new FindingList(new[]
            {
                new Finding("Linked", FindingSeverity.Low, "t", "d", "https://www.rfc-editor.org/rfc/rfc8314"),
                new Finding("Script", FindingSeverity.Low, "t", "d", "javascript:alert(1)"),
                new Finding("Quoted", FindingSeverity.Low, "t", "d", "https://x.example/\" onmouseover=\"alert(1)"),
            });
            var (_, page, _) = Render(new object[] { result });

            var links = page.All("section.t a[rel=noreferrer]");
            Assert.Equal("https://www.rfc-editor.org/rfc/rfc8314", Assert.Single(links).GetAttribute("href"));
            Assert.Contains("javascript:alert(1)", page.One("section.t").TextContent);
            Assert.Empty(page.All("[onmouseover]"));
        }

        [Fact]
        public void Empty_input_is_a_valid_page_that_says_so()
        {
            var (_, page, _) = Render(Array.Empty<object>());
            Assert.Empty(page.ParseErrors);
            Assert.Contains("No results were given", page.One("section[aria-labelledby=h-sum]").TextContent);
            Assert.Equal("No targets.", page.One("#targets tbody td").TextContent);
            Assert.Equal(4, page.All("figure svg").Length);
            Assert.Contains(page.All("figure svg text"), t => t.TextContent == "No data");
            Assert.Equal("No findings.", page.One("section[aria-labelledby=h-findings] p").TextContent);
        }

        [Fact]
        public void Long_values_are_cut_with_a_note_and_the_page_stays_whole()
        {
            StartTlsResult result = ReportSamples.Healthy();
            result.Banner = new string('<', 70000);
            var (_, page, html) = Render(new object[] { result });
            var banner = page.All("dl.kv dd.m").First(d => d.TextContent.StartsWith("<<<", StringComparison.Ordinal));
            Assert.Equal(HtmlText.DefaultMaxLength, banner.TextContent.IndexOf(' '));
            Assert.EndsWith($"[{70000 - HtmlText.DefaultMaxLength} more characters not shown]", banner.TextContent);
            Assert.True(html.Length < 200_000);
            Assert.Empty(page.ParseErrors);
        }

        /// <summary>The value after a dt label in a section's detail lists.</summary>
        private static string Field(IElement section, string label) =>
            section.QuerySelectorAll("dl.kv dt").Single(dt => dt.TextContent == label).NextElementSibling!.TextContent;

        private static string[] Items(IElement section, string label) =>
            section.QuerySelectorAll("dl.kv dt").Single(dt => dt.TextContent == label).NextElementSibling!.QuerySelectorAll("li").Select(li => li.TextContent).ToArray();

        private static string Sha256(string text) => "sha256-" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }
}
