using System;
using System.Collections.Generic;
using System.Text;
using System.Threading.Tasks;
using StartTlsTools.Transport;

namespace StartTlsTools.Protocols
{
    /// <summary>One parsed XML element of an XMPP stream: name as written, attributes, children and text.</summary>
    public sealed class XmppElement
    {
        public XmppElement(string name, XmppElement? parent)
        {
            Name = name;
            Parent = parent;
            int colon = name.IndexOf(':');
            Prefix = colon < 0 ? "" : name.Substring(0, colon);
            LocalName = colon < 0 ? name : name.Substring(colon + 1);
        }

        public string Name { get; }
        public string Prefix { get; }
        public string LocalName { get; }
        public XmppElement? Parent { get; }
        public Dictionary<string, string> Attributes { get; } = new Dictionary<string, string>(StringComparer.Ordinal);
        public List<XmppElement> Children { get; } = new List<XmppElement>();
        public StringBuilder Text { get; } = new StringBuilder();

        /// <summary>The element's namespace: its prefix's (or the default) xmlns declaration here or on an ancestor; "" when none.</summary>
        public string Namespace
        {
            get
            {
                string declaration = Prefix.Length == 0 ? "xmlns" : "xmlns:" + Prefix;
                for (var e = this; e != null; e = e.Parent)
                    if (e.Attributes.TryGetValue(declaration, out string? ns)) return ns;
                return "";
            }
        }

        public string? Attribute(string name) => Attributes.TryGetValue(name, out string? value) ? value : null;

        public XmppElement? Child(string localName)
        {
            foreach (var child in Children) if (child.LocalName == localName) return child;
            return null;
        }
    }

    /// <summary>
    /// A small, strict, bounded reader for the XML of an XMPP stream (RFC 6120 section 11): the stream header,
    /// then one complete top-level element at a time. No DTDs, comments, CDATA, processing instructions (except
    /// the leading XML declaration) or entities beyond the five predefined ones and character references; the
    /// element size, nesting depth, attribute and child counts and the total bytes read are all bounded, so a
    /// hostile server cannot make it buffer or recurse without limit. Each element is scanned once as it
    /// arrives and parsed once when complete.
    /// </summary>
    public sealed class XmppStreamReader
    {
        public const int MaxElementChars = 64 * 1024;
        public const int MaxDepth = 16;
        public const int MaxTotalBytes = 1024 * 1024;
        public const int MaxAttributes = 32;
        public const int MaxChildren = 256;
        public const string StreamsNamespace = "http://etherx.jabber.org/streams";

        private readonly ProtocolSession _session;
        private readonly Decoder _decoder = new UTF8Encoding(false, false).GetDecoder();
        private readonly StringBuilder _pending = new StringBuilder();
        private long _totalBytes;
        private bool _headerRead;
        private Scan _state;
        private int _scan;
        private int _depth;
        private int _elementStart = -1;
        private char _quote;
        private bool _lastSlash;
        private bool _declarationSeen;
        private XmppElement? _header;

        private enum Scan { Content, TagOpen, StartTag, StartTagQuote, EndTag, Declaration, DeclarationQuestion }

        /// <param name="headerAlreadyRead">True to read only the rest of a stream whose header was read before (at goodbye).</param>
        public XmppStreamReader(ProtocolSession session, bool headerAlreadyRead = false)
        {
            _session = session;
            _headerRead = headerAlreadyRead;
        }

        /// <summary>Reads the optional XML declaration and the stream's opening tag; returns it as an element without children.</summary>
        public async Task<XmppElement> ReadStreamHeaderAsync(string step)
        {
            if (_headerRead) throw new InvalidOperationException("The stream header was already read.");
            string tag = await ReadUntilCompleteAsync(step, header: true).ConfigureAwait(false);
            _headerRead = true;
            // Parse the opening tag as an empty element: append the matching close.
            var element = ParseElement(tag, null, step, openTagOnly: true);
            _header = element;
            if (element.LocalName != "stream" || element.Namespace != StreamsNamespace)
                throw new StartTlsProtocolException($"The server did not open an XMPP stream during {step}: '{ServerText.Shorten(tag)}'.");
            return element;
        }

