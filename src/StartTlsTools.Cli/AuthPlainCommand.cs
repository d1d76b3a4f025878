using System;
using System.CommandLine;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace StartTlsTools.Cli
{
    /// <summary>
    /// starttls auth-plain HOST --user NAME [--password-env NAME | --password-stdin] [--port N] [--implicit-tls] ...
    /// The password never comes from an argument (arguments show up in ps and shell history).
    /// Exit codes: 0 authenticated, 1 not authenticated (any reason), 2 bad usage.
    /// </summary>
    internal static class AuthPlainCommand
    {
        public static Command Build(TextWriter stdout, TextWriter stderr, TextReader stdin)
        {
            var host = new Argument<string>("host") { Description = "Host name, IPv4 or IPv6 literal." };
            var user = new Option<string>("--user", "-u") { Description = "User name to authenticate as.", Required = true };
            var passwordEnv = new Option<string>("--password-env") { Description = "Environment variable that holds the password.", DefaultValueFactory = _ => CliInputs.DefaultPasswordVariable };
            var passwordStdin = new Option<bool>("--password-stdin") { Description = "Read the password from the first line of stdin instead." };
            var authzid = new Option<string?>("--authzid") { Description = "Authorization identity (act as this user), RFC 4616." };
            var port = new Option<int?>("--port") { Description = "Port; 587, or 465 with --implicit-tls, when omitted." };
            var implicitTls = new Option<bool>("--implicit-tls") { Description = "Start TLS at once (SMTPS, 465) instead of STARTTLS." };
            var timeout = new Option<int>("--timeout") { Description = "Seconds per network step.", DefaultValueFactory = _ => 10 };
            var greetingTimeout = new Option<int>("--greeting-timeout") { Description = "Seconds to wait for the server's greeting, which tarpits delay on purpose.", DefaultValueFactory = _ => TargetOptions.DefaultGreetingTimeoutSeconds };
            var ehloName = new Option<string?>("--ehlo-name") { Description = "Name sent in EHLO; this machine's FQDN by default." };
            var trustedRoots = new Option<string[]>("--trusted-root") { Description = "PEM or DER file of a root to trust besides the OS store; repeatable." };
            var allowPlaintext = new Option<bool>("--allow-plaintext") { Description = "Send the credentials without TLS when the server offers none." };
            var skipCertificateCheck = new Option<bool>("--skip-certificate-check") { Description = "Send the credentials even when the certificate is invalid." };
            var transcript = new Option<bool>("--transcript") { Description = "Include the dialogue (secret redacted) in the result." };
            var json = new Option<bool>("--json") { Description = "Print the result as JSON (property names as in PowerShell)." };
            // Declared only to refuse it without echoing its value (the parser would quote an unknown token).
            var passwordArgument = new Option<string?>("--password", "-p") { Hidden = true };

            var command = new Command("auth-plain", "Authenticate with SMTP AUTH PLAIN after STARTTLS (or on implicit TLS) and report the server's verdict.")
            {
                host, user, passwordEnv, passwordStdin, authzid, port, implicitTls, timeout, greetingTimeout, ehloName, trustedRoots,
                allowPlaintext, skipCertificateCheck, transcript, json, passwordArgument,
            };
            command.SetAction((parse, cancel) =>
            {
                if (parse.GetResult(passwordArgument) != null)
                {
                    stderr.WriteLine("error: the password is never taken from an argument (it would show in the process list and shell history): use --password-env NAME or --password-stdin.");
                    return Task.FromResult(ExitCodes.Usage);
                }
                var options = new SmtpAuthPlainOptions
                {
                    HostName = parse.GetValue(host) ?? "",
                    UserName = parse.GetValue(user) ?? "",
                    AuthorizationIdentity = parse.GetValue(authzid),
                    Port = parse.GetValue(port),
                    ImplicitTls = parse.GetValue(implicitTls),
                    Timeout = TimeSpan.FromSeconds(parse.GetValue(timeout)),
                    GreetingTimeout = TimeSpan.FromSeconds(parse.GetValue(greetingTimeout)),
                    EhloName = parse.GetValue(ehloName),
                    AllowPlaintext = parse.GetValue(allowPlaintext),
                    SkipCertificateCheck = parse.GetValue(skipCertificateCheck),
                    IncludeTranscript = parse.GetValue(transcript),
                };
                if (!CliInputs.TryLoadRoots(parse.GetValue(trustedRoots), options.TrustedRoots, stderr)) return Task.FromResult(ExitCodes.Usage);
                options.Password = CliInputs.ReadPassword(parse.GetValue(passwordStdin), parse.GetValue(passwordEnv) ?? CliInputs.DefaultPasswordVariable, stdin, stderr);
                if (options.Password == null) return Task.FromResult(ExitCodes.Usage);
                return RunAsync(options, parse.GetValue(json), stdout, stderr, cancel);
            });
            return command;
        }

        private static async Task<int> RunAsync(SmtpAuthPlainOptions options, bool json, TextWriter stdout, TextWriter stderr, CancellationToken cancel)
        {
            using (options.Password)
            {
                if (!CliInputs.IsValid(options.Validate(), stderr)) return ExitCodes.Usage;
                SmtpAuthResult result = await new SmtpAuthPlainClient().AuthenticateAsync(options, cancel);
                if (json) stdout.WriteLine(ResultWriter.ToJson(result));
                else ResultWriter.WriteList(result, stdout);
                return result.Succeeded ? ExitCodes.Healthy : ExitCodes.NotHealthy;
            }
        }
    }
}
