using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using StartTlsTools.Tests.Cmdlets;
using StartTlsTools.Tests.Integration;

namespace StartTlsTools.Tests.HostedPowerShell
{
    /// <summary>
    /// The built module imported into a real PowerShell engine (System.Management.Automation, as in pwsh 7)
    /// hosted in-process: parameter binding, pipeline binding, error records and the format file as users meet them.
    /// Runs on machines without pwsh; tests/Pester covers the same ground wherever pwsh exists.
    /// </summary>
    [Collection("Lab")]
    public sealed class HostedModuleTests : IDisposable
    {
        private readonly Runspace _runspace;

        public HostedModuleTests()
        {
            _runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
            _runspace.Open();
            string manifest = Path.Combine(ModuleContractTests.RepoRoot, "out", "StartTlsTools", "StartTlsTools.psd1");
            Invoke("Import-Module -Name $args[0] -ErrorAction Stop", manifest);
        }

        public void Dispose() => _runspace.Dispose();

        private (Collection<PSObject> Output, List<ErrorRecord> Errors, List<WarningRecord> Warnings) Invoke(string script, params object[] args)
        {
            using var ps = PowerShell.Create();
            ps.Runspace = _runspace;
            ps.AddScript(script);
            foreach (object arg in args) ps.AddArgument(arg);
            var output = ps.Invoke();
            // Copy the streams: disposing the PowerShell object empties them.
            return (output, ps.Streams.Error.ToList(), ps.Streams.Warning.ToList());
        }

        /// <summary>CmdletsToExport of the source manifest: the hosted module must export exactly these.</summary>
        private static IEnumerable<string> ManifestCmdlets()
        {
            string manifest = File.ReadAllText(Path.Combine(ModuleContractTests.RepoRoot, "StartTlsTools.psd1"));
            var list = System.Text.RegularExpressions.Regex.Match(manifest, @"CmdletsToExport\s*=\s*@\(([^)]*)\)").Groups[1].Value;
            return System.Text.RegularExpressions.Regex.Matches(list, "'([^']+)'").Select(m => m.Groups[1].Value).ToList();
        }

        private string LabArgs(string portKey) => $"-HostName localhost -Port {Lab.Current.LivePort(portKey)} -EhloName client.lab.test";

        [Fact]
        public void Module_exports_only_its_cmdlets_with_their_output_types()
        {
            var (output, errors, _) = Invoke("Get-Command -Module StartTlsTools | ForEach-Object { $_.Name + '|' + (($_.OutputType | ForEach-Object Name) -join ',') }");
            Assert.Empty(errors);
            var lines = output.Select(o => o.ToString()).ToList();
            Assert.Contains("Test-StartTls|StartTlsTools.StartTlsResult,System.Boolean", lines);
            Assert.Contains("Invoke-SmtpAuthPlain|StartTlsTools.SmtpAuthResult", lines);
            Assert.Contains("Compare-ImplicitVsStartTls|StartTlsTools.ImplicitVsStartTlsComparison", lines);
            Assert.Contains("Test-StartTlsInjection|StartTlsTools.StartTlsInjectionResult,System.Boolean", lines);
            Assert.Contains("Get-TlsCapability|StartTlsTools.TlsCipherSuiteResult,StartTlsTools.TlsCapabilitySummary", lines);
            Assert.Equal(ManifestCmdlets().OrderBy(n => n), lines.Select(l => l.Split('|')[0]).OrderBy(n => n));
        }

        [Fact]
        public void Get_tls_capability_writes_one_type_per_pipeline_suites_by_default_and_only_the_summary_with_summary()
        {
            var (suites, suiteErrors, _) = Invoke($"Get-TlsCapability {LabArgs("LAB_SMTP_PORT")}");
            Assert.Empty(suiteErrors);
            Assert.NotEmpty(suites);
            Assert.All(suites, o => Assert.IsType<TlsCipherSuiteResult>(o.BaseObject));

            var (output, errors, _) = Invoke($"Get-TlsCapability {LabArgs("LAB_SMTP_PORT")} -Summary");
            Assert.Empty(errors);
            var summary = Assert.IsType<TlsCapabilitySummary>(Assert.Single(output).BaseObject);
            Assert.Equal(TlsCapabilityStatus.Success, summary.Status);
            Assert.Equal(suites.Count, summary.CipherSuitesAccepted);
        }

        [Fact]
        public void Manifest_passes_test_modulemanifest()
        {
            string manifest = Path.Combine(ModuleContractTests.RepoRoot, "out", "StartTlsTools", "StartTlsTools.psd1");
            var (output, errors, _) = Invoke("Test-ModuleManifest -Path $args[0] | ForEach-Object { $_.Version.ToString() + '|' + ($_.ExportedCmdlets.Keys -join ',') }", manifest);
            Assert.Empty(errors);
            string line = Assert.Single(output).ToString();
            Assert.Matches(@"^\d+\.\d+\.\d+\|", line);
            Assert.Equal(ManifestCmdlets().OrderBy(n => n), line.Split('|')[1].Split(',').OrderBy(n => n));
        }

