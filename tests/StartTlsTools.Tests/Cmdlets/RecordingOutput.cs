using System.Collections.Generic;
using System.Management.Automation;
using StartTlsTools.Commands.Output;

namespace StartTlsTools.Tests.Cmdlets
{
    /// <summary>Captures every channel a cmdlet writes to, so tests can assert on all of it.</summary>
    internal sealed class RecordingOutput : ICmdletOutput
    {
        public List<object> Objects { get; } = new List<object>();
        public List<CmdletError> Errors { get; } = new List<CmdletError>();
        public List<string> Verbose { get; } = new List<string>();
        public List<string> Warnings { get; } = new List<string>();
        public List<ProgressRecord> Progress { get; } = new List<ProgressRecord>();

        public void WriteObject(object value) => Objects.Add(value);
        public void WriteError(CmdletError error) => Errors.Add(error);
        public void WriteVerbose(string text) => Verbose.Add(text);
        public void WriteWarning(string text) => Warnings.Add(text);
        public void WriteProgress(ProgressRecord progress) => Progress.Add(progress);
    }
}
