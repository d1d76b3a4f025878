using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using StartTlsTools.Engine;
using StartTlsTools.Transport;
using Xunit;

namespace StartTlsTools.Tests.Unit
{
    /// <summary>The engine's scheduler for many targets, and the process-wide per-address cap it relies on.</summary>
    public sealed class TargetSchedulerTests
    {
        [Fact]
        public void Never_runs_more_than_the_limit_and_delivers_on_the_calling_thread()
        {
            int running = 0, most = 0;
            int caller = Environment.CurrentManagedThreadId;
            var delivered = new List<int>();
            var gates = Enumerable.Range(0, 20).Select(_ => new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
            using var scheduler = new TargetScheduler<int>(3, CancellationToken.None);
            // Release each target a little after the next one asks to start: the fourth start must wait.
            for (int i = 0; i < 20; i++)
            {
                int n = i;
                if (n >= 3) gates[n - 3].SetResult(true);
                scheduler.Start($"t{n}", async _ =>
                {
                    int now = Interlocked.Increment(ref running);
                    InterlockedMax(ref most, now);
                    await gates[n].Task;
                    Interlocked.Decrement(ref running);
                    return n;
                }, r =>
                {
                    Assert.Equal(caller, Environment.CurrentManagedThreadId);
                    delivered.Add(r);
                });
            }
            for (int n = 17; n < 20; n++) gates[n].SetResult(true);
            scheduler.Finish();

            Assert.Equal(Enumerable.Range(0, 20), delivered.OrderBy(n => n));
            Assert.InRange(most, 1, 3);
            Assert.Equal(20, scheduler.Completed);
            Assert.Equal(0, scheduler.InFlight);
        }

        [Fact]
        public void With_a_limit_of_one_results_come_in_input_order()
        {
            var delivered = new List<int>();
            using var scheduler = new TargetScheduler<int>(1, CancellationToken.None);
            var random = new Random(7);
            for (int i = 0; i < 10; i++)
            {
                int n = i, pause = random.Next(0, 15);
                scheduler.Start($"t{n}", async _ => { await Task.Delay(pause); return n; }, delivered.Add);
            }
            scheduler.Finish();
            Assert.Equal(Enumerable.Range(0, 10), delivered);
        }

        [Fact]
        public void A_cancelled_run_still_delivers_what_the_targets_return_and_starts_nothing_more()
        {
            using var stop = new CancellationTokenSource();
            var delivered = new List<string>();
            using var scheduler = new TargetScheduler<string>(4, stop.Token);
            for (int i = 0; i < 4; i++)
                scheduler.Start($"t{i}", async cancel =>
                {
                    try { await Task.Delay(Timeout.Infinite, cancel); }
                    catch (OperationCanceledException) { return "cancelled"; }
                    return "finished";
                }, delivered.Add);
            stop.Cancel();
            Assert.Throws<OperationCanceledException>(() => scheduler.Start("t4", _ => Task.FromResult("started"), delivered.Add));
            scheduler.Finish();
            Assert.Equal(new[] { "cancelled", "cancelled", "cancelled", "cancelled" }, delivered);
        }

        [Fact]
        public void An_engine_bug_is_not_swallowed()
        {
            using var scheduler = new TargetScheduler<int>(2, CancellationToken.None);
            scheduler.Start("bad", _ => throw new InvalidOperationException("engine bug"), _ => { });
            Assert.Equal("engine bug", Assert.Throws<InvalidOperationException>(() => scheduler.Finish()).Message);
        }

        [Fact]
        public void Slowest_names_the_target_running_longest()
        {
            var first = new TaskCompletionSource<int>();
            var second = new TaskCompletionSource<int>();
            using var scheduler = new TargetScheduler<int>(2, CancellationToken.None);
            scheduler.Start("mx1.example", _ => first.Task, _ => { });
            scheduler.Start("mx2.example", _ => second.Task, _ => { });
            SpinWait.SpinUntil(() => scheduler.InFlight == 2, TimeSpan.FromSeconds(10));
            Assert.Equal("mx1.example", scheduler.Slowest?.Label);
            first.SetResult(1);
            second.SetResult(2);
            scheduler.Finish();
            Assert.Null(scheduler.Slowest);
        }

        [Fact]
        public async Task The_cap_is_each_callers_own_and_idle_addresses_are_forgotten()
        {
            var limiter = new HostConnectionLimiter(maxPerHost: 2);
            IDisposable a = await limiter.AcquireAsync("192.0.2.1", CancellationToken.None);
            IDisposable b = await limiter.AcquireAsync("192.0.2.1", CancellationToken.None);
            // A caller with a cap of 2 waits; one with a cap of 3 (a capability scan asking for more) goes ahead.
            Task<IDisposable> third = limiter.AcquireAsync("192.0.2.1", 2, CancellationToken.None);
            IDisposable wide = await limiter.AcquireAsync("192.0.2.1", 3, CancellationToken.None);
            Assert.False(third.IsCompleted);
            Assert.Equal(3, limiter.OpenNow("192.0.2.1"));
            // Another address is not held up by this one.
            using (await limiter.AcquireAsync("192.0.2.2", CancellationToken.None)) Assert.Equal(1, limiter.OpenNow("192.0.2.2"));

            a.Dispose();
            Assert.False(third.IsCompleted); // still 2 open: the cap-2 caller waits on
            wide.Dispose();
            IDisposable c = await third;
            b.Dispose();
            b.Dispose(); // a lease released twice counts once
            c.Dispose();
            Assert.Equal(0, limiter.OpenNow("192.0.2.1"));
            Assert.Equal(0, limiter.TrackedHosts);
        }

        [Fact]
        public async Task A_cancelled_waiter_takes_no_slot()
        {
            var limiter = new HostConnectionLimiter(maxPerHost: 1);
            IDisposable held = await limiter.AcquireAsync("192.0.2.9", CancellationToken.None);
            using var cancel = new CancellationTokenSource();
            Task<IDisposable> waiting = limiter.AcquireAsync("192.0.2.9", cancel.Token);
            cancel.Cancel();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
            held.Dispose();
            Assert.Equal(0, limiter.OpenNow("192.0.2.9"));
            using (await limiter.AcquireAsync("192.0.2.9", CancellationToken.None)) Assert.Equal(1, limiter.OpenNow("192.0.2.9"));
        }

        private static void InterlockedMax(ref int target, int value)
        {
            int seen;
            while (value > (seen = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, seen) != seen) { }
        }
    }
}