        [Fact]
        public void Healthy_lab_server_gives_a_typed_result_and_quiet_true()
        {
            var (output, errors, _) = Invoke($"$ca = [System.Security.Cryptography.X509Certificates.X509Certificate2]::new($args[0]); Test-StartTls {LabArgs("LAB_SMTP_PORT")} -TrustedRootCertificate $ca; Test-StartTls {LabArgs("LAB_SMTP_PORT")} -TrustedRootCertificate $ca -Quiet", Lab.Current["LAB_CA"]);
            Assert.Empty(errors);
            Assert.Equal(2, output.Count);
            var result = Assert.IsType<StartTlsResult>(output[0].BaseObject);
            Assert.Equal(StartTlsStatus.Success, result.Status);
            Assert.Equal(true, output[1].BaseObject);
        }

        [Fact]
        public void Mx_records_bind_by_name_exchange_and_failures_are_non_terminating_errors()
        {
            int plain = Lab.Current.LivePort("LAB_SMTP_PLAIN_PORT");
            var (output, errors, _) = Invoke(
                "@([pscustomobject]@{ NameExchange = 'localhost'; Port = $args[0] }, [pscustomobject]@{ NameExchange = 'localhost'; Port = $args[1] }) | Test-StartTls -EhloName client.lab.test",
                plain, Lab.Current.LivePort("LAB_SMTP_PORT"));

            // Both targets ran: one failing target does not stop the pipeline.
            Assert.Equal(2, output.Count);
            Assert.Equal(StartTlsStatus.NotOffered, ((StartTlsResult)output[0].BaseObject).Status);
            Assert.Equal(StartTlsStatus.Success, ((StartTlsResult)output[1].BaseObject).Status);
            var error = Assert.Single(errors);
            Assert.Equal("StartTlsNotOffered,StartTlsTools.Commands.TestStartTlsCommand", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.NotEnabled, error.CategoryInfo.Category);
            Assert.Equal("localhost", error.TargetObject);
        }

        [Theory]
        [InlineData("-Port 0")]
        [InlineData("-Port 70000")]
        [InlineData("-TimeoutSeconds 0")]
        [InlineData("-Protocol Gopher")]
        public void Bad_parameters_fail_in_binding_before_any_connection(string parameters)
        {
            var (output, errors, _) = Invoke("try { Test-StartTls -HostName 127.0.0.1 " + parameters + " -ErrorAction Stop } catch { $_.Exception.GetType().Name }");
            Assert.Empty(errors);
            Assert.StartsWith("ParameterBinding", Assert.Single(output).ToString());
        }

        [Fact]
        public void Invalid_host_name_is_an_invalid_parameter_error()
        {
            var (output, errors, _) = Invoke("Test-StartTls -HostName 'bad host!' -ErrorAction SilentlyContinue -ErrorVariable e; $e | ForEach-Object FullyQualifiedErrorId");
            Assert.Equal("InvalidParameter,StartTlsTools.Commands.TestStartTlsCommand", Assert.Single(output).ToString());
        }

        [Theory]
        [InlineData("Test-StartTlsInjection", "-WaitSeconds 0")]
        [InlineData("Test-StartTlsInjection", "-Port 70000")]
        [InlineData("Test-StartTlsInjection", "-Protocol Gopher")]
        [InlineData("Test-StartTlsInjection", "-HostName ''")]
        [InlineData("Test-StartTlsInjection", "-ImplicitTls")]
        [InlineData("Test-StartTls", "-HostName ''")]
        [InlineData("Test-StartTls", "-ExpiryWarningDays -1")]
        public void More_bad_parameters_fail_in_binding(string cmdlet, string parameters)
        {
            string host = parameters.StartsWith("-HostName", StringComparison.Ordinal) ? "" : "-HostName 127.0.0.1 ";
            var (output, errors, _) = Invoke($"try {{ {cmdlet} {host}{parameters} -ErrorAction Stop }} catch {{ $_.Exception.GetType().Name + '|' + $_.FullyQualifiedErrorId }}");
            Assert.Empty(errors);
            Assert.Matches("^ParameterBinding.*\\|(ParameterArgumentValidationError|NamedParameterNotFound|CannotConvertArgumentNoMessage|ParameterArgumentValidationErrorEmptyStringNotAllowed|ParameterArgumentTransformationError),", Assert.Single(output).ToString());
        }

