using System;
using System.Collections.Generic;
using StartTlsTools.Transport;

namespace StartTlsTools
{
    /// <summary>What to scan and how politely. Validate with <see cref="Validate"/> before any connection.</summary>
    public sealed class TlsCapabilityOptions
    {
        public const int MaxConnectionsLimit = 64;
        public const int MaxProbeDelayMilliseconds = 60000;

        public string HostName { get; set; } = "";
        public StartTlsProtocol Protocol { get; set; } = StartTlsProtocol.Smtp;
        public int? Port { get; set; }
        public bool ImplicitTls { get; set; }
        public string? EhloName { get; set; }
        /// <summary>Per network step of each probe.</summary>
        public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
        public int MaxConnectionsPerHost { get; set; } = HostConnectionLimiter.DefaultMaxPerHost;
        /// <summary>Minimum pause between the starts of two probe connections.</summary>
        public int ProbeDelayMilliseconds { get; set; }
        /// <summary>Retries of a probe the server answered with "busy" (421, too many connections, refused connect).</summary>
        public int BusyRetries { get; set; } = 3;
        public TimeSpan BusyRetryDelay { get; set; } = TimeSpan.FromMilliseconds(250);

        public int EffectivePort => Port ?? ProtocolRegistry.Get(Protocol).DefaultPort(ImplicitTls) ?? 0;

        public IReadOnlyList<string> Validate()
        {
            var problems = new List<string>(new StartTlsTestOptions
            {
                HostName = HostName,
                Protocol = Protocol,
                Port = Port,
                ImplicitTls = ImplicitTls,
                EhloName = EhloName,
                Timeout = Timeout,
            }.Validate());
            if (MaxConnectionsPerHost < 1 || MaxConnectionsPerHost > MaxConnectionsLimit)
                problems.Add($"MaxConnectionsPerHost must be between 1 and {MaxConnectionsLimit}.");
            if (ProbeDelayMilliseconds < 0 || ProbeDelayMilliseconds > MaxProbeDelayMilliseconds)
                problems.Add($"ProbeDelayMilliseconds must be between 0 and {MaxProbeDelayMilliseconds}.");
            if (BusyRetries < 0 || BusyRetries > 10) problems.Add("BusyRetries must be between 0 and 10.");
            return problems;
        }
    }
}
