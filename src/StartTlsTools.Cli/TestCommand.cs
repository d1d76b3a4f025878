using System;
using System.CommandLine;
using System.IO;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using StartTlsTools.Resolution;

namespace StartTlsTools.Cli
{
    /// <summary>
    /// starttls test HOST --protocol smtp [--port N] [--implicit-tls] [--json|--csv] [--dane] [--dns-server A[:P]]
    /// starttls test --input FILE|- [--parallel N] ...: one result per line of the list, streamed as each completes.
    /// </summary>
    internal static class TestCommand
    {
        public static Command Build(TextWriter stdout, TextWriter stderr, TextReader stdin)
        {
            var host = new Argument<string?>("host") { Description = "Host name, IPv4 or IPv6 literal (or --input for a list).", Arity = ArgumentArity.ZeroOrOne };
            var input = new Option<string?>("--input", "-i") { Description = "A list of targets, '-' for standard input: lines of 'host[:port] [protocol]', or a CSV with HostName, Port, Protocol columns; # starts a comment." };
            var parallel = new Option<int>("--parallel") { Description = "Targets of a list tested at once (1: one after another, in order).", DefaultValueFactory = _ => TargetListRunner.DefaultParallel };
            var protocol = new Option<StartTlsProtocol>("--protocol", "-p") { Description = "Protocol to speak (for a list: where a line names none).", DefaultValueFactory = _ => StartTlsProtocol.Smtp };
            var port = new Option<int?>("--port") { Description = "Port; the protocol's default when omitted (for a list: where a line names none)." };
            var implicitTls = new Option<bool>("--implicit-tls") { Description = "Start TLS at once (465, 993, 995) instead of STARTTLS." };
            var timeout = new Option<int>("--timeout") { Description = "Seconds per network step.", DefaultValueFactory = _ => 10 };
            var greetingTimeout = new Option<int>("--greeting-timeout") { Description = "Seconds to wait for the server's greeting, which tarpits delay on purpose.", DefaultValueFactory = _ => TargetOptions.DefaultGreetingTimeoutSeconds };
            var checkEnforcement = new Option<bool>("--check-enforcement") { Description = "Learn whether TLS is required on a second, harmless plaintext connection (never a login, recipient or message)." };
            var ehloName = new Option<string?>("--ehlo-name") { Description = "Name sent in EHLO/LHLO; this machine's FQDN by default." };
            var xmppDomain = new Option<string?>("--xmpp-domain") { Description = "XMPP domain for the stream's to= (xmpp, xmppserver); the host name by default." };
            var trustedRoots = new Option<string[]>("--trusted-root") { Description = "PEM or DER file of a root to trust besides the OS store; repeatable.", AllowMultipleArgumentsPerToken = false };
            var transcript = new Option<bool>("--transcript") { Description = "Include the dialogue in the result." };
            var expiryDays = new Option<int>("--expiry-warning-days") { Description = "A certificate expiring within this many days is a finding (0: off).", DefaultValueFactory = _ => FindingOptions.DefaultExpiryWarningDays };
            var dane = new Option<bool>("--dane") { Description = "Also look up TLSA records for the host and port and match them against the presented chain (DANE)." };
            var dnsServer = new Option<string?>("--dns-server") { Description = "Resolver for the host name (and the TLSA records with --dane), address[:port]; the system's by default." };
            var json = new Option<bool>("--json") { Description = "Print the result as JSON (property names as in PowerShell); for a list, one object per line (NDJSON)." };
            var csv = new Option<bool>("--csv") { Description = "Print CSV: one header, one row per result, lists joined with \"; \"." };

            var command = new Command("test", "Test STARTTLS (or implicit TLS) on one server, or on every server of a list.")
            {
                host, input, parallel, protocol, port, implicitTls, timeout, greetingTimeout, checkEnforcement, ehloName, xmppDomain, trustedRoots,
                transcript, expiryDays, dane, dnsServer, json, csv,
            };
            command.SetAction((parse, cancel) =>
            {
                OutputFormat? format = ResultOutput.Choose(parse.GetValue(json), parse.GetValue(csv), stderr);
                if (format == null) return Task.FromResult(ExitCodes.Usage);
                string? hostText = parse.GetValue(host);
                string? inputPath = parse.GetValue(input);
                if (!CliInputs.OneTargetSource(hostText, inputPath, stderr)) return Task.FromResult(ExitCodes.Usage);
                var roots = new X509Certificate2Collection();
                if (!CliInputs.TryLoadRoots(parse.GetValue(trustedRoots), roots, stderr)) return Task.FromResult(ExitCodes.Usage);
                IPEndPoint? server = null;
                if (parse.GetValue(dnsServer) is string serverText)
                {
                    string? problem = DnsServerEndpoint.TryParse(serverText, out IPEndPoint endpoint);
                    if (problem != null) { stderr.WriteLine("error: " + problem); return Task.FromResult(ExitCodes.Usage); }
                    server = endpoint;
                }
                bool withDane = parse.GetValue(dane);

                StartTlsTestOptions Options(string hostName, int? portNumber, StartTlsProtocol protocolName)
                {
                    var options = new StartTlsTestOptions
                    {
                        HostName = hostName,
                        Protocol = protocolName,
                        Port = portNumber,
                        ImplicitTls = parse.GetValue(implicitTls),
                        Timeout = TimeSpan.FromSeconds(parse.GetValue(timeout)),
                        GreetingTimeout = TimeSpan.FromSeconds(parse.GetValue(greetingTimeout)),
                        CheckEnforcement = parse.GetValue(checkEnforcement),
                        EhloName = parse.GetValue(ehloName),
                        XmppDomain = parse.GetValue(xmppDomain),
                        IncludeTranscript = parse.GetValue(transcript),
                        ExpiryWarningDays = parse.GetValue(expiryDays),
                    };
                    options.TrustedRoots.AddRange(roots);
                    return options;
                }

                if (inputPath == null)
                    return RunAsync(Options(hostText!, parse.GetValue(port), parse.GetValue(protocol)), withDane, server, format.Value, stdout, stderr, cancel);

                var output = new ResultOutput(format.Value, stdout);
                return TargetListRunner.RunAsync(inputPath, stdin, parse.GetValue(parallel),
                    line =>
                    {
                        StartTlsTestOptions options = Options(line.HostName, line.Port ?? parse.GetValue(port), line.Protocol ?? parse.GetValue(protocol));
                        var problems = options.Validate();
                        return problems.Count > 0
                            ? new TargetListRunner.Prepared<StartTlsResult>(problems)
                            : new TargetListRunner.Prepared<StartTlsResult>(token => TestAsync(options, withDane, server, token));
                    },
                    result => result, result => result.IsHealthy, output, stderr, cancel);
            });
            return command;
        }

