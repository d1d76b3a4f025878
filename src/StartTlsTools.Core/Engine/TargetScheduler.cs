using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Threading;
using System.Threading.Tasks;

namespace StartTlsTools.Engine
{
    /// <summary>
    /// Runs many targets at once, at most <see cref="ThrottleLimit"/> in flight, and hands each result back on the
    /// caller's own thread as it completes (a cmdlet may write to its pipeline only from the pipeline thread). The
    /// caller starts targets one by one as its input arrives; <see cref="Start"/> blocks while the limit is reached
    /// and delivers finished results meanwhile, so a streaming run holds no more than the results in flight.
    /// </summary>
    /// <remarks>
    /// With a limit of 1 the targets run strictly one after another in input order. Politeness per server is not
    /// this class's job: every connection also goes through <see cref="Transport.HostConnectionLimiter.Shared"/>.
    /// </remarks>
    public sealed class TargetScheduler<TResult> : IDisposable
    {
        /// <summary>How long a cancelled run waits for its targets to close their connections before it returns.</summary>
        public static readonly TimeSpan CancelGrace = TimeSpan.FromSeconds(10);

        private readonly CancellationToken _cancel;
        private readonly BlockingCollection<Action> _finished = new BlockingCollection<Action>();
        private readonly Dictionary<int, Running> _running = new Dictionary<int, Running>();
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private int _nextId;
        // Results taken off the queue: Started - _taken is what is running or waiting to be delivered.
        private int _taken;
        private Stopwatch? _cancelledAt;

        public TargetScheduler(int throttleLimit, CancellationToken cancel)
        {
            if (throttleLimit < 1) throw new ArgumentOutOfRangeException(nameof(throttleLimit), throttleLimit, "At least one target in flight.");
            ThrottleLimit = throttleLimit;
            _cancel = cancel;
        }

        public int ThrottleLimit { get; }

        /// <summary>Targets started so far.</summary>
        public int Started { get; private set; }

        /// <summary>Targets whose result was handed back.</summary>
        public int Completed { get; private set; }

        /// <summary>Targets running right now.</summary>
        public int InFlight
        {
            get { lock (_running) return _running.Count; }
        }

        /// <summary>Called on the caller's thread after each delivered result (progress reporting hangs here).</summary>
        public Action<TargetScheduler<TResult>>? Delivered { get; set; }

        /// <summary>The target in flight the longest, and for how long; null when nothing runs.</summary>
        public (string Label, TimeSpan Elapsed)? Slowest
        {
            get
            {
                lock (_running)
                {
                    Running? oldest = null;
                    foreach (Running running in _running.Values)
                        if (oldest == null || running.StartedAt < oldest.StartedAt) oldest = running;
                    return oldest == null ? ((string, TimeSpan)?)null : (oldest.Label, _clock.Elapsed - oldest.StartedAt);
                }
            }
        }

        /// <summary>
        /// Starts <paramref name="work"/> once fewer than <see cref="ThrottleLimit"/> targets are in flight; while it
        /// waits, finished results are delivered here. <paramref name="deliver"/> later runs on the thread that calls
        /// Start or <see cref="Finish"/>. Throws OperationCanceledException when the run is cancelled while waiting.
        /// </summary>
        public void Start(string label, Func<CancellationToken, Task<TResult>> work, Action<TResult> deliver)
        {
            DeliverFinished();
            while (Started - _taken >= ThrottleLimit) DeliverOne(TakeNext());
            _cancel.ThrowIfCancellationRequested();

            int id = ++_nextId;
            lock (_running) _running[id] = new Running(label, _clock.Elapsed);
            Started++;
            Task<TResult> task;
            try { task = Task.Run(() => work(_cancel)); }
            catch (Exception ex) { task = Task.FromException<TResult>(ex); }
            _ = task.ContinueWith(done =>
            {
                lock (_running) _running.Remove(id);
                _finished.Add(() => Hand(done, deliver));
            }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        /// <summary>Delivers every result that is already finished, without waiting.</summary>
        public void DeliverFinished()
        {
            while (_finished.TryTake(out Action? next)) DeliverOne(next);
        }

        /// <summary>
        /// Waits for every target, delivering each result as it finishes. When the run is cancelled the targets end
        /// promptly (their results say Cancelled) and are still delivered; a target that ignores the cancel is given
        /// up on after <see cref="CancelGrace"/> with an OperationCanceledException.
        /// </summary>
        public void Finish()
        {
            while (Started > _taken) DeliverOne(TakeNext());
        }

        /// <summary>After a cancel: waits (at most <see cref="CancelGrace"/>) until no target is running, so no socket outlives the run.</summary>
        public void WaitForCancelledTargets()
        {
            var deadline = Stopwatch.StartNew();
            while (InFlight > 0 && deadline.Elapsed < CancelGrace) Thread.Sleep(10);
        }

        private Action TakeNext()
        {
            if (!_cancel.IsCancellationRequested)
            {
                try { return _finished.Take(_cancel); }
                catch (OperationCanceledException) { /* fall through to the grace period */ }
            }
            if (_cancelledAt == null) _cancelledAt = Stopwatch.StartNew();
            TimeSpan left = CancelGrace - _cancelledAt.Elapsed;
            if (left > TimeSpan.Zero && _finished.TryTake(out Action? next, left)) return next;
            throw new OperationCanceledException(_cancel);
        }

        private void DeliverOne(Action next)
        {
            _taken++;
            next();
            Completed++;
            Delivered?.Invoke(this);
        }

        private static void Hand(Task<TResult> done, Action<TResult> deliver)
        {
            if (done.IsCanceled) return;
            if (done.IsFaulted)
            {
                Exception inner = done.Exception!.InnerExceptions.Count == 1 ? done.Exception.InnerException! : done.Exception;
                if (inner is OperationCanceledException) return;
                // The engines turn every server failure into data; an exception here is our own bug and must not vanish.
                ExceptionDispatchInfo.Capture(inner).Throw();
            }
            deliver(done.Result);
        }

        public void Dispose() => _finished.Dispose();

        private sealed class Running
        {
            public Running(string label, TimeSpan startedAt)
            {
                Label = label;
                StartedAt = startedAt;
            }

            public string Label { get; }
            public TimeSpan StartedAt { get; }
        }
    }
}
