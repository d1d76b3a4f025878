using System;
using System.Collections.Generic;
using System.Linq;

namespace StartTlsTools.Reporting
{
    /// <summary>A result type the report knows: its .NET type, the command that writes it, and how to spot it in JSON.</summary>
    public sealed class ReportResultType
    {
        internal ReportResultType(Type type, string command, IReadOnlyList<string> jsonSignature)
        {
            Type = type;
            Command = command;
            JsonSignature = jsonSignature;
        }

        public Type Type { get; }
        /// <summary>The cmdlet that writes it, e.g. "Test-StartTls".</summary>
        public string Command { get; }
        /// <summary>
        /// Property names that together occur on this type and no other known type: JSON carries no type name, so a
        /// reader picks the type whose signature a JSON object has in full (or reads a "$type" property, see
        /// <see cref="ReportBuilder.FindType(string)"/>).
        /// </summary>
        public IReadOnlyList<string> JsonSignature { get; }
    }

    /// <summary>What the report needs from one result type. Implement it through <see cref="ResultRenderer{T}"/>.</summary>
    internal interface IResultRenderer
    {
        ReportResultType Describes { get; }
        /// <summary>Lower is more telling: the target's status, protocol and certificate come from the lowest order present.</summary>
        int Order { get; }
        (string HostName, int Port) TargetOf(object result);
        void Summarize(object result, ReportTarget target, ReportContext context);
        /// <summary>The detail section for all results of this type about one target.</summary>
        void RenderDetail(IReadOnlyList<object> results, HtmlWriter html, ReportContext context);
    }

    /// <summary>
    /// The one thing to write to put a new result type in the report: which target a result is about, what it says
    /// about that target (protocol, status, health, versions, ratings, certificate, findings), and its detail section.
    /// Then add one line to <see cref="ResultRenderers.All"/>.
    /// </summary>
    internal abstract class ResultRenderer<T> : IResultRenderer where T : class
    {
        protected ResultRenderer(string command, int order, params string[] jsonSignature)
        {
            Describes = new ReportResultType(typeof(T), command, jsonSignature);
            Order = order;
        }

        public ReportResultType Describes { get; }
        public int Order { get; }

        protected abstract (string HostName, int Port) TargetOf(T result);
        protected abstract void Summarize(T result, ReportTarget target, ReportContext context);
        protected abstract void RenderDetail(T result, HtmlWriter html, ReportContext context);

        /// <summary>One section per result by default; a type with many rows per target (cipher suites) overrides this.</summary>
        protected virtual void RenderDetail(IReadOnlyList<T> results, HtmlWriter html, ReportContext context)
        {
            foreach (T result in results) RenderDetail(result, html, context);
        }

        (string HostName, int Port) IResultRenderer.TargetOf(object result) => TargetOf((T)result);
        void IResultRenderer.Summarize(object result, ReportTarget target, ReportContext context) => Summarize((T)result, target, context);
        void IResultRenderer.RenderDetail(IReadOnlyList<object> results, HtmlWriter html, ReportContext context) =>
            RenderDetail(results.Cast<T>().ToList(), html, context);
    }
}
