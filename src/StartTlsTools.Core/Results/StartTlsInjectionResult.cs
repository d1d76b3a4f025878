using System;

namespace StartTlsTools
{
    /// <summary>The outcome of the STARTTLS command-injection probe.</summary>
    public enum InjectionVerdict
    {
        /// <summary>Nothing answered the pipelined command over TLS: the server discarded it or hung up. Correct.</summary>
        NotVulnerable,
        /// <summary>The server answered, over TLS, a command that was sent in plaintext before the handshake.</summary>
        Vulnerable,
        /// <summary>The probe could not decide: the sanity STARTTLS failed, or the probe connection failed before the wait.</summary>
        Inconclusive,
    }

    /// <summary>One STARTTLS command-injection probe of one host and port. Flat, like StartTlsResult.</summary>
    public sealed class StartTlsInjectionResult
    {
        public string HostName { get; set; } = "";
        public int Port { get; set; }
        public StartTlsProtocol Protocol { get; set; }
        public string? IPAddress { get; set; }

        public InjectionVerdict Verdict { get; set; } = InjectionVerdict.Inconclusive;
        /// <summary>How the probe connection ended (Success when it reached TLS and the wait ran).</summary>
        public StartTlsStatus Status { get; set; } = StartTlsStatus.ProtocolError;
        /// <summary>Why the verdict is what it is, in one or two sentences.</summary>
        public string Reason { get; set; } = "";

        /// <summary>The command pipelined behind STARTTLS in the same write, e.g. "EHLO client.example".</summary>
        public string InjectedCommand { get; set; } = "";
        /// <summary>The status of the plain STARTTLS test run first; anything but Success makes the verdict Inconclusive.</summary>
        public StartTlsStatus SanityCheck { get; set; }
        public string? SanityCheckReason { get; set; }

        /// <summary>The server's reply to the pipelined STARTTLS, verbatim.</summary>
        public string? StartTlsReply { get; set; }
        public TlsProtocolVersion TlsVersion { get; set; }
        public string? CipherSuite { get; set; }
        /// <summary>How long the probe listened over TLS without sending anything.</summary>
        public double WaitSeconds { get; set; }

        /// <summary>Lines read over TLS during the wait (replies to the injected command), joined with " | " and shortened.</summary>
        public string? Evidence { get; set; }
        public int LinesReceivedOverTls { get; set; }
        /// <summary>Plaintext bytes after the STARTTLS reply: the server answered the injected command before TLS (another bug).</summary>
        public int PlaintextBytesDiscardedAtUpgrade { get; set; }
        /// <summary>Those plaintext bytes as text, shortened; null when there were none.</summary>
        public string? PlaintextEvidence { get; set; }

        public DateTimeOffset StartedAt { get; set; }
        public double TotalMs { get; set; }
        /// <summary>The probe connection's dialogue (not the sanity test's). Null unless asked for.</summary>
        public string? Transcript { get; set; }

        /// <summary>What -Quiet returns: true only for a clear NotVulnerable.</summary>
        public bool IsNotVulnerable => Verdict == InjectionVerdict.NotVulnerable;
    }
}
