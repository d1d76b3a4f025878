using System;
using System.Diagnostics;
using System.Management.Automation;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;
using StartTlsTools.Commands.Output;
using StartTlsTools.Engine;

namespace StartTlsTools.Commands
{
    /// <summary>
    /// What every cmdlet here shares: the output seam, cancellation wired to StopProcessing, and running targets
    /// concurrently (<see cref="RunTarget"/>) while writing only from the pipeline thread.
    /// </summary>
    public abstract class StartTlsCmdletBase : PSCmdlet, IDisposable
    {
        /// <summary>Progress is redrawn at most this often: a fast fleet run must not spend its time painting.</summary>
        private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(250);

        private readonly CancellationTokenSource _stopping = new CancellationTokenSource();
        private readonly Stopwatch _sinceProgress = Stopwatch.StartNew();
        private ICmdletOutput? _output;
        private TargetScheduler<Action>? _targets;
        private bool _progressShown;

        /// <summary>Where output goes: the pipeline, or a test's recorder.</summary>
        internal ICmdletOutput Output
        {
            get => _output ?? (_output = new PipelineOutput(this));
            set => _output = value;
        }

        /// <summary>Cancelled by StopProcessing (Ctrl+C, Select-Object -First, runbook stop).</summary>
        protected CancellationToken StopToken => _stopping.Token;

        /// <summary>How many targets may be in flight at once; cmdlets with -ThrottleLimit override it.</summary>
        protected virtual int TargetsInFlight => 1;

        protected override void StopProcessing() => _stopping.Cancel();

        /// <summary>Runs an engine call on the pipeline thread; only Stop cancels it.</summary>
        protected static T Wait<T>(Task<T> task) => task.GetAwaiter().GetResult();

        /// <summary>
        /// Runs one target's engine call, concurrently with others up to <see cref="TargetsInFlight"/>. The call
        /// returns what to write (objects, errors, warnings, verbose lines) as an action, and that action runs later
        /// on the pipeline thread, as the target completes. With one target in flight each target completes before
        /// the next input record is read, exactly as a plain cmdlet would.
        /// </summary>
        protected void RunTarget(string label, Func<CancellationToken, Task<Action>> work)
        {
            if (_targets == null)
            {
                _targets = new TargetScheduler<Action>(TargetsInFlight, StopToken);
                _targets.Delivered = _ => ShowProgress(final: false);
            }
            try
            {
                _targets.Start(label, work, write => write());
                if (TargetsInFlight == 1) _targets.Finish();
                else ShowProgress(final: false);
            }
            catch (OperationCanceledException) when (StopToken.IsCancellationRequested)
            {
                _targets.WaitForCancelledTargets();
            }
        }

        /// <summary>Writes what the targets still in flight return; derived cmdlets that override this must call it.</summary>
        protected override void EndProcessing()
        {
            if (_targets == null) return;
            try { _targets.Finish(); }
            catch (OperationCanceledException) when (StopToken.IsCancellationRequested) { /* stopped: nothing more to write */ }
            ShowProgress(final: true);
        }

        /// <summary>Targets done of those started, how many are in flight, and the slowest one still running.</summary>
        private void ShowProgress(bool final)
        {
            if (_targets == null || TargetsInFlight == 1) return;
            if (final)
            {
                if (!_progressShown) return;
                Output.WriteProgress(new ProgressRecord(ProgressActivityId, ActivityName, "Done") { RecordType = ProgressRecordType.Completed });
                return;
            }
            if (_progressShown && _sinceProgress.Elapsed < ProgressInterval) return;
            _sinceProgress.Restart();
            _progressShown = true;
            string status = $"{_targets.Completed} of {_targets.Started} target(s) done, {_targets.InFlight} in flight (at most {_targets.ThrottleLimit})";
            var record = new ProgressRecord(ProgressActivityId, ActivityName, status);
            if (_targets.Slowest is var (label, elapsed)) record.CurrentOperation = $"Slowest: {label} ({elapsed.TotalSeconds:0.0} s)";
            Output.WriteProgress(record);
        }

        private int ProgressActivityId => Math.Abs(GetType().FullName!.GetHashCode() % 10000) + 1;

        /// <summary>"Test-StartTls" from the Cmdlet attribute, which exists with or without a runspace.</summary>
        private string ActivityName =>
            GetType().GetCustomAttribute<CmdletAttribute>() is CmdletAttribute cmdlet ? $"{cmdlet.VerbName}-{cmdlet.NounName}" : GetType().Name;

        /// <summary>Lets xunit run the whole cmdlet life cycle without a PowerShell runtime.</summary>
        internal void InvokeForTest(ICmdletOutput output)
        {
            Output = output;
            BeginProcessing();
            ProcessRecord();
            EndProcessing();
        }

        /// <summary>Lets xunit feed several input records, as a pipeline would, before EndProcessing.</summary>
        internal void InvokeForTest(ICmdletOutput output, int records, Action<int> bindRecord)
        {
            Output = output;
            BeginProcessing();
            for (int i = 0; i < records; i++)
            {
                bindRecord(i);
                ProcessRecord();
            }
            EndProcessing();
        }

        internal void StopForTest() => StopProcessing();

        /// <summary>
        /// PowerShell disposes the cmdlet however the pipeline ended (Select-Object -First stops upstream commands
        /// without StopProcessing): cancel what is still in flight and let it close its sockets.
        /// </summary>
        public void Dispose()
        {
            _stopping.Cancel();
            _targets?.WaitForCancelledTargets();
            _targets?.Dispose();
            _stopping.Dispose();
        }
    }
}
