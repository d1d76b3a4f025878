using System;
using System.Linq;
using System.Reflection;
using System.Text;

namespace StartTlsTools
{
    /// <summary>
    /// Makes server-controlled text inert before it reaches a console, a CSV cell or a log: every C0 control
    /// character but tab, DEL and every C1 control character becomes a visible escape ("\x1b" for ESC), so a banner
    /// carrying "ESC[2J" or "ESC]0;title BEL" can neither clear a screen nor retitle a window, and JSON stays
    /// valid text. The one helper for this: the session applies it to every line and transcript entry it records,
    /// and every engine applies <see cref="MakeInert{T}"/> to its result before returning it.
    /// </summary>
    public static class ServerText
    {
        /// <summary>Result properties that hold several lines of our own making; each line is made inert on its own.</summary>
        private static readonly string[] MultiLineProperties = { "Transcript" };

        /// <summary>True for the characters <see cref="Inert"/> replaces: C0 but tab, DEL, C1.</summary>
        public static bool IsControl(char c) => (c < 0x20 && c != '\t') || (c >= 0x7F && c <= 0x9F);

        /// <summary>The text with every control character (see <see cref="IsControl"/>) written as \xNN; the same string when there is none.</summary>
        public static string Inert(string text)
        {
            if (text == null) throw new ArgumentNullException(nameof(text));
            int first = -1;
            for (int i = 0; i < text.Length; i++)
                if (IsControl(text[i])) { first = i; break; }
            if (first < 0) return text;

            var sb = new StringBuilder(text.Length + 16);
            sb.Append(text, 0, first);
            for (int i = first; i < text.Length; i++)
            {
                char c = text[i];
                if (IsControl(c)) sb.Append("\\x").Append(((int)c).ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
                else sb.Append(c);
            }
            return sb.ToString();
        }

        public static string? InertOrNull(string? text) => text == null ? null : Inert(text);

        /// <summary>An excerpt of server text for a reason or an evidence line: at most <paramref name="max"/> characters, then "...".</summary>
        public static string Shorten(string text, int max = 80) => text.Length <= max ? text : text.Substring(0, max) + "...";

        /// <summary>The list with each item made inert; the same list when nothing needed it.</summary>
        public static TextList Inert(TextList list) =>
            list.Any(item => item.Any(IsControl)) ? new TextList(list.Select(Inert)) : list;

        /// <summary>
        /// Makes every public settable string and <see cref="TextList"/> property of a result inert, in place, and returns
        /// it. Engines call it last, so a field added later is covered without anyone remembering to.
        /// </summary>
        public static T MakeInert<T>(T result) where T : class
        {
            foreach (PropertyInfo property in result.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                if (!property.CanWrite || !property.CanRead || property.GetIndexParameters().Length > 0) continue;
                if (property.PropertyType == typeof(string))
                {
                    if (!(property.GetValue(result) is string value)) continue;
                    string inert = Array.IndexOf(MultiLineProperties, property.Name) >= 0
                        ? string.Join("\n", value.Split('\n').Select(Inert))
                        : Inert(value);
                    if (!ReferenceEquals(inert, value)) property.SetValue(result, inert);
                }
                else if (property.PropertyType == typeof(TextList) && property.GetValue(result) is TextList list)
                {
                    TextList inert = Inert(list);
                    if (!ReferenceEquals(inert, list)) property.SetValue(result, inert);
                }
            }
            return result;
        }
    }
}
