namespace StartTlsTools
{
    /// <summary>What the findings analyzer should expect of a server.</summary>
    public sealed class FindingOptions
    {
        public const int DefaultExpiryWarningDays = 30;
        public const int MaxExpiryWarningDays = 3650;

        /// <summary>Whether the server should offer STARTTLS; when false, NotOffered is not a finding.</summary>
        public bool ExpectStartTls { get; set; } = true;
        /// <summary>A certificate expiring within this many days is a finding (0 turns the check off).</summary>
        public int ExpiryWarningDays { get; set; } = DefaultExpiryWarningDays;
        /// <summary>How negotiated cipher suites are rated: by the IANA registry, as Get-TlsCapability rates them.</summary>
        public ICipherSuiteClassifier CipherClassifier { get; set; } = RegistryCipherSuiteClassifier.Instance;
    }
}
