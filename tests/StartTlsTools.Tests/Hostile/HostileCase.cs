using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace StartTlsTools.Tests.Hostile
{
    /// <summary>
    /// Runs one StartTlsTester test against one hostile script and checks what every case must satisfy:
    /// no exception escapes, the status names what went wrong, and no descriptor is left open.
    /// No wall-clock bounds are asserted (they are flaky on a loaded machine): a Timeout status rather than a
    /// hang, or Cancelled rather than Timeout, is what proves the engine stopped waiting.
    /// </summary>
    internal static class HostileCase
    {
        public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(2);

        /// <summary>4 KiB of random bytes, the same in every run: a server that speaks no protocol at all.</summary>
        public static byte[] Garbage()
        {
            var bytes = new byte[4096];
            new Random(20261124).NextBytes(bytes);
            return bytes;
        }

        /// <param name="greetingTimeout">The wait for the greeting; the step timeout unless a case tests the greeting wait itself.</param>
        public static async Task<HostileOutcome> RunAsync(Func<HostileConnection, CancellationToken, Task> script,
            StartTlsProtocol protocol = StartTlsProtocol.Smtp, TimeSpan? timeout = null, CancellationToken cancel = default,
            TimeSpan? greetingTimeout = null, bool checkEnforcement = false)
        {
            var descriptorsBefore = OpenDescriptors.Snapshot();
            StartTlsResult? result = null;
            Exception? escaped = null;
            var server = new HostileServer(script);
            try
            {
                var options = new StartTlsTestOptions
                {
                    HostName = "127.0.0.1",
                    Port = server.Port,
                    Protocol = protocol,
                    EhloName = "client.test",
                    Timeout = timeout ?? DefaultTimeout,
                    GreetingTimeout = greetingTimeout ?? timeout ?? DefaultTimeout,
                    IncludeTranscript = true,
                    CheckEnforcement = checkEnforcement,
                };
                try
                {
                    result = await new StartTlsTester().TestAsync(options, cancel);
                }
                catch (Exception ex)
                {
                    escaped = ex;
                }
            }
            finally
            {
                await server.DisposeAsync();
            }
            var leaked = await OpenDescriptors.WaitUntilNoMoreThanAsync(descriptorsBefore, TimeSpan.FromSeconds(1));
            return new HostileOutcome(result, escaped, leaked, server.ReceivedLines.ToList());
        }
    }

    internal sealed class HostileOutcome
    {
        private readonly StartTlsResult? _result;

        public HostileOutcome(StartTlsResult? result, Exception? escaped,
            IReadOnlyList<string> leakedDescriptors, IReadOnlyList<string> clientLines)
        {
            _result = result;
            Escaped = escaped;
            LeakedDescriptors = leakedDescriptors;
            ClientLines = clientLines;
        }

        public Exception? Escaped { get; }
        /// <summary>Descriptors open after the case that were not open before it, as "fd -> target".</summary>
        public IReadOnlyList<string> LeakedDescriptors { get; }
        /// <summary>Every line the client sent, as the server saw it.</summary>
        public IReadOnlyList<string> ClientLines { get; }

        public StartTlsResult Result => _result ?? throw new InvalidOperationException("No result: " + Escaped);

        /// <summary>The checks every hostile case shares: status, a reason naming the problem, no leaks.</summary>
        public HostileOutcome AssertFinished(StartTlsStatus expected, params string[] reasonMentions)
        {
            Assert.True(Escaped == null, $"An exception escaped StartTlsTester: {Escaped}");
            Assert.True(Result.Status == expected,
                $"Expected {expected} but got {Result.Status}: {Result.Reason}\n{Result.Transcript}");
            foreach (string mention in reasonMentions)
                Assert.True(Result.Reason.IndexOf(mention, StringComparison.OrdinalIgnoreCase) >= 0,
                    $"The reason should mention '{mention}': {Result.Reason}");
            Assert.True(LeakedDescriptors.Count == 0,
                "Descriptors left open after the case: " + string.Join(", ", LeakedDescriptors));
            return this;
        }
    }

    /// <summary>The process's open file descriptors, from /proc/self/fd (Linux).</summary>
    internal static class OpenDescriptors
    {
        private static readonly HashSet<string> RuntimeFileExtensions = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { ".dll", ".pdb" };

        /// <summary>
        /// Every open descriptor but the runtime's own assembly and symbol files: the runtime maps an assembly the
        /// first time any code needs it, and opens a .pdb the first time it formats a stack trace with line numbers,
        /// and keeps both open for the life of the process. That is not a leak, and which case triggers it first is
        /// an accident of order (seen: StartTlsTools.Core.pdb opened during a handshake-failure case).
        /// </summary>
        public static Dictionary<string, string> Snapshot()
        {
            var map = new Dictionary<string, string>();
            foreach (string path in Directory.GetFiles("/proc/self/fd"))
            {
                string target;
                try { target = new FileInfo(path).LinkTarget ?? "?"; }
                catch (IOException) { target = "(closed while listing)"; }
                if (RuntimeFileExtensions.Contains(Path.GetExtension(target))) continue;
                map[Path.GetFileName(path)] = target;
            }
            return map;
        }

        /// <summary>
        /// Waits up to <paramref name="settle"/> for the descriptor count to come back to its level before the
        /// case (closing a socket with pending async operations completes on another thread), then lists what is still extra.
        /// </summary>
        public static async Task<IReadOnlyList<string>> WaitUntilNoMoreThanAsync(Dictionary<string, string> before, TimeSpan settle)
        {
            var clock = Stopwatch.StartNew();
            while (true)
            {
                var now = Snapshot();
                if (now.Count <= before.Count) return Array.Empty<string>();
                if (clock.Elapsed >= settle)
                    return now.Where(kv => !before.TryGetValue(kv.Key, out var target) || target != kv.Value)
                              .Select(kv => kv.Key + " -> " + kv.Value).ToList();
                await Task.Delay(50);
            }
        }
    }
}
