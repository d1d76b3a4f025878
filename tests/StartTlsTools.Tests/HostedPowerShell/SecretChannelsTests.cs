using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Text;
using StartTlsTools.Tests.Cmdlets;
using StartTlsTools.Tests.Integration;

namespace StartTlsTools.Tests.HostedPowerShell
{
    /// <summary>
    /// Invoke-SmtpAuthPlain in a real PowerShell engine with every stream captured (output, error, warning, verbose,
    /// debug, information), the default view and Format-List * rendered, the results as JSON, $Error, each exception
    /// chain, and the console front end's stdout and stderr; then every capture is searched for the password, its
    /// Base64 form and the Base64 PLAIN message. Also: the mandatory -Credential never prompts in a host without UI.
    /// </summary>
    [Collection("Lab")]
    public sealed class SecretChannelsTests : IDisposable
    {
        private readonly Runspace _runspace;

        public SecretChannelsTests()
        {
            _runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
            _runspace.Open();
            string manifest = Path.Combine(ModuleContractTests.RepoRoot, "out", "StartTlsTools", "StartTlsTools.psd1");
            using var ps = PowerShell.Create();
            ps.Runspace = _runspace;
            ps.AddScript("Import-Module -Name $args[0] -ErrorAction Stop").AddArgument(manifest).Invoke();
        }

        public void Dispose() => _runspace.Dispose();

        private List<object> LastObjects { get; set; } = new List<object>();

        /// <summary>Runs the script and returns everything it produced, on every channel, as text.</summary>
        private List<string> Capture(string script, params object[] args)
        {
            using var ps = PowerShell.Create();
            ps.Runspace = _runspace;
            ps.AddScript(script);
            foreach (object arg in args) ps.AddArgument(arg);
            var captured = new List<string>();
            LastObjects = new List<object>();
            try
            {
                foreach (var item in ps.Invoke())
                {
                    captured.Add(item?.ToString() ?? "");
                    if (item?.BaseObject != null) LastObjects.Add(item.BaseObject);
                }
            }
            catch (RuntimeException ex)
            {
                for (Exception? e = ex; e != null; e = e.InnerException) captured.Add(e.GetType().Name + ": " + e.Message);
            }
            foreach (var error in ps.Streams.Error)
            {
                captured.Add(error.ToString());
                captured.Add(error.FullyQualifiedErrorId + " " + error.TargetObject + " " + error.CategoryInfo + " " + error.ErrorDetails + " " + error.ScriptStackTrace);
                for (Exception? e = error.Exception; e != null; e = e.InnerException) captured.Add(e.ToString());
            }
            captured.AddRange(ps.Streams.Warning.Select(w => "WARNING: " + w.Message));
            captured.AddRange(ps.Streams.Verbose.Select(v => "VERBOSE: " + v.Message));
            captured.AddRange(ps.Streams.Debug.Select(d => "DEBUG: " + d.Message));
            captured.AddRange(ps.Streams.Information.Select(i => "INFO: " + i.MessageData));
            return captured;
        }

        /// <summary>One run with every stream on; the result's properties, the error records and $Error as text.</summary>
        private const string EveryChannel = @"
param($credential, $port, $ca, $extra)
$VerbosePreference = 'Continue'; $DebugPreference = 'Continue'; $InformationPreference = 'Continue'
$Error.Clear()
$root = [System.Security.Cryptography.X509Certificates.X509Certificate2]::new($ca)
$parameters = @{ HostName = 'localhost'; Port = $port; Credential = $credential; EhloName = 'client.lab.test'; TrustedRootCertificate = $root; IncludeTranscript = $true }
foreach ($k in $extra.Keys) { $parameters[$k] = $extra[$k] }
$result = Invoke-SmtpAuthPlain @parameters -ErrorVariable authErrors -WarningVariable authWarnings
$result
$result.PSObject.Properties | ForEach-Object { 'PROPERTY ' + $_.Name + '=' + $_.Value }
$authErrors | ForEach-Object { $_.ToString(); $_.Exception.ToString(); $_.FullyQualifiedErrorId; $_.TargetObject }
$authWarnings | ForEach-Object { $_.ToString() }
$Error | ForEach-Object { $_.ToString(); $_.Exception.ToString() }
'STATUS=' + $result.Status
";

