using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using StartTlsTools.Tests.Cmdlets;
using StartTlsTools.Tests.Integration;
using StartTlsTools.Tests.Report;

namespace StartTlsTools.Tests.HostedPowerShell
{
    /// <summary>
    /// Export-StartTlsReport in a real PowerShell engine: provider paths, pipeline binding of live lab results, error records.
    /// The hosted engine has only the core commands (no Set-Location, Select-Object, Out-String); tests/Pester covers the rest.
    /// </summary>
    [Collection("Lab")]
    public sealed class ExportStartTlsReportHostedTests : IDisposable
    {
        private readonly Runspace _runspace;
        private readonly string _dir = Directory.CreateTempSubdirectory("starttls-hosted-report-").FullName;

        public ExportStartTlsReportHostedTests()
        {
            _runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
            _runspace.Open();
            Invoke("Import-Module -Name $args[0] -ErrorAction Stop", Path.Combine(ModuleContractTests.RepoRoot, "out", "StartTlsTools", "StartTlsTools.psd1"));
        }

        public void Dispose()
        {
            _runspace.Dispose();
            Directory.Delete(_dir, recursive: true);
        }

        private (Collection<PSObject> Output, List<ErrorRecord> Errors, List<WarningRecord> Warnings, Exception? Thrown) Invoke(string script, params object[] args)
        {
            using var ps = PowerShell.Create();
            ps.Runspace = _runspace;
            ps.AddScript(script);
            foreach (object arg in args) ps.AddArgument(arg);
            try
            {
                var output = ps.Invoke();
                return (output, ps.Streams.Error.ToList(), ps.Streams.Warning.ToList(), null);
            }
            catch (RuntimeException ex)
            {
                return (new Collection<PSObject>(), ps.Streams.Error.ToList(), ps.Streams.Warning.ToList(), ex);
            }
        }

        [Fact]
        public void Live_lab_results_piped_in_with_a_relative_path_land_in_the_current_location()
        {
            string script = $"$null = $ExecutionContext.SessionState.Path.SetLocation($args[0]); $ca = [System.Security.Cryptography.X509Certificates.X509Certificate2]::new($args[1]); " +
                $"@(Test-StartTls -HostName localhost -Port {Lab.Current.LivePort("LAB_SMTP_PORT")} -EhloName client.lab.test -TrustedRootCertificate $ca; " +
                $"Test-StartTls -HostName localhost -Port {Lab.Current.LivePort("LAB_SMTP_PLAIN_PORT")} -EhloName client.lab.test -ErrorAction SilentlyContinue) | Export-StartTlsReport -Path lab.html -PassThru";
            var (output, errors, _, thrown) = Invoke(script, _dir, Lab.Current["LAB_CA"]);

            Assert.Null(thrown);
            Assert.Empty(errors);
            var summary = Assert.IsType<StartTlsReportSummary>(Assert.Single(output).BaseObject);
            Assert.Equal(Path.Combine(_dir, "lab.html"), summary.Path);
            Assert.Equal((2, 1, 1), (summary.Targets, summary.Healthy, summary.NotHealthy));
            ReportHtml page = ReportHtml.Parse(File.ReadAllText(summary.Path));
            Assert.Contains("| Export-StartTlsReport -Path lab.html -PassThru", page.One("header code").TextContent);
            Assert.Matches(@"StartTlsTools \d+\.\d+\.\d+ \(PowerShell 7\.", page.One("header").TextContent);
        }

        [Fact]
        public void Projections_and_deserialized_results_are_named_by_their_powershell_type()
        {
            string path = Path.Combine(_dir, "projected.html");
            // What Select-Object makes: a property bag named Selected.<type>.
            string script = "$r = [StartTlsTools.StartTlsResult]@{ HostName = 'a.example.com'; Port = 25 }; " +
                "$p = [pscustomobject]@{ HostName = $r.HostName; Port = $r.Port }; $p.PSObject.TypeNames.Insert(0, 'Selected.StartTlsTools.StartTlsResult'); " +
                "@($r; $p; [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($r))) | " +
                "Export-StartTlsReport -Path $args[0] -PassThru";
            var (output, _, warnings, thrown) = Invoke(script, path);

            Assert.Null(thrown);
            Assert.Equal(2, ((StartTlsReportSummary)Assert.Single(output).BaseObject).Unrecognized);
            Assert.Contains("Selected.StartTlsTools.StartTlsResult (1), Deserialized.StartTlsTools.StartTlsResult (1)", Assert.Single(warnings).Message);
        }

        [Fact]
        public void A_path_outside_the_file_system_is_an_error_record_with_a_stable_id()
        {
            var (output, errors, _, thrown) = Invoke("[datetime]::Now | Export-StartTlsReport -Path Env:\\report -PassThru");
            Assert.Null(thrown);
            Assert.Empty(output);
            var error = Assert.Single(errors);
            Assert.Equal("ReportPathInvalid,StartTlsTools.Commands.ExportStartTlsReportCommand", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
            Assert.Equal("Env:\\report", error.TargetObject);
        }

        [Fact]
        public void ErrorAction_stop_makes_a_missing_folder_terminating()
        {
            var (_, _, _, thrown) = Invoke("Export-StartTlsReport -Path ($args[0] + '/no/such/r.html') -ErrorAction Stop", _dir);
            var record = Assert.IsAssignableFrom<IContainsErrorRecord>(thrown).ErrorRecord;
            Assert.Equal("ReportDirectoryNotFound,StartTlsTools.Commands.ExportStartTlsReportCommand", record.FullyQualifiedErrorId);
        }
    }
}
