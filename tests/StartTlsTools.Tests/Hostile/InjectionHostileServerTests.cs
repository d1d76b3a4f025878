using System;
using System.Threading;
using System.Threading.Tasks;
using StartTlsTools.Tests.Injection;

namespace StartTlsTools.Tests.Hostile
{
    /// <summary>
    /// The injection probe opens two connections and aborts the second one to stop listening: neither may be left open,
    /// and nothing may escape, whatever the server does. No wall-clock bounds: the verdict and status prove how it ended.
    /// </summary>
    [Collection(HostileSuite.Name)]
    public sealed class InjectionHostileServerTests
    {
        private static async Task<(StartTlsInjectionResult? Result, Exception? Escaped, System.Collections.Generic.IReadOnlyList<string> Leaked)> ProbeAsync(
            PipelineBehaviour behaviour, StartTlsProtocol protocol = StartTlsProtocol.Smtp, CancellationToken cancel = default, int timeoutSeconds = 2)
        {
            var before = OpenDescriptors.Snapshot();
            StartTlsInjectionResult? result = null;
            Exception? escaped = null;
            await using (var server = new FakeStartTlsServer(protocol, behaviour))
            {
                try
                {
                    result = await new InjectionTester().TestAsync(new InjectionTestOptions
                    {
                        Target = new StartTlsTestOptions { HostName = "127.0.0.1", Port = server.Port, Protocol = protocol, EhloName = "client.test", Timeout = TimeSpan.FromSeconds(timeoutSeconds) },
                        Wait = TimeSpan.FromSeconds(1),
                    }, cancel);
                }
                catch (Exception ex)
                {
                    escaped = ex;
                }
            }
            return (result, escaped, await OpenDescriptors.WaitUntilNoMoreThanAsync(before, TimeSpan.FromSeconds(1)));
        }

        [Theory]
        [InlineData(PipelineBehaviour.ExecuteOverTls, InjectionVerdict.Vulnerable, StartTlsStatus.Success)]
        [InlineData(PipelineBehaviour.FloodWhenPipelined, InjectionVerdict.Vulnerable, StartTlsStatus.Success)]
        [InlineData(PipelineBehaviour.Discard, InjectionVerdict.NotVulnerable, StartTlsStatus.Success)]
        [InlineData(PipelineBehaviour.DropWhenPipelined, InjectionVerdict.NotVulnerable, StartTlsStatus.Success)]
        [InlineData(PipelineBehaviour.RefuseStartTls, InjectionVerdict.Inconclusive, StartTlsStatus.Refused)]
        public async Task Every_ending_leaves_no_descriptor_open(PipelineBehaviour behaviour, InjectionVerdict verdict, StartTlsStatus status)
        {
            var (result, escaped, leaked) = await ProbeAsync(behaviour);

            Assert.True(escaped == null, $"An exception escaped InjectionTester: {escaped}");
            Assert.Equal(verdict, result!.Verdict);
            Assert.Equal(status, result.Status);
            Assert.True(leaked.Count == 0, "Descriptors left open: " + string.Join(", ", leaked));
        }

        [Fact]
        public async Task Cancelling_during_the_quiet_wait_is_cancelled_not_a_verdict()
        {
            // The fake discards, so the probe would listen for its full 1 s wait: cancelling 50 ms in lands either in the
            // sanity test or in the probe, and both must end as Cancelled/Inconclusive, never as a verdict.
            using var cancel = new CancellationTokenSource();
            var probe = ProbeAsync(PipelineBehaviour.Discard, cancel: cancel.Token);
            cancel.CancelAfter(TimeSpan.FromMilliseconds(50));
            var (result, escaped, leaked) = await probe;

            Assert.True(escaped == null, $"An exception escaped InjectionTester: {escaped}");
            Assert.True(result!.Status == StartTlsStatus.Cancelled || result.SanityCheck == StartTlsStatus.Cancelled, result.Reason);
            Assert.Equal(InjectionVerdict.Inconclusive, result.Verdict);
            Assert.True(leaked.Count == 0, "Descriptors left open: " + string.Join(", ", leaked));
        }
    }
}
