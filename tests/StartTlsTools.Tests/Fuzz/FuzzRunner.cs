using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using StartTlsTools.Transport;

namespace StartTlsTools.Tests.Fuzz
{
    /// <summary>
    /// A deterministic fuzz harness for the parsers. Case <c>i</c> of a run with seed <c>s</c> is a pure function
    /// of (parser, s, i), so any failure replays alone with <see cref="Input"/> and <see cref="RunCase"/>.
    /// This file and its siblings use no xunit, so a console entry point (bench/) can compile them as they are
    /// and run millions of cases: <c>FuzzRunner.Run("smtp-reply", 20261124, 10_000_000)</c>.
    /// </summary>
    public static class FuzzRunner
    {
        /// <summary>No input is ever larger than this: it bounds each case's time and memory.</summary>
        public const int MaxInputBytes = 64 * 1024;

        /// <summary>A case that does not finish within this time is reported as a hang (readers over memory never block).</summary>
        public static readonly TimeSpan HangLimit = TimeSpan.FromSeconds(10);

        /// <summary>The parser names <see cref="Run"/> accepts.</summary>
        public static IReadOnlyList<string> Parsers => FuzzTargets.Names;

        /// <summary>Runs <paramref name="cases"/> cases and returns the counts; never throws for a parser's failure (see Failures).</summary>
        public static FuzzRunResult Run(string parser, int seed, long cases, int maxFailuresKept = 5) =>
            Run(FuzzTargets.Get(parser), seed, cases, maxFailuresKept);

        /// <summary>The same over any target, including one defined outside <see cref="FuzzTargets"/>.</summary>
        public static FuzzRunResult Run(FuzzTarget target, int seed, long cases, int maxFailuresKept = 5)
        {
            string parser = target.Name;
            var result = new FuzzRunResult(parser, seed);
            var clock = Stopwatch.StartNew();
            for (long i = 0; i < cases; i++)
            {
                var random = new Random(CaseSeed(seed, i));
                var (kind, input) = target.MakeInput(random);
                result.Count(kind, input.Length);
                var fuzzCase = new FuzzCase(input, random);
                long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
                long started = Stopwatch.GetTimestamp();
                FuzzFailure? failure = null;
                try
                {
                    Execute(target, fuzzCase);
                    result.Completed++;
                }
                catch (ConnectionClosedException)
                {
                    result.EndedAtEof++;
                }
                catch (StartTlsProtocolException)
                {
                    result.Rejected++;
                }
                catch (Exception ex)
                {
                    failure = new FuzzFailure(parser, seed, i, kind, input, ex);
                }
                result.ParsingTime += Stopwatch.GetElapsedTime(started);
                result.ItemsParsed += fuzzCase.Parsed;
                // Allocations of this thread only: the readers complete synchronously over memory, so this is the case's cost.
                result.MaxCaseAllocatedBytes = Math.Max(result.MaxCaseAllocatedBytes, GC.GetAllocatedBytesForCurrentThread() - allocatedBefore);
                if (failure != null)
                {
                    result.FailureCount++;
                    if (result.Failures.Count < maxFailuresKept) result.Failures.Add(failure);
                }
            }
            result.Elapsed = clock.Elapsed;
            return result;
        }

        /// <summary>The exact input of one case, to replay or inspect it.</summary>
        public static byte[] Input(string parser, int seed, long caseIndex) =>
            FuzzTargets.Get(parser).MakeInput(new Random(CaseSeed(seed, caseIndex))).Input;

        /// <summary>Replays one case and lets whatever it throws escape, for a debugger.</summary>
        public static int RunCase(string parser, int seed, long caseIndex)
        {
            FuzzTarget target = FuzzTargets.Get(parser);
            var random = new Random(CaseSeed(seed, caseIndex));
            var (_, input) = target.MakeInput(random);
            var fuzzCase = new FuzzCase(input, random);
            Execute(target, fuzzCase);
            return fuzzCase.Parsed;
        }

        private static void Execute(FuzzTarget target, FuzzCase fuzzCase)
        {
            Task task = target.Execute(fuzzCase);
            // Waits without Task.Wait, which would wrap a fault in AggregateException (a dialect may await a pause).
            if (!task.IsCompleted && !((IAsyncResult)task).AsyncWaitHandle.WaitOne(HangLimit))
                throw new TimeoutException($"The parser did not finish within {HangLimit.TotalSeconds:0} s over an in-memory stream.");
            task.GetAwaiter().GetResult();
        }

        /// <summary>SplitMix64 of (seed, index): independent, reproducible per-case seeds.</summary>
        public static int CaseSeed(int seed, long caseIndex)
        {
            ulong z = unchecked(((ulong)(uint)seed << 32) + (ulong)caseIndex + 0x9E3779B97F4A7C15UL);
            z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
            z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
            z ^= z >> 31;
            return unchecked((int)z);
        }

