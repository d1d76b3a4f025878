using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using StartTlsTools.Probing;

namespace StartTlsTools.Cli
{
    /// <summary>
    /// starttls capability HOST --protocol smtp [--port N] [--implicit-tls] [--json|--csv] [--max-connections N] [--summary]
    /// starttls capability --input FILE|- [--parallel N] ...: one summary per line of the list, streamed as each completes.
    /// </summary>
    internal static class CapabilityCommand
    {
        public static Command Build(TextWriter stdout, TextWriter stderr, TextReader stdin)
        {
            var host = new Argument<string?>("host") { Description = "Host name, IPv4 or IPv6 literal (or --input for a list).", Arity = ArgumentArity.ZeroOrOne };
            var input = new Option<string?>("--input", "-i") { Description = "A list of targets, '-' for standard input: lines of 'host[:port] [protocol]', or a CSV with HostName, Port, Protocol columns; # starts a comment. Prints one summary per target." };
            var parallel = new Option<int>("--parallel") { Description = "Targets of a list scanned at once (1: one after another, in order); --max-connections still caps each host.", DefaultValueFactory = _ => TargetListRunner.DefaultParallel };
            var protocol = new Option<StartTlsProtocol>("--protocol", "-p") { Description = "Protocol whose STARTTLS preamble each probe replays.", DefaultValueFactory = _ => StartTlsProtocol.Smtp };
            var port = new Option<int?>("--port") { Description = "Port; the protocol's default when omitted." };
            var implicitTls = new Option<bool>("--implicit-tls") { Description = "Probe TLS right after connect (465, 993, 995) instead of STARTTLS." };
            var timeout = new Option<int>("--timeout") { Description = "Seconds per network step of each probe.", DefaultValueFactory = _ => 10 };
            var greetingTimeout = new Option<int>("--greeting-timeout") { Description = "Seconds to wait for the server's greeting, which tarpits delay on purpose.", DefaultValueFactory = _ => TargetOptions.DefaultGreetingTimeoutSeconds };
            var ehloName = new Option<string?>("--ehlo-name") { Description = "Name sent in EHLO/LHLO; this machine's FQDN by default." };
            var maxConnections = new Option<int>("--max-connections") { Description = "Connections open at once to the host.", DefaultValueFactory = _ => Transport.HostConnectionLimiter.DefaultMaxPerHost };
            var delay = new Option<int>("--probe-delay") { Description = "Milliseconds between the starts of two probe connections.", DefaultValueFactory = _ => 0 };
            var summary = new Option<bool>("--summary") { Description = "Also print the summary (versions, server order, groups, certificate, connections)." };
            var json = new Option<bool>("--json") { Description = "Print JSON: an array of suite objects, then the summary object with --summary; for a list, one summary object per line (NDJSON)." };
            var csv = new Option<bool>("--csv") { Description = "Print CSV: one header, then one row per cipher suite (for a list: per target summary)." };

            var command = new Command("capability", "List the TLS versions, cipher suites and groups a server accepts (or summarise each server of a list).")
            {
                host, input, parallel, protocol, port, implicitTls, timeout, greetingTimeout, ehloName, maxConnections, delay, summary, json, csv,
            };
            command.SetAction((parse, cancel) =>
            {
                OutputFormat? format = ResultOutput.Choose(parse.GetValue(json), parse.GetValue(csv), stderr);
                if (format == null) return Task.FromResult(ExitCodes.Usage);
                string? hostText = parse.GetValue(host);
                string? inputPath = parse.GetValue(input);
                if (!CliInputs.OneTargetSource(hostText, inputPath, stderr)) return Task.FromResult(ExitCodes.Usage);
                if (inputPath == null && format == OutputFormat.Csv && parse.GetValue(summary))
                {
                    stderr.WriteLine("error: --csv prints the cipher suites; use --json for the suites and the summary together.");
                    return Task.FromResult(ExitCodes.Usage);
                }

                TlsCapabilityOptions Options(string hostName, int? portNumber, StartTlsProtocol protocolName) => new TlsCapabilityOptions
                {
                    HostName = hostName,
                    Protocol = protocolName,
                    Port = portNumber,
                    ImplicitTls = parse.GetValue(implicitTls),
                    Timeout = TimeSpan.FromSeconds(parse.GetValue(timeout)),
                    GreetingTimeout = TimeSpan.FromSeconds(parse.GetValue(greetingTimeout)),
                    EhloName = parse.GetValue(ehloName),
                    MaxConnectionsPerHost = parse.GetValue(maxConnections),
                    ProbeDelayMilliseconds = parse.GetValue(delay),
                };

                if (inputPath == null)
                    return RunAsync(Options(hostText!, parse.GetValue(port), parse.GetValue(protocol)), parse.GetValue(summary), format.Value, stdout, stderr, cancel);

                var output = new ResultOutput(format.Value, stdout);
                return TargetListRunner.RunAsync(inputPath, stdin, parse.GetValue(parallel),
                    line =>
                    {
                        TlsCapabilityOptions options = Options(line.HostName, line.Port ?? parse.GetValue(port), line.Protocol ?? parse.GetValue(protocol));
                        var problems = options.Validate();
                        return problems.Count > 0
                            ? new TargetListRunner.Prepared<TlsCapabilitySummary>(problems)
                            : new TargetListRunner.Prepared<TlsCapabilitySummary>(async token => (await new TlsCapabilityScanner().ScanAsync(options, token)).Summary);
                    },
                    summaryRow => summaryRow, summaryRow => summaryRow.Status == TlsCapabilityStatus.Success, output, stderr, cancel);
            });
            return command;
        }

