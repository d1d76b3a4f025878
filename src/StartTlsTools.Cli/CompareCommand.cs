using System;
using System.CommandLine;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace StartTlsTools.Cli
{
    /// <summary>
    /// starttls compare HOST --protocol submission [--starttls-port N] [--implicit-port N] [--samples N] [--json]
    /// Exit codes: 0 both modes reached TLS, 1 at least one did not, 2 bad usage.
    /// </summary>
    internal static class CompareCommand
    {
        public static Command Build(TextWriter stdout, TextWriter stderr)
        {
            var host = new Argument<string>("host") { Description = "Host name, IPv4 or IPv6 literal." };
            var protocol = new Option<StartTlsProtocol>("--protocol", "-p")
            {
                Description = "Protocol with both a STARTTLS and an implicit-TLS port: " + string.Join(", ", ImplicitVsStartTlsOptions.ComparableProtocols) + ".",
                DefaultValueFactory = _ => StartTlsProtocol.Submission,
            };
            var startTlsPort = new Option<int?>("--starttls-port") { Description = "STARTTLS port; the protocol's default when omitted." };
            var implicitPort = new Option<int?>("--implicit-port") { Description = "Implicit-TLS port; the protocol's default when omitted." };
            var samples = new Option<int>("--samples", "-n") { Description = "Connections per mode, one at a time (1-100).", DefaultValueFactory = _ => ImplicitVsStartTlsOptions.DefaultSamples };
            var timeout = new Option<int>("--timeout") { Description = "Seconds per network step.", DefaultValueFactory = _ => 10 };
            var greetingTimeout = new Option<int>("--greeting-timeout") { Description = "Seconds to wait for the server's greeting, which tarpits delay on purpose.", DefaultValueFactory = _ => TargetOptions.DefaultGreetingTimeoutSeconds };
            var ehloName = new Option<string?>("--ehlo-name") { Description = "Name sent in EHLO; this machine's FQDN by default." };
            var trustedRoots = new Option<string[]>("--trusted-root") { Description = "PEM or DER file of a root to trust besides the OS store; repeatable." };
            var json = new Option<bool>("--json") { Description = "Print the comparison as JSON (property names as in PowerShell)." };

            var command = new Command("compare", "Measure implicit TLS against STARTTLS for one service: timings, plaintext exposure, TLS and certificate per mode, and a recommendation.")
            {
                host, protocol, startTlsPort, implicitPort, samples, timeout, greetingTimeout, ehloName, trustedRoots, json,
            };
            command.SetAction((parse, cancel) =>
            {
                var options = new ImplicitVsStartTlsOptions
                {
                    HostName = parse.GetValue(host) ?? "",
                    Protocol = parse.GetValue(protocol),
                    Port = parse.GetValue(startTlsPort),
                    ImplicitPort = parse.GetValue(implicitPort),
                    Samples = parse.GetValue(samples),
                    Timeout = TimeSpan.FromSeconds(parse.GetValue(timeout)),
                    GreetingTimeout = TimeSpan.FromSeconds(parse.GetValue(greetingTimeout)),
                    EhloName = parse.GetValue(ehloName),
                };
                if (!CliInputs.TryLoadRoots(parse.GetValue(trustedRoots), options.TrustedRoots, stderr)) return Task.FromResult(ExitCodes.Usage);
                return RunAsync(options, parse.GetValue(json), stdout, stderr, cancel);
            });
            return command;
        }

        private static async Task<int> RunAsync(ImplicitVsStartTlsOptions options, bool json, TextWriter stdout, TextWriter stderr, CancellationToken cancel)
        {
            if (!CliInputs.IsValid(options.Validate(), stderr)) return ExitCodes.Usage;
            ImplicitVsStartTlsComparison result = await new ImplicitVsStartTlsComparer().CompareAsync(options, cancel);
            if (json) stdout.WriteLine(ResultWriter.ToJson(result));
            else ResultWriter.WriteList(result, stdout);
            return result.StartTlsReachable && result.ImplicitReachable ? ExitCodes.Healthy : ExitCodes.NotHealthy;
        }
    }
}
