using System;
using System.Diagnostics;
using System.IO;
using System.Text.Json;
using System.Threading.Tasks;

namespace StartTlsTools.Tests.Integration
{
    /// <summary>
    /// The command line as people install it: `dotnet pack` makes the StartTlsTools.Cli tool package, `dotnet tool
    /// install` puts it in a folder, and the installed `starttls` tests the lab.
    /// </summary>
    [Collection("Lab")]
    public class CliToolPackageTests
    {
        private static readonly TimeSpan StepLimit = TimeSpan.FromMinutes(5);

        [Fact]
        public async Task Packed_and_installed_tool_tests_the_lab()
        {
            string repo = RepoRoot();
            string version = typeof(StartTlsTools.Cli.Program).Assembly.GetName().Version!.ToString(3);
            string work = Path.Combine(Path.GetTempPath(), "starttls-tool-" + Guid.NewGuid().ToString("N"));
            string packages = Path.Combine(work, "packages"), tools = Path.Combine(work, "tools");
            try
            {
                // Its own artifacts folder (the developer's bin/obj stay as they are) and package cache (an older
                // 0.1.0 extracted there before must not stand in for this build).
                var pack = await RunAsync("dotnet", work, "pack", Path.Combine(repo, "src", "StartTlsTools.Cli", "StartTlsTools.Cli.csproj"),
                    "-c", "Release", "-o", packages, "--artifacts-path", Path.Combine(work, "artifacts"), "-nologo");
                Assert.True(pack.Exit == 0, pack.Output);
                Assert.True(File.Exists(Path.Combine(packages, $"StartTlsTools.Cli.{version}.nupkg")), pack.Output);

                var install = await RunAsync("dotnet", work, "tool", "install", "--tool-path", tools, "--add-source", packages, "StartTlsTools.Cli", "--version", version);
                Assert.True(install.Exit == 0, install.Output);
                string starttls = Path.Combine(tools, OperatingSystem.IsWindows() ? "starttls.exe" : "starttls");
                Assert.True(File.Exists(starttls), install.Output);

                var shown = await RunAsync(starttls, work, "--version");
                Assert.Equal(0, shown.Exit);
                Assert.StartsWith(version, shown.StdOut.Trim());

                var test = await RunAsync(starttls, work, "test", "localhost", "--port", Lab.Current.LivePort("LAB_SMTP_PORT").ToString(),
                    "--trusted-root", Lab.Current["LAB_CA"], "--json");
                Assert.True(test.Exit == 0, test.Output);
                using var json = JsonDocument.Parse(test.StdOut);
                Assert.Equal("Success", json.RootElement.GetProperty("Status").GetString());
                Assert.True(json.RootElement.GetProperty("CertificateValid").GetBoolean());
            }
            finally
            {
                try { Directory.Delete(work, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            }
        }

        private static string RepoRoot()
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "StartTlsTools.sln"))) return dir.FullName;
            throw new InvalidOperationException("No StartTlsTools.sln above " + AppContext.BaseDirectory);
        }

        private static async Task<(int Exit, string StdOut, string Output)> RunAsync(string file, string workDir, params string[] arguments)
        {
            Directory.CreateDirectory(workDir);
            var start = new ProcessStartInfo(file)
            {
                WorkingDirectory = workDir,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = true,
                UseShellExecute = false,
            };
            foreach (string argument in arguments) start.ArgumentList.Add(argument);
            start.Environment["NUGET_PACKAGES"] = Path.Combine(workDir, "nuget-cache");
            start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
            start.Environment["DOTNET_NOLOGO"] = "1";
            using Process process = Process.Start(start) ?? throw new InvalidOperationException(file + " did not start");
            process.StandardInput.Close();
            Task<string> stdout = process.StandardOutput.ReadToEndAsync(), stderr = process.StandardError.ReadToEndAsync();
            Task exited = process.WaitForExitAsync();
            if (await Task.WhenAny(exited, Task.Delay(StepLimit)) != exited)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"{file} {string.Join(" ", arguments)} ran longer than {StepLimit}: {await stdout}{await stderr}");
            }
            await exited;
            string output = await stdout, error = await stderr;
            return (process.ExitCode, output, $"{file} {string.Join(" ", arguments)} exited {process.ExitCode}:\n{output}\n{error}");
        }
    }
}