        private static async Task<int> RunAsync(TlsCapabilityOptions options, bool withSummary, OutputFormat format, TextWriter stdout, TextWriter stderr, CancellationToken cancel)
        {
            if (!CliInputs.IsValid(options.Validate(), stderr)) return ExitCodes.Usage;
            TlsCapabilityReport report = await new TlsCapabilityScanner().ScanAsync(options, cancel);
            if (format == OutputFormat.Csv)
            {
                var rows = new ResultOutput(OutputFormat.Csv, stdout);
                foreach (TlsCipherSuiteResult suite in report.CipherSuites) rows.Write(suite);
            }
            else if (format == OutputFormat.Json)
            {
                var items = new List<object>(report.CipherSuites);
                if (withSummary) items.Add(report.Summary);
                stdout.WriteLine(ResultWriter.ToJson(items));
            }
            else
            {
                WriteTable(report.CipherSuites, stdout);
                if (withSummary)
                {
                    stdout.WriteLine();
                    ResultWriter.WriteList(report.Summary, stdout);
                }
            }
            if (report.Summary.Status != TlsCapabilityStatus.Success)
                stderr.WriteLine($"{report.Summary.Status}: {report.Summary.Reason}");
            return report.Summary.Status == TlsCapabilityStatus.Success ? ExitCodes.Healthy : ExitCodes.NotHealthy;
        }

        private static void WriteTable(IReadOnlyList<TlsCipherSuiteResult> rows, TextWriter output)
        {
            if (rows.Count == 0) return;
            int nameWidth = Math.Max("CipherSuite".Length, rows.Max(r => r.CipherSuite.Length));
            output.WriteLine($"{"TlsVersion",-10} {"Rank",4} {"Code",-8} {"CipherSuite".PadRight(nameWidth)} {"Bits",4} {"FS",-5} Rating");
            foreach (var r in rows)
                output.WriteLine($"{r.TlsVersion,-10} {r.PreferenceRank,4} {r.Code,-8} {r.CipherSuite.PadRight(nameWidth)} {r.Bits,4} {r.ForwardSecrecy,-5} {r.Rating}");
        }
    }
}
