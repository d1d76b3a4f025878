using System;
using System.CommandLine;
using System.IO;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;

namespace StartTlsTools.Cli
{
    /// <summary>starttls injection HOST --protocol smtp [--port N] [--wait S] [--json]: the opt-in command-injection probe.</summary>
    internal static class InjectionCommand
    {
        public static Command Build(TextWriter stdout, TextWriter stderr)
        {
            var host = new Argument<string>("host") { Description = "Host name, IPv4 or IPv6 literal." };
            var protocol = new Option<StartTlsProtocol>("--protocol", "-p") { Description = "Protocol to speak.", DefaultValueFactory = _ => StartTlsProtocol.Smtp };
            var port = new Option<int?>("--port") { Description = "Port; the protocol's default when omitted." };
            var wait = new Option<int>("--wait") { Description = "Seconds to listen over TLS for an answer to the injected command.", DefaultValueFactory = _ => InjectionTestOptions.DefaultWaitSeconds };
            var timeout = new Option<int>("--timeout") { Description = "Seconds per network step.", DefaultValueFactory = _ => 10 };
            var greetingTimeout = new Option<int>("--greeting-timeout") { Description = "Seconds to wait for the server's greeting, which tarpits delay on purpose.", DefaultValueFactory = _ => TargetOptions.DefaultGreetingTimeoutSeconds };
            var ehloName = new Option<string?>("--ehlo-name") { Description = "Name sent in EHLO/LHLO (and injected for SMTP); this machine's FQDN by default." };
            var trustedRoots = new Option<string[]>("--trusted-root") { Description = "PEM or DER file of a root to trust besides the OS store; repeatable.", AllowMultipleArgumentsPerToken = false };
            var transcript = new Option<bool>("--transcript") { Description = "Include the probe connection's dialogue in the result." };
            var json = new Option<bool>("--json") { Description = "Print the result as JSON (property names as in PowerShell)." };

            var command = new Command("injection", "Probe for STARTTLS command injection (CVE-2011-0411): pipelines one harmless command behind STARTTLS. Opt-in.")
            {
                host, protocol, port, wait, timeout, greetingTimeout, ehloName, trustedRoots, transcript, json,
            };
            command.SetAction((parse, cancel) =>
            {
                var options = new InjectionTestOptions
                {
                    Target = new StartTlsTestOptions
                    {
                        HostName = parse.GetValue(host) ?? "",
                        Protocol = parse.GetValue(protocol),
                        Port = parse.GetValue(port),
                        Timeout = TimeSpan.FromSeconds(parse.GetValue(timeout)),
                        GreetingTimeout = TimeSpan.FromSeconds(parse.GetValue(greetingTimeout)),
                        EhloName = parse.GetValue(ehloName),
                        IncludeTranscript = parse.GetValue(transcript),
                    },
                    Wait = TimeSpan.FromSeconds(parse.GetValue(wait)),
                };
                if (!CliInputs.TryLoadRoots(parse.GetValue(trustedRoots), options.Target.TrustedRoots, stderr)) return Task.FromResult(ExitCodes.Usage);
                return RunAsync(options, parse.GetValue(json), stdout, stderr, cancel);
            });
            return command;
        }

        /// <summary>Exit codes: 0 not vulnerable, 1 vulnerable or inconclusive, 2 bad usage.</summary>
        private static async Task<int> RunAsync(InjectionTestOptions options, bool json, TextWriter stdout, TextWriter stderr, CancellationToken cancel)
        {
            if (!CliInputs.IsValid(options.Validate(), stderr)) return ExitCodes.Usage;
            StartTlsInjectionResult result = await new InjectionTester().TestAsync(options, cancel);
            if (json) stdout.WriteLine(ResultWriter.ToJson(result));
            else ResultWriter.WriteList(result, stdout);
            return result.IsNotVulnerable ? ExitCodes.Healthy : ExitCodes.NotHealthy;
        }
    }
}
