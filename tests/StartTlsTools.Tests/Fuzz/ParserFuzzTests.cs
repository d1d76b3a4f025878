using System;
using Xunit.Abstractions;

namespace StartTlsTools.Tests.Fuzz
{
    /// <summary>
    /// Every parser that reads server bytes, fed random, mutated and generated input: the only exception allowed
    /// is StartTlsProtocolException (ConnectionClosedException at EOF), results must honour each parser's own
    /// contract, and memory must stay bounded. The seed is fixed so that a failure is a reproducible case number.
    /// </summary>
    [Collection(FuzzSuite.Name)]
    public sealed class ParserFuzzTests
    {
        public const int Seed = 20261124;
        private const long MaxHeapGrowth = 64L * 1024 * 1024;
        private readonly ITestOutputHelper _output;

        public ParserFuzzTests(ITestOutputHelper output) => _output = output;

        [Theory]
        [InlineData("smtp-reply", 100_000)]
        [InlineData("smtp-line", 100_000)]
        [InlineData("imap-line", 100_000)]
        [InlineData("imap-completion", 100_000)]
        [InlineData("pop3-status", 100_000)]
        [InlineData("pop3-multiline", 100_000)]
        [InlineData("smtp-dialect", 100_000)]
        [InlineData("imap-dialect", 100_000)]
        [InlineData("pop3-dialect", 100_000)]
        [InlineData("ftp-reply", 100_000)]
        [InlineData("ftp-dialect", 50_000)]
        [InlineData("nntp-status", 50_000)]
        [InlineData("nntp-dialect", 50_000)]
        [InlineData("sieve-response", 100_000)]
        [InlineData("sieve-dialect", 50_000)]
        [InlineData("xmpp-reader", 50_000)]
        [InlineData("xmpp-dialect", 50_000)]
        [InlineData("der", 100_000)]
        [InlineData("san", 20_000)]
        [InlineData("ldap-ber", 100_000)]
        [InlineData("ldap-message", 100_000)]
        [InlineData("ldap-dialect", 100_000)]
        [InlineData("mysql-greeting", 100_000)]
        [InlineData("mysql-dialect", 100_000)]
        [InlineData("postgresql-dialect", 100_000)]
        [InlineData("banner-info", 100_000)]
        [InlineData("auth-mechanisms", 100_000)]
        [InlineData("tls-records", 100_000)]
        [InlineData("tls-handshake", 100_000)]
        public void ParserThrowsOnlyTheDocumentedException_AndStaysWithinMemoryBounds(string parser, int defaultCases)
        {
            long cases = CasesPerParser(defaultCases);
            long heapBefore = GC.GetTotalMemory(forceFullCollection: true);
            FuzzRunResult result = FuzzRunner.Run(parser, Seed, cases);
            long heapGrowth = GC.GetTotalMemory(forceFullCollection: true) - heapBefore;
            _output.WriteLine(result.ToString());
            _output.WriteLine($"Heap growth over the run: {heapGrowth / 1024.0:0} KB.");

            Assert.True(result.Passed, result.Report());
            Assert.Equal(cases, result.Cases);
            Assert.True(result.LargestInput <= FuzzRunner.MaxInputBytes, $"An input of {result.LargestInput} bytes broke the size bound.");
            Assert.True(heapGrowth < MaxHeapGrowth, $"The heap grew by {heapGrowth} bytes over {cases} cases.");
        }

        /// <summary>
        /// STARTTLS_FUZZ_CASES overrides the per-parser case count for long runs (bench/fuzz.sh); the default
        /// keeps the test command within minutes.
        /// </summary>
        private static long CasesPerParser(int defaultCases)
        {
            string? configured = Environment.GetEnvironmentVariable("STARTTLS_FUZZ_CASES");
            if (string.IsNullOrEmpty(configured)) return defaultCases;
            if (!long.TryParse(configured, out long cases) || cases <= 0)
                throw new ArgumentException($"STARTTLS_FUZZ_CASES must be a positive whole number, not '{configured}'.");
            return cases;
        }
    }
}
