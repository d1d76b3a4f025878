using System;
using System.Collections.Generic;
using StartTlsTools.Protocols;

namespace StartTlsTools
{
    /// <summary>What the STARTTLS command-injection probe tests and how long it listens. Validate before connecting.</summary>
    public sealed class InjectionTestOptions
    {
        public const int MinWaitSeconds = 1;
        public const int MaxWaitSeconds = 60;
        public const int DefaultWaitSeconds = 3;

        /// <summary>The target, as for Test-StartTls (implicit TLS does not apply).</summary>
        public StartTlsTestOptions Target { get; set; } = new StartTlsTestOptions();

        /// <summary>How long to listen over TLS, sending nothing, for a reply to the injected command.</summary>
        public TimeSpan Wait { get; set; } = TimeSpan.FromSeconds(DefaultWaitSeconds);

        public IReadOnlyList<string> Validate()
        {
            var problems = new List<string>(Target.Validate());
            if (Target.ImplicitTls)
                problems.Add("The injection probe tests STARTTLS: -ImplicitTls does not apply (there is no plaintext phase to inject into).");
            if (ProtocolRegistry.IsKnown(Target.Protocol) && InjectionCommandFor(Target.Protocol, "client.invalid") == null)
                problems.Add($"{Target.Protocol} has no injection command (it is not a line-based STARTTLS protocol), so it cannot be probed.");
            if (Wait < TimeSpan.FromSeconds(MinWaitSeconds) || Wait > TimeSpan.FromSeconds(MaxWaitSeconds))
                problems.Add($"The wait must be between {MinWaitSeconds} and {MaxWaitSeconds} seconds.");
            return problems;
        }

        /// <summary>The command the protocol's dialect pipelines behind STARTTLS, or null where there is none.</summary>
        public static string? InjectionCommandFor(StartTlsProtocol protocol, string helloName) =>
            ProtocolRegistry.Get(protocol).InjectionCommand(new DialectContext("localhost", helloName));
    }
}
