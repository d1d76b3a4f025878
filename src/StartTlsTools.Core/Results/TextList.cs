using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Linq;

namespace StartTlsTools
{
    /// <summary>
    /// A list of strings on a result: typed for the pipeline (ConvertTo-Json writes an array, Where-Object can
    /// use -contains), and readable at the edge, because Export-Csv writes a property with ToString(), which
    /// here is the items joined with "; " instead of the type name "System.String[]".
    /// </summary>
    public sealed class TextList : ReadOnlyCollection<string>
    {
        public const string Separator = "; ";

        public static readonly TextList Empty = new TextList(new string[0]);

        public TextList(IEnumerable<string> items) : base(items.ToArray()) { }

        public override string ToString() => string.Join(Separator, this);
    }

    /// <summary>Findings on a result: objects for the pipeline, their ids joined with "; " in a CSV cell.</summary>
    public sealed class FindingList : ReadOnlyCollection<Finding>
    {
        public static readonly FindingList Empty = new FindingList(new Finding[0]);

        public FindingList(IEnumerable<Finding> findings) : base(findings.ToArray()) { }

        public override string ToString() => string.Join(TextList.Separator, this.Select(f => f.Id));
    }
}
