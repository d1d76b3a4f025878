using System.Collections.Generic;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Dom.Events;
using AngleSharp.Html.Parser;

namespace StartTlsTools.Tests.Report
{
    /// <summary>A report parsed by a real HTML5 parser (AngleSharp), with every parse error it reported.</summary>
    internal sealed class ReportHtml
    {
        private ReportHtml(IHtmlDocument document, List<string> errors)
        {
            Document = document;
            ParseErrors = errors;
        }

        public IHtmlDocument Document { get; }
        public IReadOnlyList<string> ParseErrors { get; }

        public static ReportHtml Parse(string html)
        {
            var errors = new List<string>();
            var parser = new HtmlParser();
            parser.Error += (_, e) => errors.Add(e is HtmlErrorEvent error ? $"{error.Code} at line {error.Position.Line}, column {error.Position.Column}: {error.Message}" : e.Type);
            var document = parser.ParseDocument(html);
            return new ReportHtml(document, errors);
        }

        public IElement One(string selector) => Document.QuerySelector(selector) ?? throw new Xunit.Sdk.XunitException($"no element matches '{selector}'");
        public IHtmlCollection<IElement> All(string selector) => Document.QuerySelectorAll(selector);
    }
}
