using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using StartTlsTools.Probing;
using StartTlsTools.Tests.Integration;

namespace StartTlsTools.Tests.Report
{
    /// <summary>
    /// One fleet run against the real lab, made once per test run and shared by the report's lab tests: every result
    /// type, healthy and broken targets, a legacy server's full capability scan. The order mixes bad and good targets
    /// so that a sort visibly changes the table.
    /// </summary>
    internal static class LabReportResults
    {
        private static readonly Lazy<Task<IReadOnlyList<object>>> Results = new Lazy<Task<IReadOnlyList<object>>>(MakeAsync);

        public static IReadOnlyList<object> Get() => Results.Value.GetAwaiter().GetResult();

        private static async Task<IReadOnlyList<object>> MakeAsync()
        {
            Lab lab = Lab.Current;
            var tester = new StartTlsTester();
            var results = new List<object>
            {
                await tester.TestAsync(lab.Options(StartTlsProtocol.Smtp, "LAB_SMTP_PORT")),
                await tester.TestAsync(lab.Options(StartTlsProtocol.Smtp, "LAB_LEGACY_SMTP_PORT")),
                await tester.TestAsync(lab.Options(StartTlsProtocol.Imap, "LAB_IMAP_PORT")),
                await tester.TestAsync(lab.Options(StartTlsProtocol.Smtp, "LAB_SMTP_PLAIN_PORT")),
                await tester.TestAsync(lab.Options(StartTlsProtocol.Ldap, "LAB_LDAP_PORT")),
            };
            var pop3 = lab.Options(StartTlsProtocol.Pop3, "LAB_POP3_PORT");
            pop3.IncludeTranscript = true;
            results.Add(await tester.TestAsync(pop3));
            // An untrusted certificate: the lab CA is not given.
            results.Add(await tester.TestAsync(lab.Options(StartTlsProtocol.Submission, "LAB_SUBMISSION_PORT", trustLabCa: false)));

            var scan = new TlsCapabilityOptions { HostName = "localhost", Protocol = StartTlsProtocol.Smtp, Port = lab.LivePort("LAB_LEGACY_SMTP_PORT"), EhloName = "client.lab.test" };
            scan.TrustedRoots.Add(lab.Ca);
            TlsCapabilityReport report = await new TlsCapabilityScanner().ScanAsync(scan);
            results.Add(report.Summary);
            results.AddRange(report.CipherSuites);

            results.Add(await new InjectionTester().TestAsync(new InjectionTestOptions { Target = lab.Options(StartTlsProtocol.Smtp, "LAB_SMTP_PORT"), Wait = TimeSpan.FromSeconds(1) }));

            var compare = new ImplicitVsStartTlsOptions
            {
                HostName = "localhost", Protocol = StartTlsProtocol.Submission, Port = lab.LivePort("LAB_SUBMISSION_PORT"),
                ImplicitPort = lab.LivePort("LAB_SMTPS_PORT"), Samples = 1, EhloName = "client.lab.test",
            };
            compare.TrustedRoots.Add(lab.Ca);
            results.Add(await new ImplicitVsStartTlsComparer().CompareAsync(compare));

            var auth = new SmtpAuthPlainOptions
            {
                HostName = "localhost", Port = lab.LivePort("LAB_SUBMISSION_PORT"), UserName = LabSecrets.User,
                Password = LabSecrets.Secure(LabSecrets.Password), EhloName = "client.lab.test",
            };
            auth.TrustedRoots.Add(lab.Ca);
            results.Add(await new SmtpAuthPlainClient().AuthenticateAsync(auth));
            return results;
        }
    }
}