        [Theory]
        [InlineData("Test-StartTlsInjection", "'bad host!'", "not valid in a host name")]
        [InlineData("Test-StartTls", "'mx.contoso.com:25'", "")]
        [InlineData("Test-StartTlsInjection", "'-leading-hyphen.example'", "")]
        public void Invalid_host_names_are_invalid_argument_errors_with_the_host_as_target_and_no_connection(string cmdlet, string host, string mentions)
        {
            using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
            listener.Start();
            int port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
            var (output, _, _) = Invoke($"{cmdlet} -HostName {host} -Port {port} -ErrorAction SilentlyContinue -ErrorVariable e; $e | ForEach-Object {{ $_.FullyQualifiedErrorId + '|' + $_.CategoryInfo.Category + '|' + $_.TargetObject + '|' + $_.Exception.Message }}");
            string line = Assert.Single(output).ToString();
            Assert.StartsWith("InvalidParameter,StartTlsTools.Commands." + cmdlet.Replace("-", "") + "Command|InvalidArgument|" + host.Trim('\''), line);
            Assert.Contains(mentions, line);
            Assert.False(listener.Pending(), "a connection was made despite an invalid host name");
        }

        [Fact]
        public void Results_carry_findings_and_an_inconclusive_probe_is_a_typed_result_plus_an_error()
        {
            int plain = Lab.Current.LivePort("LAB_SMTP_PLAIN_PORT");
            var (output, errors, _) = Invoke($"(Test-StartTls -HostName localhost -Port {plain} -EhloName client.lab.test -ErrorAction SilentlyContinue).FindingIds; " +
                $"Test-StartTlsInjection -HostName localhost -Port {plain} -EhloName client.lab.test -WaitSeconds 1 -ErrorAction SilentlyContinue -ErrorVariable e; $e | ForEach-Object FullyQualifiedErrorId");
            Assert.Equal(3, output.Count);
            Assert.Equal("StartTlsNotOffered", output[0].ToString());
            Assert.Equal(InjectionVerdict.Inconclusive, Assert.IsType<StartTlsInjectionResult>(output[1].BaseObject).Verdict);
            Assert.Equal("StartTlsNotOffered,StartTlsTools.Commands.TestStartTlsInjectionCommand", output[2].ToString());
        }

        [Fact]
        public void Untrusted_certificate_writes_a_warning()
        {
            var (output, errors, warnings) = Invoke($"Test-StartTls {LabArgs("LAB_IMAP_PORT")} -Protocol Imap");
            Assert.Empty(errors);
            Assert.False(((StartTlsResult)Assert.Single(output).BaseObject).CertificateValid);
            Assert.Contains("trusted root", Assert.Single(warnings).Message);
        }

        [Fact]
        public void Format_file_passes_powershells_own_loader()
        {
            // FormatTable validates the file the way Import-Module does and throws FormatTableLoadException on any error.
            string format = Path.Combine(ModuleContractTests.RepoRoot, "out", "StartTlsTools", "StartTlsTools.Format.ps1xml");
            var exception = Record.Exception(() => new FormatTable(new[] { format }));
            Assert.Null(exception);
            var broken = Path.Combine(Path.GetTempPath(), $"broken-{Guid.NewGuid():N}.Format.ps1xml");
            File.WriteAllText(broken, File.ReadAllText(format).Replace("</TableHeaders>", "</TableHeaders><Oops/>"));
            try
            {
                Assert.Throws<FormatTableLoadException>(() => new FormatTable(new[] { broken }));
            }
            finally
            {
                File.Delete(broken);
            }
        }

        /// <summary>Progress of a fleet run as a host receives it, and none when the preference silences it (a runbook).</summary>
        [Theory]
        [InlineData("Continue", true)]
        [InlineData("SilentlyContinue", false)]
        public void A_fleet_run_writes_progress_unless_silenced(string preference, bool expectProgress)
        {
            using var ps = PowerShell.Create();
            ps.Runspace = _runspace;
            ps.AddScript("param($port, $preference) $ProgressPreference = $preference; " +
                         "1..12 | ForEach-Object { [pscustomobject]@{ HostName = 'localhost'; Port = $port } } | Test-StartTls -ThrottleLimit 8 -EhloName client.lab.test")
              .AddArgument(Lab.Current.LivePort("LAB_SMTP_PORT")).AddArgument(preference);
            var output = ps.Invoke();

            Assert.Equal(12, output.Count);
            Assert.All(output, o => Assert.Equal(StartTlsStatus.Success, ((StartTlsResult)o.BaseObject).Status));
            var progress = ps.Streams.Progress.ToList();
            if (!expectProgress)
            {
                Assert.Empty(progress);
                return;
            }
            Assert.NotEmpty(progress);
            Assert.All(progress, p => Assert.Equal("Test-StartTls", p.Activity));
            Assert.Contains(progress, p => p.StatusDescription.Contains("in flight (at most 8)"));
            Assert.Equal(ProgressRecordType.Completed, progress.Last().RecordType);
        }
    }
}