        private static async Task<int> RunAsync(StartTlsTestOptions options, bool dane, IPEndPoint? dnsServer, OutputFormat format, TextWriter stdout, TextWriter stderr, CancellationToken cancel)
        {
            if (!CliInputs.IsValid(options.Validate(), stderr)) return ExitCodes.Usage;
            StartTlsResult result = await TestAsync(options, dane, dnsServer, cancel);
            if (format == OutputFormat.Json) stdout.WriteLine(ResultWriter.ToJson(result));
            else new ResultOutput(format, stdout).Write(result);
            if (dane && result.DaneStatus == MailDomain.DaneStatus.Mismatch) stderr.WriteLine($"warning: DANE mismatch: {result.DaneReason}");
            return result.IsHealthy ? ExitCodes.Healthy : ExitCodes.NotHealthy;
        }

        /// <summary>The test, then with --dane the TLSA lookup and match against the chain it saw (as Test-StartTls -Dane).</summary>
        internal static async Task<StartTlsResult> TestAsync(StartTlsTestOptions options, bool dane, IPEndPoint? dnsServer, CancellationToken cancel)
        {
            var tester = new StartTlsTester(dnsServer == null ? null : new DnsClientResolver(dnsServer, options.Timeout).LookupHostAsync);
            StartTlsResult result = await tester.TestAsync(options, cancel);
            if (dane) await MailDomain.DaneForTest.CheckAsync(new DnsClientResolver(dnsServer, options.Timeout), result, cancel);
            return result;
        }
    }
}
