using System;
using System.CommandLine;
using System.IO;
using System.Security.Cryptography.X509Certificates;

namespace StartTlsTools.Cli
{
    /// <summary>starttls test HOST --protocol smtp [--port N] [--implicit-tls] [--json]</summary>
    internal static class TestCommand
    {
        public static Command Build(TextWriter stdout, TextWriter stderr)
        {
            var host = new Argument<string>("host") { Description = "Host name, IPv4 or IPv6 literal." };
            var protocol = new Option<StartTlsProtocol>("--protocol", "-p") { Description = "Protocol to speak.", DefaultValueFactory = _ => StartTlsProtocol.Smtp };
            var port = new Option<int?>("--port") { Description = "Port; the protocol's default when omitted." };
            var implicitTls = new Option<bool>("--implicit-tls") { Description = "Start TLS at once (465, 993, 995) instead of STARTTLS." };
            var timeout = new Option<int>("--timeout") { Description = "Seconds per network step.", DefaultValueFactory = _ => 10 };
            var greetingTimeout = new Option<int>("--greeting-timeout") { Description = "Seconds to wait for the server's greeting, which tarpits delay on purpose.", DefaultValueFactory = _ => TargetOptions.DefaultGreetingTimeoutSeconds };
            var checkEnforcement = new Option<bool>("--check-enforcement") { Description = "Learn whether TLS is required on a second, harmless plaintext connection (never a login, recipient or message)." };
            var ehloName = new Option<string?>("--ehlo-name") { Description = "Name sent in EHLO/LHLO; this machine's FQDN by default." };
            var xmppDomain = new Option<string?>("--xmpp-domain") { Description = "XMPP domain for the stream's to= (xmpp, xmppserver); the host name by default." };
            var trustedRoots = new Option<string[]>("--trusted-root") { Description = "PEM or DER file of a root to trust besides the OS store; repeatable.", AllowMultipleArgumentsPerToken = false };
            var transcript = new Option<bool>("--transcript") { Description = "Include the dialogue in the result." };
            var expiryDays = new Option<int>("--expiry-warning-days") { Description = "A certificate expiring within this many days is a finding (0: off).", DefaultValueFactory = _ => FindingOptions.DefaultExpiryWarningDays };
            var json = new Option<bool>("--json") { Description = "Print the result as JSON (property names as in PowerShell)." };

            var command = new Command("test", "Test STARTTLS (or implicit TLS) on one server.")
            {
                host, protocol, port, implicitTls, timeout, greetingTimeout, checkEnforcement, ehloName, xmppDomain, trustedRoots, transcript, expiryDays, json,
            };
            command.SetAction((parse, cancel) =>
            {
                var options = new StartTlsTestOptions
                {
                    HostName = parse.GetValue(host) ?? "",
                    Protocol = parse.GetValue(protocol),
                    Port = parse.GetValue(port),
                    ImplicitTls = parse.GetValue(implicitTls),
                    Timeout = TimeSpan.FromSeconds(parse.GetValue(timeout)),
                    GreetingTimeout = TimeSpan.FromSeconds(parse.GetValue(greetingTimeout)),
                    CheckEnforcement = parse.GetValue(checkEnforcement),
                    EhloName = parse.GetValue(ehloName),
                    XmppDomain = parse.GetValue(xmppDomain),
                    IncludeTranscript = parse.GetValue(transcript),
                    ExpiryWarningDays = parse.GetValue(expiryDays),
                };
                if (!CliInputs.TryLoadRoots(parse.GetValue(trustedRoots), options.TrustedRoots, stderr)) return System.Threading.Tasks.Task.FromResult(ExitCodes.Usage);
                return RunAsync(options, parse.GetValue(json), stdout, stderr, cancel);
            });
            return command;
        }

        private static async System.Threading.Tasks.Task<int> RunAsync(StartTlsTestOptions options, bool json, TextWriter stdout, TextWriter stderr, System.Threading.CancellationToken cancel)
        {
            if (!CliInputs.IsValid(options.Validate(), stderr)) return ExitCodes.Usage;
            StartTlsResult result = await new StartTlsTester().TestAsync(options, cancel);
            if (json) stdout.WriteLine(ResultWriter.ToJson(result));
            else ResultWriter.WriteList(result, stdout);
            return result.IsHealthy ? ExitCodes.Healthy : ExitCodes.NotHealthy;
        }
    }
}
