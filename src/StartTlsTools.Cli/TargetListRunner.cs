using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using StartTlsTools.Engine;

namespace StartTlsTools.Cli
{
    internal enum OutputFormat
    {
        List,
        Json,
        Csv,
    }

    /// <summary>Writes results as they come: the list view, one JSON object per line (NDJSON), or CSV with one header.</summary>
    internal sealed class ResultOutput
    {
        private readonly OutputFormat _format;
        private readonly TextWriter _stdout;
        private Type? _csvType;
        private int _written;

        public ResultOutput(OutputFormat format, TextWriter stdout)
        {
            _format = format;
            _stdout = stdout;
        }

        public static OutputFormat? Choose(bool json, bool csv, TextWriter stderr)
        {
            if (json && csv)
            {
                stderr.WriteLine("error: --json and --csv cannot be used together.");
                return null;
            }
            return json ? OutputFormat.Json : csv ? OutputFormat.Csv : OutputFormat.List;
        }

        public void Write(object result)
        {
            switch (_format)
            {
                case OutputFormat.Json:
                    _stdout.WriteLine(ResultWriter.ToJsonLine(result));
                    break;
                case OutputFormat.Csv:
                    if (_csvType == null)
                    {
                        _csvType = result.GetType();
                        _stdout.WriteLine(ResultWriter.CsvHeader(_csvType));
                    }
                    _stdout.WriteLine(ResultWriter.CsvRow(result));
                    break;
                default:
                    if (_written > 0) _stdout.WriteLine();
                    ResultWriter.WriteList(result, _stdout);
                    break;
            }
            _written++;
            // Streamed: a reader (jq, a log, a person) sees each target as it completes.
            _stdout.Flush();
        }
    }

    /// <summary>
    /// Runs one command over a target list (--input FILE or -) through the engine's <see cref="TargetScheduler{TResult}"/>:
    /// lines are read as the run goes, at most --parallel targets run at once, and each result is written when it
    /// completes, on this thread. A malformed line is reported on stderr with its number and skipped.
    /// </summary>
    internal static class TargetListRunner
    {
        public const int DefaultParallel = 32;
        public const int MaxParallel = 1024;

        /// <summary>What a line becomes: the work to run, or the problems that keep it from running.</summary>
        internal readonly struct Prepared<TResult>
        {
            public Prepared(Func<CancellationToken, Task<TResult>> work)
            {
                Work = work;
                Problems = Array.Empty<string>();
            }

            public Prepared(IReadOnlyList<string> problems)
            {
                Work = null;
                Problems = problems;
            }

            public Func<CancellationToken, Task<TResult>>? Work { get; }
            public IReadOnlyList<string> Problems { get; }
        }

        /// <summary>
        /// Exit codes: 0 every target healthy, 1 some target not healthy, 2 bad usage (the input cannot be opened),
        /// 3 some lines were malformed and skipped (the others ran and are in the output), 130 cancelled.
        /// </summary>
        public static Task<int> RunAsync<TResult>(
            string inputPath, TextReader stdin, int parallel,
            Func<TargetLine, Prepared<TResult>> prepare, Func<TResult, object> toOutput, Func<TResult, bool> isHealthy,
            ResultOutput output, TextWriter stderr, CancellationToken cancel)
        {
            if (parallel < 1 || parallel > MaxParallel)
            {
                stderr.WriteLine($"error: --parallel must be 1 to {MaxParallel}.");
                return Task.FromResult(ExitCodes.Usage);
            }
            TextReader input;
            try
            {
                input = inputPath == "-" ? stdin : File.OpenText(inputPath);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is ArgumentException || ex is NotSupportedException)
            {
                stderr.WriteLine($"error: cannot read '{inputPath}': {ex.Message}");
                return Task.FromResult(ExitCodes.Usage);
            }
            // Off the invoking thread, so the Ctrl+C handling sees a running task; results are still written from one thread.
            return Task.Run(() =>
            {
                try { return Run(input, parallel, prepare, toOutput, isHealthy, output, stderr, cancel); }
                finally { if (!ReferenceEquals(input, stdin)) input.Dispose(); }
            });
        }

        private static int Run<TResult>(
            TextReader input, int parallel,
            Func<TargetLine, Prepared<TResult>> prepare, Func<TResult, object> toOutput, Func<TResult, bool> isHealthy,
            ResultOutput output, TextWriter stderr, CancellationToken cancel)
        {
            int badLines = 0, unhealthy = 0;
            using var scheduler = new TargetScheduler<TResult>(parallel, cancel);
            try
            {
                foreach (TargetLine line in TargetListReader.Read(input))
                {
                    Prepared<TResult> prepared = line.Error == null ? prepare(line) : new Prepared<TResult>(new[] { line.Error });
                    if (prepared.Work == null)
                    {
                        badLines++;
                        foreach (string problem in prepared.Problems) stderr.WriteLine($"error: line {line.LineNumber}: {problem}");
                        continue;
                    }
                    scheduler.Start(line.Label, prepared.Work, result =>
                    {
                        output.Write(toOutput(result));
                        if (!isHealthy(result)) unhealthy++;
                    });
                }
                scheduler.Finish();
            }
            catch (OperationCanceledException)
            {
                scheduler.WaitForCancelledTargets();
                stderr.WriteLine($"cancelled: {scheduler.Completed} of {scheduler.Started} started targets completed.");
                return ExitCodes.Cancelled;
            }
            catch (IOException ex)
            {
                // The input broke off (a closed pipe, a vanished file): finish what started, then say so.
                stderr.WriteLine($"error: reading the input failed after {scheduler.Started} targets: {ex.Message}");
                scheduler.Finish();
                badLines++;
            }
            if (badLines > 0) stderr.WriteLine($"{badLines} input line(s) were malformed and skipped; {scheduler.Completed} target(s) ran.");
            else if (scheduler.Started == 0) stderr.WriteLine("note: the input had no targets.");
            return badLines > 0 ? ExitCodes.BadInput : unhealthy > 0 ? ExitCodes.NotHealthy : ExitCodes.Healthy;
        }
    }
}
