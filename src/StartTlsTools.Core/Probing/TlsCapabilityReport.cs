using System.Collections.Generic;

namespace StartTlsTools.Probing
{
    /// <summary>The accepted suites and the summary of one scan.</summary>
    public sealed class TlsCapabilityReport
    {
        public TlsCapabilitySummary Summary { get; set; } = new TlsCapabilitySummary();
        public IReadOnlyList<TlsCipherSuiteResult> CipherSuites { get; set; } = new TlsCipherSuiteResult[0];
    }
}
