using System;
using System.CommandLine;
using System.IO;

namespace StartTlsTools.Cli
{
    /// <summary>The console front end: the same engine and the same result objects as the cmdlets, as a list or JSON.</summary>
    public static class Program
    {
        public static int Main(string[] args) => Run(args, Console.Out, Console.Error, Console.In);

        /// <summary>Exit codes: 0 healthy, 1 tested but not healthy, 2 bad usage, 3 a target list had malformed lines (the rest ran), 130 cancelled.</summary>
        public static int Run(string[] args, TextWriter stdout, TextWriter stderr, TextReader? stdin = null)
        {
            var root = new RootCommand("StartTlsTools: STARTTLS and TLS diagnostics for mail, directory and chat servers.");
            root.Subcommands.Add(TestCommand.Build(stdout, stderr, stdin ?? Console.In));
            root.Subcommands.Add(InjectionCommand.Build(stdout, stderr));
            root.Subcommands.Add(AuthPlainCommand.Build(stdout, stderr, stdin ?? Console.In));
            root.Subcommands.Add(CompareCommand.Build(stdout, stderr));
            root.Subcommands.Add(CapabilityCommand.Build(stdout, stderr, stdin ?? Console.In));
            root.Subcommands.Add(DomainCommand.Build(stdout, stderr));
            root.Subcommands.Add(ReportCommand.Build(stdout, stderr, stdin ?? Console.In));
            ParseResult parsed = root.Parse(args);
            if (parsed.Errors.Count > 0)
            {
                foreach (var error in parsed.Errors) stderr.WriteLine("error: " + error.Message);
                stderr.WriteLine("Run 'starttls --help' for usage.");
                return ExitCodes.Usage;
            }
            // System.CommandLine handles Ctrl+C itself: the token it passes each action is cancelled on the first press.
            return parsed.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr });
        }
    }

    internal static class ExitCodes
    {
        public const int Healthy = 0;
        public const int NotHealthy = 1;
        public const int Usage = 2;
        /// <summary>A target list had malformed lines: they were skipped, the other targets ran.</summary>
        public const int BadInput = 3;
        /// <summary>Ctrl+C, as shells report SIGINT.</summary>
        public const int Cancelled = 130;
    }
}
