using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading.Tasks;
using StartTlsTools.Protocols;
using StartTlsTools.Transport;

namespace StartTlsTools
{
    /// <summary>
    /// The live connection as the engine leaves it after its test and before its goodbye, for a follow-up
    /// such as SMTP AUTH that must run on the same connection (and so the same TLS session).
    /// </summary>
    public sealed class OpenSession
    {
        private readonly Func<OpenSession, Task>? _followUp;

        internal OpenSession(ProtocolSession session, DialectContext context, StartTlsResult result, Stopwatch clock, Func<OpenSession, Task>? followUp)
        {
            Session = session;
            Context = context;
            Result = result;
            Clock = clock;
            _followUp = followUp;
        }

        public ProtocolSession Session { get; }
        public DialectContext Context { get; }
        /// <summary>The engine's result so far: Status says whether TLS is up (Success) or why not.</summary>
        public StartTlsResult Result { get; }
        /// <summary>The test's clock, started before name resolution.</summary>
        public Stopwatch Clock { get; }
        public IReadOnlyList<string> CapabilitiesBeforeTls { get; internal set; } = new string[0];
        public IReadOnlyList<string> CapabilitiesAfterTls { get; internal set; } = new string[0];
        /// <summary>What the dialect's plaintext phase found; null in implicit-TLS mode or when it did not finish.</summary>
        internal PlainPhaseOutcome? Plain { get; set; }

        internal Task RunFollowUpAsync() => _followUp == null ? Task.CompletedTask : _followUp(this);
    }
}