        public static IEnumerable<object[]> Runs() => new[]
        {
            new object[] { "LAB_SUBMISSION_PORT", false, "Succeeded" },
            new object[] { "LAB_SUBMISSION_PORT", true, "AuthenticationFailed" },
            new object[] { "LAB_SUBMISSION_PLAIN_PORT", false, "RefusedWithoutTls" },
            new object[] { "LAB_SUBMISSION_PLAIN_PORT-allow", false, "Succeeded" },
            new object[] { "LAB_SMTPS_PORT", false, "Succeeded" },
        };

        [Theory]
        [MemberData(nameof(Runs))]
        public void No_channel_shows_the_password_or_its_base64(string run, bool wrongPassword, string expectedStatus)
        {
            string portKey = run.Replace("-allow", "");
            string password = wrongPassword ? "Wr0ng+/" + Guid.NewGuid().ToString("N") : LabSecrets.Password;
            var extra = new System.Collections.Hashtable();
            if (run.EndsWith("-allow", StringComparison.Ordinal)) extra["AllowPlaintext"] = true;
            if (portKey == "LAB_SMTPS_PORT") extra["ImplicitTls"] = true;
            // As Get-Credential or an Automation credential asset hands it over: a PSCredential around a SecureString.
            var credential = new PSCredential(LabSecrets.User, LabSecrets.Secure(password));

            var captured = Capture(EveryChannel, credential, Lab.Current.LivePort(portKey), Lab.Current["LAB_CA"], extra);
            var result = Assert.Single(LastObjects.OfType<SmtpAuthResult>());
            // Renderings users make: JSON (as ConvertTo-Json and the CLI write it, decoded) and the default view.
            captured.Add(StartTlsTools.Cli.ResultWriter.ToJson(result));
            captured.AddRange(JsonStrings(StartTlsTools.Cli.ResultWriter.ToJson(result)));
            captured.AddRange(FormatView.Render(_runspace, result));

            // The run did happen, and produced the text searched below.
            Assert.Contains("STATUS=" + expectedStatus, captured);
            Assert.Contains("PROPERTY UserName=labuser", captured);
            Assert.Contains(captured, c => c.StartsWith("VERBOSE: SMTP AUTH PLAIN", StringComparison.Ordinal));
            Assert.Contains(captured, c => c.StartsWith("View Status=" + expectedStatus, StringComparison.Ordinal));
            if (expectedStatus != "Succeeded") Assert.Contains(captured, c => c.Contains(expectedStatus == "AuthenticationFailed" ? "SmtpAuthenticationFailed" : "RefusedWithoutTls"));
            if (result.CredentialsSent) Assert.Contains(captured, c => c.Contains("AUTH PLAIN <redacted>"));
            if (run.EndsWith("-allow", StringComparison.Ordinal)) Assert.Contains(captured, c => c.Contains("WARNING: ") && c.Contains("plaintext"));

            string all = string.Join("\n", captured);
            foreach (string form in LabSecrets.Forms(password, LabSecrets.User))
                Assert.False(all.Contains(form, StringComparison.Ordinal), $"a secret form ({form.Length} chars) appeared in the captured output");
        }

        /// <summary>Every string value in a JSON document, unescaped (JSON writes '+' as \u002B, which a plain search would miss).</summary>
        internal static IEnumerable<string> JsonStrings(string json)
        {
            using var document = System.Text.Json.JsonDocument.Parse(json);
            var strings = new List<string>();
            void Walk(System.Text.Json.JsonElement e)
            {
                switch (e.ValueKind)
                {
                    case System.Text.Json.JsonValueKind.String: strings.Add(e.GetString()!); break;
                    case System.Text.Json.JsonValueKind.Object: foreach (var p in e.EnumerateObject()) Walk(p.Value); break;
                    case System.Text.Json.JsonValueKind.Array: foreach (var i in e.EnumerateArray()) Walk(i); break;
                }
            }
            Walk(document.RootElement);
            return strings;
        }

