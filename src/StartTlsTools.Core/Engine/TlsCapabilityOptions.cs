using System;
using System.Collections.Generic;
using StartTlsTools.Transport;

namespace StartTlsTools
{
    /// <summary>What to scan (the target) and how politely. Validate with <see cref="Validate"/> before any connection.</summary>
    public sealed class TlsCapabilityOptions : TargetOptions
    {
        public const int MaxConnectionsLimit = 64;
        public const int MaxProbeDelayMilliseconds = 60000;

        public int MaxConnectionsPerHost { get; set; } = HostConnectionLimiter.DefaultMaxPerHost;
        /// <summary>Minimum pause between the starts of two probe connections.</summary>
        public int ProbeDelayMilliseconds { get; set; }
        /// <summary>Retries of a probe the server answered with "busy" (421, too many connections, refused connect).</summary>
        public int BusyRetries { get; set; } = 3;
        public TimeSpan BusyRetryDelay { get; set; } = TimeSpan.FromMilliseconds(250);

        public IReadOnlyList<string> Validate()
        {
            var problems = ValidateTarget();
            if (MaxConnectionsPerHost < 1 || MaxConnectionsPerHost > MaxConnectionsLimit)
                problems.Add($"MaxConnectionsPerHost must be between 1 and {MaxConnectionsLimit}.");
            if (ProbeDelayMilliseconds < 0 || ProbeDelayMilliseconds > MaxProbeDelayMilliseconds)
                problems.Add($"ProbeDelayMilliseconds must be between 0 and {MaxProbeDelayMilliseconds}.");
            if (BusyRetries < 0 || BusyRetries > 10) problems.Add("BusyRetries must be between 0 and 10.");
            return problems;
        }
    }
}
