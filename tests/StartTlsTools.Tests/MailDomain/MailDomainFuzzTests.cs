using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using StartTlsTools.MailDomain;
using StartTlsTools.Resolution;
using StartTlsTools.Tests.Fuzz;
using static StartTlsTools.Tests.Fuzz.FuzzInputs;

namespace StartTlsTools.Tests.MailDomain
{
    /// <summary>
    /// The mail-domain parsers fed random, mutated and generated text with the fuzz runner's fixed seed, 100,000 cases
    /// each: they may not throw at all (their failures are Problems), and their results must keep their own contracts.
    /// </summary>
    [Collection(FuzzSuite.Name)]
    public sealed class MailDomainFuzzTests
    {
        private static readonly string[] PolicyLines =
        {
            "version: STSv1", "mode: enforce", "mode: testing", "mode: none", "mx: mail.example.com", "mx: *.example.net", "max_age: 604800",
            "max_age: 31557601", "mx: *", "mx: *.*.example", "version: STSv2", "x: y", ": value", "mx:", "max_age: 0000000000",
        };

        private static readonly IReadOnlyList<byte[]> PolicySeeds = new[]
        {
            Bytes("version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmx: *.example.net\r\nmax_age: 604800\r\n"),
            Bytes("version: STSv1\nmode: none\nmax_age: 0\n"),
        };

        private static readonly IReadOnlyList<byte[]> TxtSeeds = new[]
        {
            Bytes("v=STSv1; id=20240101T000000;"), Bytes("v=TLSRPTv1; rua=mailto:a@example.com,https://r.example/x"), Bytes("3 1 1 00ff"),
        };

        private static readonly IReadOnlyList<byte[]> Dictionary = PolicyLines.Concat(new[] { "\r\n", "\n", ";", "=", "v=STSv1", "v=TLSRPTv1", "rua=", "id=", "mailto:", "https://", ",", "!", "*." })
            .Select(Bytes).ToList();

        private static byte[] GeneratedPolicy(Random random)
        {
            var sb = new StringBuilder();
            int lines = random.Next(0, 12);
            for (int i = 0; i < lines; i++) sb.Append(Pick(random, PolicyLines)).Append(LineBreak(random));
            return Bytes(sb.ToString());
        }

        private static byte[] GeneratedTxt(Random random) =>
            Bytes(string.Join(Pick(random, new[] { ";", "; ", " ; " }), Enumerable.Range(0, random.Next(1, 5)).Select(_ => Pick(random, new[] { "v=STSv1", "v=TLSRPTv1", "id=abc", "id=", "rua=mailto:a@b.c", "rua=https://x", "rua=ftp://x", "junk" }))));

        private static Task Policy(FuzzCase c)
        {
            string text = Encoding.UTF8.GetString(c.Input);
            var policy = MtaStsPolicy.Parse(text);
            if (policy.IsValid && (policy.Mode == null || policy.MaxAgeSeconds == null || policy.MaxAgeSeconds > MtaStsPolicy.MaxMaxAge || policy.Version != "STSv1"))
                throw new FuzzInvariantException("a valid policy without mode, version or bounded max_age");
            if (policy.IsValid && policy.Mode != MtaStsMode.None && policy.MxPatterns.Count == 0) throw new FuzzInvariantException("a valid enforcing policy without mx");
            if (policy.MxPatterns.Count > MtaStsPolicy.MaxMxPatterns) throw new FuzzInvariantException("unbounded mx patterns");
            foreach (string pattern in policy.MxPatterns) MtaStsPolicy.MxMatches(pattern, "mail.example.com");
            c.Parsed = policy.MxPatterns.Count + (policy.IsValid ? 1 : 0);
            return Task.CompletedTask;
        }

        private static Task Records(FuzzCase c)
        {
            string[] texts = Encoding.UTF8.GetString(c.Input).Split('\n');
            var sts = MtaStsTxtRecord.Parse(texts);
            if (sts != null && sts.IsValid && (sts.Id == null || sts.Id.Length > 32)) throw new FuzzInvariantException("a valid STS record with a bad id");
            var rpt = TlsRptRecord.Parse(texts);
            if (rpt != null && rpt.IsValid && (rpt.ReportingUris.Count == 0 || !rpt.ReportingUris.All(TlsRptRecord.IsReportingUri))) throw new FuzzInvariantException("a valid TLS-RPT record with a bad URI");
            foreach (string text in texts) TlsaRecord.Parse(text);
            c.Parsed = (sts?.IsValid == true ? 1 : 0) + (rpt?.IsValid == true ? 1 : 0);
            return Task.CompletedTask;
        }

        [Theory]
        [InlineData("mta-sts-policy")]
        [InlineData("policy-txt-records")]
        public void Parsers_never_throw_and_keep_their_contracts(string name)
        {
            FuzzTarget target = name == "mta-sts-policy"
                ? new FuzzTarget(name, PolicySeeds, Dictionary, GeneratedPolicy, Policy)
                : new FuzzTarget(name, TxtSeeds, Dictionary, GeneratedTxt, Records);
            FuzzRunResult result = FuzzRunner.Run(target, ParserFuzzTests.Seed, 100_000);
            Assert.True(result.Passed, result.Report());
            Assert.Equal(100_000, result.Cases);
            Assert.Equal(0, result.Rejected);
            Assert.True(result.ItemsParsed > 0, "no case parsed anything: the generator is broken");
        }
    }
}
