using System;
using System.Management.Automation;

namespace StartTlsTools.Commands.Output
{
    /// <summary>
    /// Everything a cmdlet says, through one small interface (the IOutputWriter idea from PSScriptAnalyzer),
    /// so that xunit can drive a cmdlet class and read what it wrote without a PowerShell runtime.
    /// </summary>
    public interface ICmdletOutput
    {
        void WriteObject(object value);
        void WriteError(CmdletError error);
        void WriteVerbose(string text);
        void WriteWarning(string text);
        void WriteProgress(ProgressRecord progress);
    }

    /// <summary>A non-terminating error before it becomes an ErrorRecord: stable id, category, target, message.</summary>
    public sealed class CmdletError
    {
        public CmdletError(string id, ErrorCategory category, object? target, string message, Exception? exception = null)
        {
            Id = id;
            Category = category;
            Target = target;
            Message = message;
            Exception = exception;
        }

        /// <summary>A stable PascalCase id, e.g. "StartTlsNotOffered"; scripts may match on it.</summary>
        public string Id { get; }
        public ErrorCategory Category { get; }
        public object? Target { get; }
        public string Message { get; }
        public Exception? Exception { get; }

        public ErrorRecord ToErrorRecord() =>
            new ErrorRecord(Exception ?? new StartTlsToolsException(Message), Id, Category, Target);
    }

    /// <summary>The exception inside our ErrorRecords: its message is the reason, and it never carries a secret.</summary>
    public sealed class StartTlsToolsException : Exception
    {
        public StartTlsToolsException(string message) : base(message) { }
    }

    /// <summary>The real output: straight to the PowerShell pipeline.</summary>
    internal sealed class PipelineOutput : ICmdletOutput
    {
        private readonly Cmdlet _cmdlet;

        public PipelineOutput(Cmdlet cmdlet) => _cmdlet = cmdlet;

        public void WriteObject(object value) => _cmdlet.WriteObject(value);
        public void WriteError(CmdletError error) => _cmdlet.WriteError(error.ToErrorRecord());
        public void WriteVerbose(string text) => _cmdlet.WriteVerbose(text);
        public void WriteWarning(string text) => _cmdlet.WriteWarning(text);
        public void WriteProgress(ProgressRecord progress) => _cmdlet.WriteProgress(progress);
    }
}