        /// <summary>Offset, hex and ASCII, 16 bytes a row; long inputs are cut (replay them with <see cref="Input"/>).</summary>
        public static string HexDump(byte[] bytes, int maxBytes = 1024)
        {
            var sb = new StringBuilder();
            int shown = Math.Min(bytes.Length, maxBytes);
            for (int row = 0; row < shown; row += 16)
            {
                sb.Append(row.ToString("x6", CultureInfo.InvariantCulture)).Append("  ");
                for (int i = row; i < row + 16; i++)
                    sb.Append(i < shown ? bytes[i].ToString("x2", CultureInfo.InvariantCulture) + " " : "   ");
                sb.Append(' ');
                for (int i = row; i < Math.Min(row + 16, shown); i++)
                    sb.Append(bytes[i] >= 0x20 && bytes[i] < 0x7F ? (char)bytes[i] : '.');
                sb.Append('\n');
            }
            if (bytes.Length > shown) sb.Append($"... {bytes.Length - shown} more bytes\n");
            return sb.ToString();
        }
    }

    /// <summary>How a case's input was made.</summary>
    public enum FuzzInputKind { Random, Mutated, Generated }

    /// <summary>The counts of one run. Every case ends in exactly one of Completed, Rejected, EndedAtEof or a failure.</summary>
    public sealed class FuzzRunResult
    {
        public FuzzRunResult(string parser, int seed)
        {
            Parser = parser;
            Seed = seed;
        }

        public string Parser { get; }
        public int Seed { get; }
        public long Cases { get; private set; }
        public long RandomInputs { get; private set; }
        public long MutatedInputs { get; private set; }
        public long GeneratedInputs { get; private set; }
        public long TotalInputBytes { get; private set; }
        public int LargestInput { get; private set; }

        /// <summary>The parser consumed the input without objecting (string parsers, DER, whole negotiations).</summary>
        public long Completed { get; internal set; }
        /// <summary>The parser threw StartTlsProtocolException: the documented way to say "malformed".</summary>
        public long Rejected { get; internal set; }
        /// <summary>The parser ran out of input (ConnectionClosedException, the EOF subclass).</summary>
        public long EndedAtEof { get; internal set; }
        /// <summary>Replies, lines, responses or elements parsed successfully across all cases: proof the fuzzer got past the first byte.</summary>
        public long ItemsParsed { get; internal set; }
        public long FailureCount { get; internal set; }
        /// <summary>The first few failures, each with what it takes to replay it.</summary>
        public List<FuzzFailure> Failures { get; } = new List<FuzzFailure>();
        /// <summary>The most one case allocated (this thread, bytes).</summary>
        public long MaxCaseAllocatedBytes { get; internal set; }
        public TimeSpan Elapsed { get; internal set; }
        /// <summary>The part of Elapsed spent in the parsers (the rest is making inputs).</summary>
        public TimeSpan ParsingTime { get; internal set; }

        public bool Passed => FailureCount == 0;

        internal void Count(FuzzInputKind kind, int length)
        {
            Cases++;
            TotalInputBytes += length;
            LargestInput = Math.Max(LargestInput, length);
            if (kind == FuzzInputKind.Random) RandomInputs++;
            else if (kind == FuzzInputKind.Mutated) MutatedInputs++;
            else GeneratedInputs++;
        }

        public override string ToString() => string.Format(CultureInfo.InvariantCulture,
            "{0} seed {1}: {2} cases ({3} random, {4} mutated, {5} generated; {6:0.0} MB in, largest {7} B) in {8:0.00} s ({15:0.00} s parsing): " +
            "{9} completed, {10} rejected, {11} ended at EOF, {12} items parsed, {13} failures; max {14:0} KB allocated by one case.",
            Parser, Seed, Cases, RandomInputs, MutatedInputs, GeneratedInputs, TotalInputBytes / 1e6, LargestInput, Elapsed.TotalSeconds,
            Completed, Rejected, EndedAtEof, ItemsParsed, FailureCount, MaxCaseAllocatedBytes / 1024.0, ParsingTime.TotalSeconds);

        /// <summary>The summary plus every kept failure in full.</summary>
        public string Report() => ToString() + string.Concat(Failures.Select(f => "\n\n" + f));
    }

    public sealed class FuzzFailure
    {
        public FuzzFailure(string parser, int seed, long caseIndex, FuzzInputKind kind, byte[] input, Exception exception)
        {
            Parser = parser;
            Seed = seed;
            CaseIndex = caseIndex;
            Kind = kind;
            Input = input;
            Exception = exception;
        }

        public string Parser { get; }
        public int Seed { get; }
        public long CaseIndex { get; }
        public FuzzInputKind Kind { get; }
        public byte[] Input { get; }
        public Exception Exception { get; }

        public override string ToString() =>
            $"{Parser} seed {Seed} case {CaseIndex} ({Kind} input, {Input.Length} bytes) threw {Exception.GetType().FullName}: {Exception.Message}\n" +
            $"Replay: FuzzRunner.RunCase(\"{Parser}\", {Seed}, {CaseIndex})\n" +
            FuzzRunner.HexDump(Input) +
            Exception.StackTrace;
    }
}
