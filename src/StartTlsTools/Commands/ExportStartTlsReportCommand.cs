using System;
using System.Collections;
using System.IO;
using System.Linq;
using System.Management.Automation;
using StartTlsTools.Commands.Output;
using StartTlsTools.Reporting;

namespace StartTlsTools.Commands
{
    /// <summary>
    /// Export-StartTlsReport: collects any mix of this module's result objects from the pipeline and, at the end,
    /// writes one self-contained HTML report (headline, charts, a sortable table, per-target detail). Objects of
    /// other types are counted, named in a warning and listed in the report. Not a target cmdlet: it talks to no server.
    /// </summary>
    [Cmdlet(VerbsData.Export, "StartTlsReport", HelpUri = HelpLink)]
    [OutputType(typeof(StartTlsReportSummary))]
    public sealed class ExportStartTlsReportCommand : StartTlsCmdletBase
    {
        internal const string HelpLink = "https://github.com/starttlstools/StartTlsTools/blob/main/docs/en-US/Export-StartTlsReport.md";
        internal const string PathInvalidId = "ReportPathInvalid";
        internal const string DirectoryNotFoundId = "ReportDirectoryNotFound";
        internal const string WriteFailedId = "ReportWriteFailed";
        /// <summary>Longest command line the report shows.</summary>
        private const int MaxCommandLine = 2000;

        private readonly ReportBuilder _builder = new ReportBuilder();
        private string? _fullPath;

        /// <summary>The HTML file to write; relative paths are relative to the current PowerShell location. An existing file is replaced.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; } = "";

        /// <summary>Result objects of any of this module's cmdlets, in any mix.</summary>
        [Parameter(ValueFromPipeline = true)]
        [AllowNull]
        public PSObject? InputObject { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string Title { get; set; } = ReportContext.DefaultTitle;

        /// <summary>Where the certificate expiry timeline draws its warning line.</summary>
        [Parameter]
        [ValidateRange(0, FindingOptions.MaxExpiryWarningDays)]
        public int ExpiryWarningDays { get; set; } = FindingOptions.DefaultExpiryWarningDays;

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary>False when xunit drives the class directly: then there is no session state, invocation or host to ask.</summary>
        private bool InEngine => CommandRuntime != null;

        protected override void BeginProcessing()
        {
            // Check the path before the pipeline runs, so a typo does not cost a whole fleet run.
            try
            {
                string full = ResolvePath(Path);
                if (Directory.Exists(full))
                {
                    Fail(PathInvalidId, ErrorCategory.InvalidArgument, $"'{Path}' is a directory; give the name of the HTML file to write.");
                    return;
                }
                string? directory = System.IO.Path.GetDirectoryName(full);
                if (!string.IsNullOrEmpty(directory) && !Directory.Exists(directory))
                {
                    Fail(DirectoryNotFoundId, ErrorCategory.ObjectNotFound, $"The folder '{directory}' does not exist, so '{Path}' cannot be written.");
                    return;
                }
                _fullPath = full;
            }
            catch (Exception ex) when (ex is ArgumentException || ex is NotSupportedException || ex is PathTooLongException || ex is PSInvalidOperationException || ex is ProviderNotFoundException || ex is System.Management.Automation.DriveNotFoundException)
            {
                Fail(PathInvalidId, ErrorCategory.InvalidArgument, $"'{Path}' is not a file-system path: {ex.Message}");
            }
        }

        protected override void ProcessRecord()
        {
            if (InputObject == null) return;
            // An array given to -InputObject, or a nested array from the pipeline: its items, not the array.
            if (InputObject.BaseObject is IEnumerable items && !(InputObject.BaseObject is string))
                foreach (object? item in items) Add(item);
            else Add(InputObject);
        }

        protected override void EndProcessing()
        {
            if (_fullPath == null) return;
            var context = new ReportContext
            {
                Title = Title,
                ExpiryWarningDays = ExpiryWarningDays,
                CommandLine = CommandLineForReport(),
                ProducedBy = $"StartTlsTools {ReportContext.ModuleVersion} (PowerShell {PowerShellVersion()})",
            };
            ReportModel model = _builder.Build(context);
            if (model.UnrecognizedCount > 0)
                Output.WriteWarning($"{model.UnrecognizedCount} object(s) are not results of this module and are left out of the report (it lists them): " +
                    string.Join(", ", model.Unrecognized.Take(5).Select(u => $"{u.Key} ({u.Value})")) + (model.Unrecognized.Count > 5 ? ", ..." : "") + ".");

            StartTlsReportSummary summary;
            try
            {
                summary = ReportFile.Write(model, _fullPath);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is System.Security.SecurityException)
            {
                Output.WriteError(new CmdletError(WriteFailedId, ErrorCategory.WriteError, Path, $"The report could not be written to '{_fullPath}': {ex.Message}", ex));
                return;
            }
            Output.WriteVerbose($"Wrote {summary.Path}: {summary.Targets} targets from {summary.Results} results, {summary.SizeBytes} bytes.");
            if (PassThru) Output.WriteObject(summary);
        }

        private void Add(object? value)
        {
            if (value is PSObject wrapped)
            {
                // Select-Object projections, Import-Csv rows and deserialized objects (jobs, remoting, Import-Clixml)
                // are property bags: named by their PowerShell type name, e.g. "Deserialized.StartTlsTools.StartTlsResult".
                if (wrapped.BaseObject is PSCustomObject)
                {
                    _builder.AddUnrecognized(wrapped.TypeNames.Count > 0 ? wrapped.TypeNames[0] : nameof(PSCustomObject));
                    return;
                }
                value = wrapped.BaseObject;
            }
            if (value != null) _builder.Add(value);
        }

        private void Fail(string id, ErrorCategory category, string message) =>
            Output.WriteError(new CmdletError(id, category, Path, message));

        private string ResolvePath(string path)
        {
            if (!InEngine) return System.IO.Path.GetFullPath(path);
            string resolved = SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out ProviderInfo provider, out _);
            if (!string.Equals(provider.Name, "FileSystem", StringComparison.OrdinalIgnoreCase))
                throw new NotSupportedException($"the {provider.Name} provider holds no files");
            return resolved;
        }

        /// <summary>
        /// The pipeline line that ran this cmdlet, so a reader can repeat it. None of this module's cmdlets takes a
        /// secret as text, but a line that converts one (ConvertTo-SecureString -AsPlainText) is not copied.
        /// </summary>
        private string CommandLineForReport()
        {
            string line = InEngine ? MyInvocation.Line?.Trim() ?? "" : "";
            if (line.Length == 0 || line.IndexOf("AsPlainText", StringComparison.OrdinalIgnoreCase) >= 0 || line.IndexOf("Password", StringComparison.OrdinalIgnoreCase) >= 0)
                line = $"Export-StartTlsReport -Path {Path}";
            return line.Length > MaxCommandLine ? line.Substring(0, MaxCommandLine) + " ..." : line;
        }

        private string PowerShellVersion() =>
            InEngine && SessionState.PSVariable.GetValue("PSVersionTable") is Hashtable table && table["PSVersion"] is object version ? version.ToString() ?? "unknown" : "unknown";
    }
}
