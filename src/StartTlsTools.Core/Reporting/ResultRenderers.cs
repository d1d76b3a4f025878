using System;
using System.Collections.Generic;
using System.Linq;
using StartTlsTools.Reporting.Renderers;

namespace StartTlsTools.Reporting
{
    /// <summary>Every result type the report knows. Adding one: write its renderer, add it here.</summary>
    internal static class ResultRenderers
    {
        public static readonly IReadOnlyList<IResultRenderer> All = new IResultRenderer[]
        {
            new StartTlsResultRenderer(),
            new TlsCapabilitySummaryRenderer(),
            new ComparisonRenderer(),
            new SmtpAuthRenderer(),
            new InjectionRenderer(),
            new CipherSuiteRenderer(),
            new MailDomainResultRenderer(),
            new MailExchangerRenderer(),
            new MtaStsPolicyRenderer(),
        };

        private static readonly Dictionary<Type, IResultRenderer> ByType = All.ToDictionary(r => r.Describes.Type);

        public static IResultRenderer? For(Type type) => ByType.TryGetValue(type, out IResultRenderer? renderer) ? renderer : null;
    }
}
