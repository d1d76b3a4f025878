using System;

namespace StartTlsTools.HelpCompiler
{
    /// <summary>A help page that does not follow the PlatyPS schema: names the file and the 1-based line.</summary>
    internal sealed class HelpSchemaException : Exception
    {
        public HelpSchemaException(string filePath, int line, string reason)
            : base($"{filePath}, line {line}: {reason}")
        {
            FilePath = filePath;
            Line = line;
            Reason = reason;
        }

        public string FilePath { get; }

        public int Line { get; }

        public string Reason { get; }

        /// <summary>The form MSBuild's Exec task reports as a build error pointing at the file and line.</summary>
        public string ToBuildError() => $"{FilePath}({Line}): error STHELP1: {Reason}";
    }
}