        [Fact]
        public void Cli_stdout_and_stderr_never_show_the_password()
        {
            string password = LabSecrets.Password;
            var stdout = new StringWriter();
            var stderr = new StringWriter();
            int exit = StartTlsTools.Cli.Program.Run(new[]
            {
                "auth-plain", "localhost", "--user", LabSecrets.User, "--password-stdin", "--port", Lab.Current.LivePort("LAB_SUBMISSION_PORT").ToString(),
                "--trusted-root", Lab.Current["LAB_CA"], "--ehlo-name", "client.lab.test", "--transcript", "--json",
            }, stdout, stderr, new StringReader(password + "\r\n"));

            Assert.True(exit == 0, stderr.ToString() + stdout);
            var decoded = JsonStrings(stdout.ToString()).ToList();
            Assert.Contains(decoded, v => v.Contains("AUTH PLAIN <redacted>"));
            string all = stdout + "\n" + stderr + "\n" + string.Join("\n", decoded);
            foreach (string form in LabSecrets.Forms(password, LabSecrets.User)) Assert.DoesNotContain(form, all);
        }

        [Fact]
        public void Missing_credential_in_a_host_without_ui_is_a_binding_error_not_a_prompt()
        {
            var captured = Capture("try { Invoke-SmtpAuthPlain -HostName localhost -ErrorAction Stop; 'NO-ERROR' } catch { 'CAUGHT=' + $_.Exception.GetType().Name + '|' + $_.FullyQualifiedErrorId }");
            string caught = Assert.Single(captured, c => c.StartsWith("CAUGHT=", StringComparison.Ordinal));
            Assert.StartsWith("CAUGHT=ParameterBindingException|MissingMandatoryParameter", caught);
            Assert.DoesNotContain("NO-ERROR", captured);
        }

        [Fact]
        public void A_user_name_string_is_not_turned_into_a_credential_prompt()
        {
            var captured = Capture("try { Invoke-SmtpAuthPlain -HostName localhost -Credential 'labuser' -ErrorAction Stop; 'NO-ERROR' } catch { 'CAUGHT=' + $_.Exception.GetType().Name }");
            Assert.Contains("CAUGHT=ParameterBindingException", captured);
        }

        [Fact]
        public async System.Threading.Tasks.Task Compare_default_view_reads_side_by_side()
        {
            var c = await new ImplicitVsStartTlsComparer().CompareAsync(new ImplicitVsStartTlsOptions
            {
                HostName = "localhost", Protocol = StartTlsProtocol.Imap, Samples = 2,
                Port = Lab.Current.LivePort("LAB_IMAP_PORT"), ImplicitPort = Lab.Current.LivePort("LAB_IMAPS_PORT"),
                TrustedRoots = { Lab.Current.Ca },
            });

            string view = string.Join("\n", FormatView.Render(_runspace, c));
            Assert.Matches(@"View Mode=STARTTLS, port \d+\s+Implicit TLS, port \d+", view);
            Assert.Matches(@"View Reachable=True\s+True", view);
            Assert.Matches(@"View Round trips before TLS=[1-9]\d*\s+0", view);
            Assert.Matches(@"View Plaintext bytes sent/received=\d+ / \d+\s+0 / 0", view);
            Assert.Matches(@"View Exposed software=Dovecot", view);
            Assert.Matches(@"View TLS version=Tls13\s+Tls13", view);
            Assert.Matches(@"View Same certificate=True", view);
            Assert.Contains("RFC 8314 section 3.2", view);
        }
    }
}