        /// <summary>
        /// Hands what arrived after the last element back to the session: after &lt;proceed/&gt; anything more is
        /// plaintext the server should not have sent, and the engine counts and drops it at the upgrade.
        /// </summary>
        public void ReturnUnreadToSession()
        {
            if (_pending.Length == 0) return;
            _session.Unread(new UTF8Encoding(false, false).GetBytes(_pending.ToString()));
            _pending.Clear();
            _scan = 0;
        }

        /// <summary>The next complete top-level element of the stream, or null when the server closed the stream (&lt;/stream:stream&gt;).</summary>
        public async Task<XmppElement?> ReadElementAsync(string step)
        {
            if (!_headerRead) throw new InvalidOperationException("Read the stream header first.");
            string? text = await ReadUntilCompleteOrEndAsync(step).ConfigureAwait(false);
            // The header is the parent: it declares the stream: prefix and the default namespace.
            return text == null ? null : ParseElement(text, _header, step, openTagOnly: false);
        }

        private async Task<string?> ReadUntilCompleteOrEndAsync(string step)
        {
            string text = await ReadUntilCompleteAsync(step, header: false).ConfigureAwait(false);
            return text.Length == 0 ? null : text;
        }

        /// <summary>
        /// Feeds bytes to the scanner until it completes the header (header) or a top-level element; returns its
        /// text, or "" when the stream's closing tag arrived instead.
        /// </summary>
        private async Task<string> ReadUntilCompleteAsync(string step, bool header)
        {
            while (true)
            {
                string? complete = ScanPending(step, header, out bool streamClosed);
                if (streamClosed)
                {
                    _session.Transcript.Add(TranscriptDirection.Server, _session.Phase, "</stream:stream>");
                    return "";
                }
                if (complete != null)
                {
                    _session.Transcript.Add(TranscriptDirection.Server, _session.Phase, complete);
                    return complete;
                }
                byte[] bytes = await _session.ReadAvailableAsync(step).ConfigureAwait(false);
                _totalBytes += bytes.Length;
                if (_totalBytes > MaxTotalBytes)
                    throw new StartTlsProtocolException($"The server sent more than {MaxTotalBytes} bytes of XML during {step}.");
                var chars = new char[_decoder.GetCharCount(bytes, 0, bytes.Length)];
                _decoder.GetChars(bytes, 0, bytes.Length, chars, 0);
                _pending.Append(chars);
            }
        }

        /// <summary>Advances the scanner over the new characters; returns the completed text when there is one.</summary>
        private string? ScanPending(string step, bool header, out bool streamClosed)
        {
            streamClosed = false;
            for (; _scan < _pending.Length; _scan++)
            {
                char c = _pending[_scan];
                switch (_state)
                {
                    case Scan.Content:
                        if (c == '<')
                        {
                            if (_depth == 0) _elementStart = _scan;
                            _state = Scan.TagOpen;
                        }
                        else if (_depth == 0 && !IsXmlSpace(c))
                            throw new StartTlsProtocolException($"The server sent text outside any element during {step}: '{ServerText.Shorten(Excerpt(_scan))}'.");
                        break;
                    case Scan.TagOpen:
                        if (c == '/') _state = Scan.EndTag;
                        else if (c == '?')
                        {
                            // Only the XML declaration, only first, only before the header.
                            if (!header || _declarationSeen || _elementStart != FirstNonSpace())
                                throw new StartTlsProtocolException($"The server sent a processing instruction during {step}, which XMPP forbids.");
                            _state = Scan.Declaration;
                            _declarationSeen = true;
                        }
                        else if (c == '!')
                            throw new StartTlsProtocolException($"The server sent a DTD, comment or CDATA section during {step}, which XMPP forbids.");
                        else
                        {
                            _state = Scan.StartTag;
                            _lastSlash = false;
                        }
                        break;
                    case Scan.StartTag:
                        if (c == '"' || c == '\'')
                        {
                            _quote = c;
                            _state = Scan.StartTagQuote;
                        }
                        else if (c == '>')
                        {
                            _state = Scan.Content;
                            if (header)
                            {
                                if (_lastSlash) throw new StartTlsProtocolException($"The server closed the stream header at once during {step}.");
                                return Complete(_elementStart, _scan);
                            }
                            if (_lastSlash)
                            {
                                if (_depth == 0) return Complete(_elementStart, _scan);
                            }
                            else if (++_depth > MaxDepth)
                                throw new StartTlsProtocolException($"The server nested XML elements deeper than {MaxDepth} during {step}.");
                        }
                        else _lastSlash = c == '/';
                        break;
                    case Scan.StartTagQuote:
                        if (c == _quote) _state = Scan.StartTag;
                        if (c == '<') throw new StartTlsProtocolException($"The server sent '<' inside an attribute value during {step}.");
                        _lastSlash = false;
                        break;
                    case Scan.EndTag:
                        if (c == '>')
                        {
                            _state = Scan.Content;
                            if (header) throw new StartTlsProtocolException($"The server sent a closing tag before the stream header during {step}.");
                            if (_depth == 0)
                            {
                                // The only end tag at the top level is the stream's own.
                                string tag = _pending.ToString(_elementStart, _scan - _elementStart + 1);
                                string name = tag.Substring(2, tag.Length - 3).Trim();
                                if (name.Length == 0 || !name.EndsWith("stream", StringComparison.Ordinal))
                                    throw new StartTlsProtocolException($"The server sent an unexpected closing tag during {step}: '{ServerText.Shorten(tag)}'.");
                                Consume(_scan + 1);
                                streamClosed = true;
                                return null;
                            }
                            if (--_depth == 0) return Complete(_elementStart, _scan);
                        }
                        break;
                    case Scan.Declaration:
                        if (c == '?') _state = Scan.DeclarationQuestion;
                        break;
                    case Scan.DeclarationQuestion:
                        if (c == '>')
                        {
                            _state = Scan.Content;
                            _elementStart = -1;
                        }
                        else if (c != '?') _state = Scan.Declaration;
                        break;
                }
                if (_elementStart >= 0 && _scan - _elementStart >= MaxElementChars)
                    throw new StartTlsProtocolException($"The server sent an XML element longer than {MaxElementChars} characters during {step}.");
            }
            if (_elementStart < 0 && _state == Scan.Content)
            {
                // Only whitespace is pending: drop it so the buffer cannot grow between elements.
                _pending.Clear();
                _scan = 0;
            }
            return null;
        }

