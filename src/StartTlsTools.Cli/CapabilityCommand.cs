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
    /// <summary>starttls capability HOST --protocol smtp [--port N] [--implicit-tls] [--json] [--max-connections N] [--summary]</summary>
    internal static class CapabilityCommand
    {
        public static Command Build(TextWriter stdout, TextWriter stderr)
        {
            var host = new Argument<string>("host") { Description = "Host name, IPv4 or IPv6 literal." };
            var protocol = new Option<StartTlsProtocol>("--protocol", "-p") { Description = "Protocol whose STARTTLS preamble each probe replays.", DefaultValueFactory = _ => StartTlsProtocol.Smtp };
            var port = new Option<int?>("--port") { Description = "Port; the protocol's default when omitted." };
            var implicitTls = new Option<bool>("--implicit-tls") { Description = "Probe TLS right after connect (465, 993, 995) instead of STARTTLS." };
            var timeout = new Option<int>("--timeout") { Description = "Seconds per network step of each probe.", DefaultValueFactory = _ => 10 };
            var greetingTimeout = new Option<int>("--greeting-timeout") { Description = "Seconds to wait for the server's greeting, which tarpits delay on purpose.", DefaultValueFactory = _ => TargetOptions.DefaultGreetingTimeoutSeconds };
            var ehloName = new Option<string?>("--ehlo-name") { Description = "Name sent in EHLO/LHLO; this machine's FQDN by default." };
            var maxConnections = new Option<int>("--max-connections") { Description = "Connections open at once to the host.", DefaultValueFactory = _ => Transport.HostConnectionLimiter.DefaultMaxPerHost };
            var delay = new Option<int>("--probe-delay") { Description = "Milliseconds between the starts of two probe connections.", DefaultValueFactory = _ => 0 };
            var summary = new Option<bool>("--summary") { Description = "Also print the summary (versions, server order, groups, certificate, connections)." };
            var json = new Option<bool>("--json") { Description = "Print JSON: an array of suite objects, then the summary object with --summary." };

            var command = new Command("capability", "List the TLS versions, cipher suites and groups a server accepts.")
            {
                host, protocol, port, implicitTls, timeout, greetingTimeout, ehloName, maxConnections, delay, summary, json,
            };
            command.SetAction((parse, cancel) =>
            {
                var options = new TlsCapabilityOptions
                {
                    HostName = parse.GetValue(host) ?? "",
                    Protocol = parse.GetValue(protocol),
                    Port = parse.GetValue(port),
                    ImplicitTls = parse.GetValue(implicitTls),
                    Timeout = TimeSpan.FromSeconds(parse.GetValue(timeout)),
                    GreetingTimeout = TimeSpan.FromSeconds(parse.GetValue(greetingTimeout)),
                    EhloName = parse.GetValue(ehloName),
                    MaxConnectionsPerHost = parse.GetValue(maxConnections),
                    ProbeDelayMilliseconds = parse.GetValue(delay),
                };
                return RunAsync(options, parse.GetValue(summary), parse.GetValue(json), stdout, stderr, cancel);
            });
            return command;
        }

        private static async Task<int> RunAsync(TlsCapabilityOptions options, bool withSummary, bool json, TextWriter stdout, TextWriter stderr, CancellationToken cancel)
        {
            if (!CliInputs.IsValid(options.Validate(), stderr)) return ExitCodes.Usage;
            TlsCapabilityReport report = await new TlsCapabilityScanner().ScanAsync(options, cancel);
            if (json)
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
