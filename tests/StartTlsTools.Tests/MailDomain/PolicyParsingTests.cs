using System.Linq;
using StartTlsTools.MailDomain;

namespace StartTlsTools.Tests.MailDomain
{
    /// <summary>MTA-STS policies and TXT records (RFC 8461) and TLS-RPT records (RFC 8460), parsed without the network.</summary>
    public sealed class PolicyParsingTests
    {
        [Fact]
        public void A_valid_policy_parses_with_crlf_or_lf()
        {
            foreach (string eol in new[] { "\r\n", "\n" })
            {
                var policy = MtaStsPolicy.Parse(string.Join(eol, "version: STSv1", "mode: enforce", "mx: mail.example.com", "mx: *.example.net", "max_age: 604800", ""));
                Assert.True(policy.IsValid, string.Join("; ", policy.Problems));
                Assert.Equal(MtaStsMode.Enforce, policy.Mode);
                Assert.Equal(new[] { "mail.example.com", "*.example.net" }, policy.MxPatterns);
                Assert.Equal(604800, policy.MaxAgeSeconds);
            }
        }

        [Theory]
        [InlineData("version: STSv1\nmode: enforced\nmx: a.example\nmax_age: 1", "mode 'enforced'")]
        [InlineData("version: STSv2\nmode: enforce\nmx: a.example.com\nmax_age: 1", "not STSv1")]
        [InlineData("mode: enforce\nmx: a.example.com\nmax_age: 1", "no version")]
        [InlineData("version: STSv1\nmx: a.example.com\nmax_age: 1", "no mode")]
        [InlineData("version: STSv1\nmode: enforce\nmx: a.example.com", "no max_age")]
        [InlineData("version: STSv1\nmode: enforce\nmax_age: 86400", "no mx field")]
        [InlineData("version: STSv1\nmode: testing\nmx: a.example.com\nmax_age: 31557601", "over the maximum")]
        [InlineData("version: STSv1\nmode: testing\nmx: a.example.com\nmax_age: 12345678901", "1 to 10 digits")]
        [InlineData("version: STSv1\nmode: testing\nmx: a.example.com\nmax_age: -5", "1 to 10 digits")]
        [InlineData("version: STSv1\nmode: testing\nmx: a.example.com\nmax_age: forever", "1 to 10 digits")]
        [InlineData("version: STSv1\nmode: enforce\nmx: *mail.example.com\nmax_age: 1", "wildcard")]
        [InlineData("version: STSv1\nmode: enforce\nmx: mail.*.example.com\nmax_age: 1", "wildcard")]
        [InlineData("version: STSv1\nmode: enforce\nmx: not a name\nmax_age: 1", "not a domain name")]
        [InlineData("version: STSv1\nmode enforce\nmx: a.example.com\nmax_age: 1", "line 2 is not 'key: value'")]
        [InlineData("<html><body>Not found</body></html>", "not 'key: value'")]
        public void Malformed_policies_name_their_problem(string text, string problem)
        {
            var policy = MtaStsPolicy.Parse(text);
            Assert.False(policy.IsValid);
            Assert.Contains(policy.Problems, p => p.Contains(problem));
        }

        [Fact]
        public void Bounds_are_inclusive_and_mode_none_needs_no_mx()
        {
            Assert.True(MtaStsPolicy.Parse("version: STSv1\nmode: none\nmax_age: 31557600").IsValid);
            Assert.True(MtaStsPolicy.Parse("version: STSv1\nmode: none\nmax_age: 0").IsValid);
        }

        [Fact]
        public void Unknown_fields_are_ignored_and_the_first_of_a_repeated_field_counts()
        {
            var policy = MtaStsPolicy.Parse("version: STSv1\nmode: testing\nmode: enforce\nx-extension: 1\nmx: a.example.com\nmax_age: 60\nmax_age: 99999999999");
            Assert.True(policy.IsValid, string.Join("; ", policy.Problems));
            Assert.Equal(MtaStsMode.Testing, policy.Mode);
            Assert.Equal(60, policy.MaxAgeSeconds);
        }