        private int FirstNonSpace()
        {
            for (int i = 0; i < _pending.Length; i++) if (!IsXmlSpace(_pending[i])) return i;
            return -1;
        }

        private string Complete(int start, int end)
        {
            string text = _pending.ToString(start, end - start + 1);
            Consume(end + 1);
            return text;
        }

        /// <summary>Drops what was handed out; the scanner goes on after it.</summary>
        private void Consume(int upTo)
        {
            _pending.Remove(0, upTo);
            _scan = 0;
            _elementStart = -1;
        }

        private string Excerpt(int at) => _pending.ToString(at, Math.Min(80, _pending.Length - at));

        private static bool IsXmlSpace(char c) => c == ' ' || c == '\t' || c == '\r' || c == '\n';

        // ---- the parser of one complete element -----------------------------------------------------------------

        private static XmppElement ParseElement(string text, XmppElement? parent, string step, bool openTagOnly)
        {
            int i = 0;
            var element = ParseNode(text, ref i, parent, 0, step, openTagOnly);
            while (i < text.Length && IsXmlSpace(text[i])) i++;
            if (i != text.Length) throw Malformed(step, text);
            return element;
        }

        private static XmppElement ParseNode(string text, ref int i, XmppElement? parent, int depth, string step, bool openTagOnly)
        {
            if (depth > MaxDepth) throw new StartTlsProtocolException($"The server nested XML elements deeper than {MaxDepth} during {step}.");
            if (i >= text.Length || text[i] != '<') throw Malformed(step, text);
            i++;
            string name = ReadName(text, ref i, step);
            var element = new XmppElement(name, parent);
            while (true)
            {
                SkipSpace(text, ref i);
                if (i >= text.Length) throw Malformed(step, text);
                if (text[i] == '/')
                {
                    if (i + 1 >= text.Length || text[i + 1] != '>') throw Malformed(step, text);
                    i += 2;
                    return element;
                }
                if (text[i] == '>')
                {
                    i++;
                    break;
                }
                string attribute = ReadName(text, ref i, step);
                SkipSpace(text, ref i);
                if (i >= text.Length || text[i] != '=') throw Malformed(step, text);
                i++;
                SkipSpace(text, ref i);
                if (i >= text.Length || (text[i] != '"' && text[i] != '\'')) throw Malformed(step, text);
                char quote = text[i++];
                int close = text.IndexOf(quote, i);
                if (close < 0) throw Malformed(step, text);
                if (element.Attributes.Count >= MaxAttributes)
                    throw new StartTlsProtocolException($"The server sent an element with more than {MaxAttributes} attributes during {step}.");
                if (element.Attributes.ContainsKey(attribute))
                    throw new StartTlsProtocolException($"The server repeated the attribute '{attribute}' during {step}.");
                element.Attributes[attribute] = DecodeText(text.Substring(i, close - i), step);
                i = close + 1;
            }
            if (openTagOnly) return element;

            while (true)
            {
                if (i >= text.Length) throw Malformed(step, text);
                if (text[i] != '<')
                {
                    int next = text.IndexOf('<', i);
                    if (next < 0) throw Malformed(step, text);
                    element.Text.Append(DecodeText(text.Substring(i, next - i), step));
                    i = next;
                    continue;
                }
                if (i + 1 < text.Length && text[i + 1] == '/')
                {
                    i += 2;
                    string closing = ReadName(text, ref i, step);
                    SkipSpace(text, ref i);
                    if (closing != name || i >= text.Length || text[i] != '>')
                        throw new StartTlsProtocolException($"The server closed <{ServerText.Shorten(name)}> with </{ServerText.Shorten(closing)}> during {step}.");
                    i++;
                    return element;
                }
                if (element.Children.Count >= MaxChildren)
                    throw new StartTlsProtocolException($"The server sent an element with more than {MaxChildren} children during {step}.");
                element.Children.Add(ParseNode(text, ref i, element, depth + 1, step, openTagOnly: false));
            }
        }

