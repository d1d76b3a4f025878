using System;
using System.Collections.Generic;
using System.Linq;

namespace StartTlsTools
{
    /// <summary>What Compare-ImplicitVsStartTls measures. Validate with <see cref="Validate"/> before any connection.</summary>
    public sealed class ImplicitVsStartTlsOptions : TargetOptions
    {
        public const int MinSamples = 1;
        public const int MaxSamples = 100;
        public const int DefaultSamples = 5;

        /// <summary>The target's <see cref="TargetOptions.Port"/> is the STARTTLS port; this is the other side's. Null: the protocol's implicit-TLS port.</summary>
        public int? ImplicitPort { get; set; }
        public int Samples { get; set; } = DefaultSamples;

        public ImplicitVsStartTlsOptions() { Protocol = StartTlsProtocol.Submission; }

        /// <summary>Every registered protocol with both a STARTTLS port and an implicit-TLS port: the ones this can compare.</summary>
        public static IReadOnlyList<StartTlsProtocol> ComparableProtocols =>
            Enum.GetValues(typeof(StartTlsProtocol)).Cast<StartTlsProtocol>()
                .Where(p => ProtocolRegistry.IsKnown(p))
                .Where(p => ProtocolRegistry.Get(p).DefaultPort(false) != null && ProtocolRegistry.Get(p).DefaultPort(true) != null)
                .ToArray();

        /// <summary>Null when the protocol can be compared; otherwise the message to show.</summary>
        public static string? CheckProtocol(StartTlsProtocol protocol) =>
            ComparableProtocols.Contains(protocol)
                ? null
                : $"{protocol} cannot be compared: it needs both a STARTTLS port and an implicit-TLS port. Comparable protocols: {string.Join(", ", ComparableProtocols)}.";

        /// <summary>One side's Test-StartTls options: the same target on the STARTTLS port or on the implicit-TLS port.</summary>
        public StartTlsTestOptions SideOptions(bool implicitTls)
        {
            var side = CopyTargetTo(new StartTlsTestOptions());
            side.ImplicitTls = implicitTls;
            side.Port = implicitTls ? ImplicitPort : Port;
            return side;
        }

        public IReadOnlyList<string> Validate()
        {
            var problems = new List<string>();
            string? protocolProblem = CheckProtocol(Protocol);
            if (protocolProblem != null) problems.Add(protocolProblem);
            else
            {
                problems.AddRange(SideOptions(false).Validate());
                foreach (string problem in SideOptions(true).Validate())
                    if (!problems.Contains(problem)) problems.Add(problem);
            }
            if (Samples < MinSamples || Samples > MaxSamples) problems.Add($"Samples must be between {MinSamples} and {MaxSamples}.");
            return problems;
        }
    }
}
