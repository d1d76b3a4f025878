using System;
using System.Globalization;
using System.Text;

namespace StartTlsTools.Reporting
{
    /// <summary>
    /// Builds the report's markup. Markup comes only from string literals in this assembly (<see cref="Raw"/>);
    /// every value goes through <see cref="HtmlText"/> (<see cref="Text"/>, <see cref="Attr"/>), so a renderer
    /// cannot put a server's string into the page unescaped by accident.
    /// </summary>
    internal sealed class HtmlWriter
    {
        private readonly StringBuilder _builder;

        public HtmlWriter(StringBuilder builder) => _builder = builder;

        public int Length => _builder.Length;

        /// <summary>Markup written by this code; never a value from a result.</summary>
        public HtmlWriter Raw(string markup)
        {
            _builder.Append(markup);
            return this;
        }

        public HtmlWriter Text(string? value, int maxLength = HtmlText.DefaultMaxLength)
        {
            HtmlText.Append(_builder, value, maxLength);
            return this;
        }

        public HtmlWriter Number(long value)
        {
            _builder.Append(value.ToString(CultureInfo.InvariantCulture));
            return this;
        }

        public HtmlWriter Number(double value, string format)
        {
            _builder.Append(value.ToString(format, CultureInfo.InvariantCulture));
            return this;
        }

        /// <summary>Writes <c> name="value"</c>; the name is a literal, the value is escaped.</summary>
        public HtmlWriter Attr(string name, string? value)
        {
            _builder.Append(' ').Append(name).Append("=\"");
            HtmlText.Append(_builder, value, HtmlText.DefaultMaxLength);
            _builder.Append('"');
            return this;
        }

        /// <summary><c>&lt;tag class="cls"&gt;text&lt;/tag&gt;</c>, with the text escaped.</summary>
        public HtmlWriter Element(string tag, string? text, string? cssClass = null)
        {
            _builder.Append('<').Append(tag);
            if (cssClass != null) _builder.Append(" class=\"").Append(cssClass).Append('"');
            _builder.Append('>');
            HtmlText.Append(_builder, text, HtmlText.DefaultMaxLength);
            _builder.Append("</").Append(tag).Append('>');
            return this;
        }

        public override string ToString() => _builder.ToString();
    }
}