        [Fact]
        public void A_policy_over_64_kib_is_refused_and_mx_lines_are_bounded()
        {
            string huge = "version: STSv1\nmode: enforce\nmax_age: 1\n" + string.Concat(Enumerable.Repeat("mx: a.example.com\n", 4000));
            var policy = MtaStsPolicy.Parse(huge);
            Assert.Contains(policy.Problems, p => p.Contains("64 KiB"));
            Assert.Contains(policy.Problems, p => p.Contains("more than 1000 mx lines"));
            Assert.Equal(MtaStsPolicy.MaxMxPatterns, policy.MxPatterns.Count);
        }

        [Theory]
        [InlineData("mail.example.com", "mail.example.com", true)]
        [InlineData("mail.example.com", "MAIL.Example.COM.", true)]
        [InlineData("mail.example.com", "mail2.example.com", false)]
        [InlineData("*.example.com", "mail.example.com", true)]
        [InlineData("*.example.com", "a.b.example.com", false)]
        [InlineData("*.example.com", "example.com", false)]
        [InlineData("*.example.com", "mailexample.com", false)]
        [InlineData("*.mail.example.com", "mx1.mail.example.com", true)]
        [InlineData("", "mail.example.com", false)]
        public void Mx_patterns_match_exactly_or_by_the_leftmost_label(string pattern, string host, bool matches) =>
            Assert.Equal(matches, MtaStsPolicy.MxMatches(pattern, host));

        [Fact]
        public void Mta_sts_txt_needs_exactly_one_v_stsv1_record_with_an_id()
        {
            Assert.Null(MtaStsTxtRecord.Parse(new[] { "v=spf1 -all" }));
            Assert.Equal("20240101", MtaStsTxtRecord.Parse(new[] { "v=spf1 -all", "v=STSv1; id=20240101;" })!.Id);
            Assert.Equal("abc", MtaStsTxtRecord.Parse(new[] { "v=STSv1;id=abc" })!.Id);
            Assert.Contains("exactly one", MtaStsTxtRecord.Parse(new[] { "v=STSv1; id=a", "v=STSv1; id=b" })!.Problem);
            Assert.Contains("no id", MtaStsTxtRecord.Parse(new[] { "v=STSv1;" })!.Problem);
            Assert.Contains("1 to 32", MtaStsTxtRecord.Parse(new[] { "v=STSv1; id=" + new string('a', 33) })!.Problem);
            Assert.Contains("1 to 32", MtaStsTxtRecord.Parse(new[] { "v=STSv1; id=a-b" })!.Problem);
            Assert.False(MtaStsTxtRecord.Parse(new[] { "v=STSv1x; id=a" })!.IsValid);
        }

        [Fact]
        public void Tls_rpt_accepts_mailto_and_https_only()
        {
            var good = TlsRptRecord.Parse(new[] { "v=TLSRPTv1; rua=mailto:tls@example.com!10m,https://report.example.com/tlsrpt" })!;
            Assert.True(good.IsValid, good.Problem);
            Assert.Equal(2, good.ReportingUris.Count);
            Assert.Null(TlsRptRecord.Parse(new[] { "v=spf1 -all" }));
            Assert.Contains("ftp://x.example", TlsRptRecord.Parse(new[] { "v=TLSRPTv1; rua=ftp://x.example" })!.Problem);
            Assert.False(TlsRptRecord.Parse(new[] { "v=TLSRPTv1; rua=mailto:nobody" })!.IsValid);
            Assert.False(TlsRptRecord.Parse(new[] { "v=TLSRPTv1; rua=https://" })!.IsValid);
            Assert.Contains("no rua", TlsRptRecord.Parse(new[] { "v=TLSRPTv1;" })!.Problem);
            Assert.Contains("exactly one", TlsRptRecord.Parse(new[] { "v=TLSRPTv1; rua=mailto:a@b.c", "v=TLSRPTv1; rua=mailto:d@e.f" })!.Problem);
            Assert.False(TlsRptRecord.Parse(new[] { "v=TLSRPTv1 rua=mailto:a@b.c" })!.IsValid);
        }
    }
}
