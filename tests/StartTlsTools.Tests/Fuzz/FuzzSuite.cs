namespace StartTlsTools.Tests.Fuzz
{
    /// <summary>
    /// The fuzz runs measure the managed heap before and after (GC.GetTotalMemory), which other tests'
    /// allocations would blur: xunit runs collections with DisableParallelization alone, after the parallel ones.
    /// </summary>
    [CollectionDefinition(Name, DisableParallelization = true)]
    public sealed class FuzzSuite
    {
        public const string Name = "Parser fuzzing (no parallel tests: heap measurements)";
    }
}