        private static string ReadName(string text, ref int i, string step)
        {
            int start = i;
            while (i < text.Length && IsNameChar(text[i])) i++;
            if (i == start || text[start] == '-' || text[start] == '.' || char.IsDigit(text[start]))
                throw Malformed(step, text);
            return text.Substring(start, i - start);
        }

        private static bool IsNameChar(char c) =>
            (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == ':' || c == '_' || c == '-' || c == '.' || c > 0x7F;

        private static void SkipSpace(string text, ref int i)
        {
            while (i < text.Length && IsXmlSpace(text[i])) i++;
        }

        /// <summary>Resolves the five predefined entities and character references; any other entity is refused.</summary>
        public static string DecodeText(string raw, string step)
        {
            if (raw.IndexOf('&') < 0) return raw;
            var sb = new StringBuilder(raw.Length);
            for (int i = 0; i < raw.Length; i++)
            {
                if (raw[i] != '&')
                {
                    sb.Append(raw[i]);
                    continue;
                }
                int semicolon = raw.IndexOf(';', i);
                if (semicolon < 0 || semicolon - i > 12)
                    throw new StartTlsProtocolException($"The server sent a malformed entity reference during {step}.");
                string entity = raw.Substring(i + 1, semicolon - i - 1);
                switch (entity)
                {
                    case "lt": sb.Append('<'); break;
                    case "gt": sb.Append('>'); break;
                    case "amp": sb.Append('&'); break;
                    case "quot": sb.Append('"'); break;
                    case "apos": sb.Append('\''); break;
                    default:
                        if (entity.StartsWith("#", StringComparison.Ordinal) && TryCharReference(entity, out string? value)) sb.Append(value);
                        else throw new StartTlsProtocolException($"The server sent the entity '&{ServerText.Shorten(entity)};' during {step}; XMPP allows only the predefined ones.");
                        break;
                }
                i = semicolon;
            }
            return sb.ToString();
        }

        private static bool TryCharReference(string entity, out string? value)
        {
            value = null;
            bool hex = entity.Length > 1 && (entity[1] == 'x' || entity[1] == 'X');
            string digits = entity.Substring(hex ? 2 : 1);
            if (digits.Length == 0) return false;
            int code = 0;
            foreach (char c in digits)
            {
                int d = c >= '0' && c <= '9' ? c - '0' : hex && c >= 'a' && c <= 'f' ? c - 'a' + 10 : hex && c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
                if (d < 0) return false;
                code = code * (hex ? 16 : 10) + d;
                if (code > 0x10FFFF) return false;
            }
            if (code == 0 || (code >= 0xD800 && code <= 0xDFFF)) return false;
            value = char.ConvertFromUtf32(code);
            return true;
        }

        private static StartTlsProtocolException Malformed(string step, string text) =>
            new StartTlsProtocolException($"The server sent malformed XML during {step}: '{ServerText.Shorten(text)}'.");
    }
}
