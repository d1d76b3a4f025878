using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace StartTlsTools.Transport
{
    /// <summary>
    /// Politeness towards one server: a cap on the connections open at once per key (a resolved address), and
    /// optionally a minimum pause between the starts of two connections to the same key. <see cref="Shared"/> is the
    /// one every engine uses, so that targets tested concurrently by any cmdlet in the process share the cap: 200 MX
    /// names that point at one address never open more than the cap at once.
    /// </summary>
    /// <remarks>
    /// Each caller states its own cap (a capability scan may ask for more than a single test): a connection is
    /// admitted while fewer than the caller's cap are open to that key, even while callers with a lower cap wait.
    /// Waiters are served first come, first served among those the cap admits. A key's state is dropped when nothing is open or waiting, so a run over 10,000
    /// distinct addresses holds only the ones in use.
    /// </remarks>
    public sealed class HostConnectionLimiter
    {
        /// <summary>4: enough parallelism to finish a full scan quickly, far below Postfix's default of 100 smtpd processes.</summary>
        public const int DefaultMaxPerHost = 4;

        /// <summary>The process-wide limiter: every connection to a server goes through it, keyed by the address.</summary>
        public static readonly HostConnectionLimiter Shared = new HostConnectionLimiter();

        private readonly Dictionary<string, HostState> _hosts = new Dictionary<string, HostState>(StringComparer.OrdinalIgnoreCase);

        public HostConnectionLimiter(int maxPerHost = DefaultMaxPerHost, TimeSpan minimumInterval = default)
        {
            if (maxPerHost < 1) throw new ArgumentOutOfRangeException(nameof(maxPerHost), maxPerHost, "At least one connection per host.");
            if (minimumInterval < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(minimumInterval), minimumInterval, "The interval cannot be negative.");
            MaxPerHost = maxPerHost;
            MinimumInterval = minimumInterval;
        }

        /// <summary>The cap for callers that do not state their own.</summary>
        public int MaxPerHost { get; }
        public TimeSpan MinimumInterval { get; }

        /// <summary>Connections open (leases held) to <paramref name="host"/> right now.</summary>
        public int OpenNow(string host)
        {
            lock (_hosts) return _hosts.TryGetValue(host, out HostState? state) ? state.Open : 0;
        }

        /// <summary>Keys with something open or waiting: stays small however many targets a run has seen.</summary>
        public int TrackedHosts
        {
            get { lock (_hosts) return _hosts.Count; }
        }

        /// <summary>Waits for a slot under <see cref="MaxPerHost"/> (and the pause, if any); dispose the lease when the connection is closed.</summary>
        public Task<IDisposable> AcquireAsync(string host, CancellationToken cancel) => AcquireAsync(host, MaxPerHost, cancel);

        /// <summary>Waits until fewer than <paramref name="cap"/> connections are open to <paramref name="host"/>.</summary>
        public async Task<IDisposable> AcquireAsync(string host, int cap, CancellationToken cancel)
        {
            if (cap < 1) throw new ArgumentOutOfRangeException(nameof(cap), cap, "At least one connection per host.");
            cancel.ThrowIfCancellationRequested();
            HostState state;
            Waiter? waiter = null;
            lock (_hosts)
            {
                if (!_hosts.TryGetValue(host, out state!)) _hosts[host] = state = new HostState();
                if (state.Open < cap) state.Open++;
                else state.Waiters.AddLast(waiter = new Waiter(cap));
            }
            var lease = new Lease(this, host);
            if (waiter != null)
            {
                using (cancel.Register(() => Abandon(host, waiter)))
                    await waiter.Granted.Task.ConfigureAwait(false);
            }
            try
            {
                if (MinimumInterval > TimeSpan.Zero)
                {
                    TimeSpan wait;
                    lock (_hosts)
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
                lease.Dispose();
                throw;
            }
            return lease;
        }

        private void Abandon(string host, Waiter waiter)
        {
            lock (_hosts)
            {
                if (!_hosts.TryGetValue(host, out HostState? state) || !state.Waiters.Remove(waiter)) return;
                Forget(host, state);
            }
            waiter.Granted.TrySetCanceled();
        }

        private void Release(string host)
        {
            var granted = new List<Waiter>();
            lock (_hosts)
            {
                if (!_hosts.TryGetValue(host, out HostState? state)) return;
                state.Open--;
                for (LinkedListNode<Waiter>? node = state.Waiters.First; node != null;)
                {
                    LinkedListNode<Waiter>? next = node.Next;
                    if (state.Open < node.Value.Cap)
                    {
                        state.Waiters.Remove(node);
                        state.Open++;
                        granted.Add(node.Value);
                    }
                    node = next;
                }
                Forget(host, state);
            }
            // Outside the lock: a granted waiter's continuation must not run while we hold it.
            foreach (Waiter waiter in granted) waiter.Granted.TrySetResult(true);
        }

        private void Forget(string host, HostState state)
        {
            // The pause between starts outlives the last connection only when there is a pause to keep.
            if (state.Open == 0 && state.Waiters.Count == 0 && (MinimumInterval == TimeSpan.Zero || state.NextStart <= DateTime.UtcNow))
                _hosts.Remove(host);
        }

        private sealed class HostState
        {
            public int Open;
            public readonly LinkedList<Waiter> Waiters = new LinkedList<Waiter>();
            public DateTime NextStart;
        }

        private sealed class Waiter
        {
            public Waiter(int cap) { Cap = cap; }
            public int Cap { get; }
            public TaskCompletionSource<bool> Granted { get; } = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        private sealed class Lease : IDisposable
        {
            private HostConnectionLimiter? _owner;
            private readonly string _host;
            public Lease(HostConnectionLimiter owner, string host) { _owner = owner; _host = host; }
            public void Dispose() => Interlocked.Exchange(ref _owner, null)?.Release(_host);
        }
    }
}
