using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace StartTlsTools.Transport
{
    /// <summary>
    /// Politeness towards one server: at most <see cref="MaxPerHost"/> connections open at once per host, and
    /// optionally a minimum pause between the starts of two connections to the same host. Keyed by host name (or
    /// address), so one instance can serve several targets and any engine that opens many connections.
    /// </summary>
    public sealed class HostConnectionLimiter
    {
        /// <summary>4: enough parallelism to finish a full scan quickly, far below Postfix's default of 100 smtpd processes.</summary>
        public const int DefaultMaxPerHost = 4;

        /// <summary>The process-wide limiter for connections that are extra to a test (the enforcement probe).</summary>
        public static readonly HostConnectionLimiter Shared = new HostConnectionLimiter();

        private readonly Dictionary<string, HostState> _hosts = new Dictionary<string, HostState>(StringComparer.OrdinalIgnoreCase);

        public HostConnectionLimiter(int maxPerHost = DefaultMaxPerHost, TimeSpan minimumInterval = default)
        {
            if (maxPerHost < 1) throw new ArgumentOutOfRangeException(nameof(maxPerHost), maxPerHost, "At least one connection per host.");
            if (minimumInterval < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(minimumInterval), minimumInterval, "The interval cannot be negative.");
            MaxPerHost = maxPerHost;
            MinimumInterval = minimumInterval;
        }

        public int MaxPerHost { get; }
        public TimeSpan MinimumInterval { get; }

        /// <summary>Waits for a slot (and the pause, if any); dispose the returned lease when the connection is closed.</summary>
        public async Task<IDisposable> AcquireAsync(string host, CancellationToken cancel)
        {
            HostState state;
            lock (_hosts)
            {
                if (!_hosts.TryGetValue(host, out state!)) _hosts[host] = state = new HostState(MaxPerHost);
            }
            await state.Slots.WaitAsync(cancel).ConfigureAwait(false);
            try
            {
                if (MinimumInterval > TimeSpan.Zero)
                {
                    TimeSpan wait;
                    lock (state)
                    {
                        DateTime now = DateTime.UtcNow;
                        DateTime start = state.NextStart > now ? state.NextStart : now;
                        state.NextStart = start + MinimumInterval;
                        wait = start - now;
                    }
                    if (wait > TimeSpan.Zero) await Task.Delay(wait, cancel).ConfigureAwait(false);
                }
            }
            catch
            {
                state.Slots.Release();
                throw;
            }
            return new Lease(state.Slots);
        }

        private sealed class HostState
        {
            public HostState(int max) { Slots = new SemaphoreSlim(max, max); }
            public SemaphoreSlim Slots { get; }
            public DateTime NextStart { get; set; }
        }

        private sealed class Lease : IDisposable
        {
            private SemaphoreSlim? _slots;
            public Lease(SemaphoreSlim slots) { _slots = slots; }
            public void Dispose() => Interlocked.Exchange(ref _slots, null)?.Release();
        }
    }
}
