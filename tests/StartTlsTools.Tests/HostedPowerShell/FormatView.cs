using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Xml.Linq;
using StartTlsTools.Tests.Cmdlets;

namespace StartTlsTools.Tests.HostedPowerShell
{
    /// <summary>
    /// Evaluates every view of a type (its default table or list, and the list view Format-List uses) from the format
    /// file item by item in the runspace ("View Label=value"): the hosted engine has no Out-String
    /// (Microsoft.PowerShell.Utility is not part of System.Management.Automation).
    /// </summary>
    internal static class FormatView
    {
        public static List<string> Render(Runspace runspace, object value)
        {
            var format = XDocument.Load(Path.Combine(ModuleContractTests.RepoRoot, "src", "StartTlsTools", "StartTlsTools.Format.ps1xml"));
            var views = format.Descendants("View").Where(v => v.Descendants("TypeName").Single().Value == value.GetType().FullName).ToList();
            var lines = new List<string>();
            var items = views.SelectMany(view => view.Descendants("ListItem").Select(i => (Label: i.Element("Label")?.Value, Item: i))
                .Concat(view.Descendants("TableColumnItem").Select((i, n) => (Label: view.Descendants("TableColumnHeader").ElementAt(n).Element("Label")?.Value, Item: i))));
            foreach (var (label, item) in items)
            {
                string? property = item.Element("PropertyName")?.Value;
                string script = property != null ? "$_." + property : item.Element("ScriptBlock")!.Value;
                using var ps = PowerShell.Create();
                ps.Runspace = runspace;
                ps.AddScript("$args[0] | ForEach-Object { " + script + " }").AddArgument(value);
                string text = string.Join(" ", ps.Invoke().Select(o => o?.ToString() ?? ""));
                lines.Add($"View {label ?? property}={text}");
                foreach (var error in ps.Streams.Error) lines.Add($"View error in {label}: {error}");
            }
            return lines;
        }
    }
}
