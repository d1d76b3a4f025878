using System;
using System.Collections.Generic;
using System.Linq;

namespace StartTlsTools.Reporting
{
    /// <summary>
    /// Collects result objects of any known type, in any mix and order, and groups them by target (host name,
    /// case-insensitive, and port). Objects of other types are not dropped silently: they are counted by
    /// description, and the report says what was left out.
    /// </summary>
    public sealed class ReportBuilder
    {
        private readonly List<(IResultRenderer Renderer, object Result)> _results = new List<(IResultRenderer, object)>();
        private readonly List<KeyValuePair<string, int>> _unrecognized = new List<KeyValuePair<string, int>>();

        /// <summary>The result types the report understands.</summary>
        public static IReadOnlyList<ReportResultType> KnownTypes { get; } = ResultRenderers.All.Select(r => r.Describes).ToList();

        /// <summary>The type a "$type" discriminator names: the short ("StartTlsResult") or full type name, any case.</summary>
        public static ReportResultType? FindType(string name) => KnownTypes.FirstOrDefault(t =>
            string.Equals(t.Type.Name, name, StringComparison.OrdinalIgnoreCase) || string.Equals(t.Type.FullName, name, StringComparison.OrdinalIgnoreCase));

        public int RecognizedCount => _results.Count;
        public int UnrecognizedCount => _unrecognized.Sum(u => u.Value);

        /// <summary>Adds a result; false (and counted) when its type is not known. Null is ignored.</summary>
        public bool Add(object? result)
        {
            if (result == null) return false;
            IResultRenderer? renderer = ResultRenderers.For(result.GetType());
            if (renderer == null)
            {
                AddUnrecognized(result.GetType().FullName ?? result.GetType().Name);
                return false;
            }
            _results.Add((renderer, result));
            return true;
        }

        /// <summary>Counts something that is not a known result, e.g. a JSON object no signature matched.</summary>
        public void AddUnrecognized(string description)
        {
            int index = _unrecognized.FindIndex(u => u.Key == description);
            if (index < 0) _unrecognized.Add(new KeyValuePair<string, int>(description, 1));
            else _unrecognized[index] = new KeyValuePair<string, int>(description, _unrecognized[index].Value + 1);
        }

        public ReportModel Build(ReportContext context)
        {
            var targets = new List<ReportTarget>();
            var byKey = new Dictionary<(string, int), ReportTarget>();
            foreach (var (renderer, result) in _results)
            {
                var (hostName, port) = renderer.TargetOf(result);
                hostName = hostName ?? "";
                var key = (hostName.ToLowerInvariant(), port);
                if (!byKey.TryGetValue(key, out ReportTarget? target))
                {
                    target = new ReportTarget(hostName, port, targets.Count + 1);
                    byKey.Add(key, target);
                    targets.Add(target);
                }
                target.Add(renderer, result);
                renderer.Summarize(result, target, context);
            }
            return new ReportModel(context, targets, _results.Count, _unrecognized.ToList());
        }
    }
}
