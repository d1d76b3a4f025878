using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using StartTlsTools.Commands.Output;

namespace StartTlsTools.Commands
{
    /// <summary>What every cmdlet here shares: the output seam and cancellation wired to StopProcessing.</summary>
    public abstract class StartTlsCmdletBase : PSCmdlet, IDisposable
    {
        private readonly CancellationTokenSource _stopping = new CancellationTokenSource();
        private ICmdletOutput? _output;

        /// <summary>Where output goes: the pipeline, or a test's recorder.</summary>
        internal ICmdletOutput Output
        {
            get => _output ?? (_output = new PipelineOutput(this));
            set => _output = value;
        }

        /// <summary>Cancelled by StopProcessing (Ctrl+C, Select-Object -First, runbook stop).</summary>
        protected CancellationToken StopToken => _stopping.Token;

        protected override void StopProcessing() => _stopping.Cancel();

        /// <summary>Runs an engine call on the pipeline thread; only Stop cancels it.</summary>
        protected static T Wait<T>(Task<T> task) => task.GetAwaiter().GetResult();

        /// <summary>Lets xunit run the whole cmdlet life cycle without a PowerShell runtime.</summary>
        internal void InvokeForTest(ICmdletOutput output)
        {
            Output = output;
            BeginProcessing();
            ProcessRecord();
            EndProcessing();
        }

        internal void StopForTest() => StopProcessing();

        public void Dispose() => _stopping.Dispose();
    }
}
