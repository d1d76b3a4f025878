using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using StartTlsTools.MailDomain;
using StartTlsTools.Resolution;

namespace StartTlsTools.Cli
{
    /// <summary>starttls domain DOMAIN... [--dns-server address[:port]] [--json]: the mail-domain test, one row per MX address.</summary>
    internal static class DomainCommand
    {
        public static Command Build(TextWriter stdout, TextWriter stderr)
        {
            var domains = new Argument<string[]>("domain") { Description = "Mail domain(s) to test, e.g. contoso.com.", Arity = ArgumentArity.OneOrMore };
            var dnsServer = new Option<string?>("--dns-server") { Description = "Resolver for every lookup, address[:port]; the system's DNS servers by default." };
            var timeout = new Option<int>("--timeout") { Description = "Seconds per network step.", DefaultValueFactory = _ => 10 };
            var ehloName = new Option<string?>("--ehlo-name") { Description = "Name sent in EHLO; this machine's FQDN by default." };
            var trustedRoots = new Option<string[]>("--trusted-root") { Description = "PEM or DER file of a root to trust besides the OS store; repeatable.", AllowMultipleArgumentsPerToken = false };
            var json = new Option<bool>("--json") { Description = "Print the rows as a JSON array (property names as in PowerShell)." };

            var command = new Command("domain", "Test a mail domain: MX, STARTTLS on each MX, DANE, MTA-STS and TLS-RPT.")
            {
                domains, dnsServer, timeout, ehloName, trustedRoots, json,
            };
            command.SetAction((parse, cancel) =>
            {
                var list = new List<MailDomainTestOptions>();
                IPEndPoint? server = null;
                string? serverText = parse.GetValue(dnsServer);
                if (serverText != null)
                {
                    string? problem = DnsServerEndpoint.TryParse(serverText, out IPEndPoint endpoint);
                    if (problem != null) { stderr.WriteLine("error: " + problem); return Task.FromResult(ExitCodes.Usage); }
                    server = endpoint;
                }
                foreach (string domain in parse.GetValue(domains) ?? Array.Empty<string>())
                {
                    var options = new MailDomainTestOptions
                    {
                        Domain = domain,
                        DnsServer = server,
                        Timeout = TimeSpan.FromSeconds(parse.GetValue(timeout)),
                        EhloName = parse.GetValue(ehloName),
                    };
                    if (!CliInputs.TryLoadRoots(parse.GetValue(trustedRoots), options.TrustedRoots, stderr)) return Task.FromResult(ExitCodes.Usage);
                    if (!CliInputs.IsValid(options.Validate(), stderr)) return Task.FromResult(ExitCodes.Usage);
                    list.Add(options);
                }
                return RunAsync(list, parse.GetValue(json), stdout, cancel);
            });
            return command;
        }

        private static async Task<int> RunAsync(List<MailDomainTestOptions> list, bool json, TextWriter stdout, CancellationToken cancel)
        {
            var rows = new List<MailDomainResult>();
            foreach (MailDomainTestOptions options in list)
                rows.AddRange(await MailDomainTester.ForOptions(options).TestAsync(options, cancel));
            if (json) stdout.WriteLine(ResultWriter.ToJson(rows));
            else
            {
                for (int i = 0; i < rows.Count; i++)
                {
                    if (i > 0) stdout.WriteLine();
                    ResultWriter.WriteList(rows[i], stdout);
                }
            }
            return rows.All(IsHealthy) ? ExitCodes.Healthy : ExitCodes.NotHealthy;
        }

        /// <summary>Healthy: no finding above Low (testing mode and a missing TLS-RPT do not fail a domain; a null MX is Info).</summary>
        internal static bool IsHealthy(MailDomainResult row) => row.Findings.All(f => f.Severity <= FindingSeverity.Low);
    }
}
