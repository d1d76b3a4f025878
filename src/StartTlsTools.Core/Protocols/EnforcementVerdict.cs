namespace StartTlsTools.Protocols
{
    /// <summary>
    /// Whether a server requires TLS before anything sensitive (a login, a mail transaction, a directory operation), and
    /// the evidence: what was sent and what the server answered. Required null means it could not be learned.
    /// </summary>
    public sealed class EnforcementVerdict
    {
        private EnforcementVerdict(bool? required, string evidence)
        {
            Required = required;
            Evidence = evidence;
        }

        /// <summary>True: enforced. False: opportunistic (plaintext works). Null: unknown.</summary>
        public bool? Required { get; }
        /// <summary>One or two sentences: the command and the server's answer, or why it is unknown.</summary>
        public string Evidence { get; }

        public static EnforcementVerdict Enforced(string evidence) => new EnforcementVerdict(true, evidence);
        public static EnforcementVerdict Opportunistic(string evidence) => new EnforcementVerdict(false, evidence);
        public static EnforcementVerdict Unknown(string evidence) => new EnforcementVerdict(null, evidence);
    }
}
