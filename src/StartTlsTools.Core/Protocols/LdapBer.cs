using System;
using System.Collections.Generic;
using System.Text;
using StartTlsTools.Transport;

namespace StartTlsTools.Protocols
{
    /// <summary>
    /// The few BER pieces LDAP needs (RFC 4511 section 5.1): definite lengths only, one-byte tags only, and
    /// every length checked against the bytes that remain. Anything else is the server's protocol error.
    /// </summary>
    public sealed class BerReader
    {
        private static readonly Encoding Utf8 = new UTF8Encoding(false, false);
        private readonly byte[] _data;
        private readonly int _end;
        private int _position;

        public BerReader(byte[] data) : this(data, 0, data.Length) { }

        private BerReader(byte[] data, int offset, int count)
        {
            _data = data;
            _position = offset;
            _end = offset + count;
        }

        public bool HasData => _position < _end;

        /// <summary>The next element's tag without consuming it.</summary>
        public byte PeekTag()
        {
            if (_position >= _end) throw new StartTlsProtocolException("An LDAP message ends where another BER element was expected.");
            return _data[_position];
        }

        /// <summary>Reads one element: its tag and a reader over its contents.</summary>
        public (byte Tag, BerReader Contents) ReadElement()
        {
            byte tag = PeekTag();
            _position++;
            if ((tag & 0x1F) == 0x1F) throw new StartTlsProtocolException($"A BER tag uses the high-tag-number form (0x{tag:X2}), which LDAP never needs.");
            int length = ReadLength(_data, ref _position, _end);
            var contents = new BerReader(_data, _position, length);
            _position += length;
            return (tag, contents);
        }

        /// <summary>Reads an element that must carry <paramref name="expectedTag"/>.</summary>
        public BerReader Read(byte expectedTag, string what)
        {
            var (tag, contents) = ReadElement();
            if (tag != expectedTag) throw new StartTlsProtocolException($"Expected {what} (BER tag 0x{expectedTag:X2}) but found tag 0x{tag:X2}.");
            return contents;
        }

        /// <summary>An INTEGER or ENUMERATED that fits in 32 bits (message ids, result codes, scopes).</summary>
        public int ReadInteger(byte expectedTag, string what)
        {
            BerReader contents = Read(expectedTag, what);
            int count = contents._end - contents._position;
            if (count < 1 || count > 4) throw new StartTlsProtocolException($"{what} is {count} bytes long; LDAP allows 1 to 4.");
            int value = (sbyte)contents._data[contents._position];
            for (int i = 1; i < count; i++) value = (value << 8) | contents._data[contents._position + i];
            return value;
        }

        /// <summary>An OCTET STRING (or any primitive string-like element) as UTF-8; invalid bytes become U+FFFD.</summary>
        public string ReadString(byte expectedTag, string what) => Read(expectedTag, what).RemainingText();

        /// <summary>All the bytes left in this reader, as UTF-8 text.</summary>
        public string RemainingText()
        {
            string text = Utf8.GetString(_data, _position, _end - _position);
            _position = _end;
            return text;
        }

        /// <summary>
        /// Reads a definite length at <paramref name="position"/>: short form, or long form of 1 to 4 octets.
        /// The result is checked against <paramref name="end"/>, so a length can never point past the data.
        /// </summary>
        public static int ReadLength(byte[] data, ref int position, int end)
        {
            if (position >= end) throw new StartTlsProtocolException("A BER length is missing: the element is truncated.");
            int first = data[position++];
            long length;
            if (first < 0x80) length = first;
            else
            {
                int octets = first & 0x7F;
                if (octets == 0) throw new StartTlsProtocolException("A BER element uses the indefinite length form, which LDAP forbids.");
                if (octets > 4) throw new StartTlsProtocolException($"A BER length takes {octets} octets; at most 4 are accepted.");
                if (end - position < octets) throw new StartTlsProtocolException("A BER length is truncated.");
                length = 0;
                for (int i = 0; i < octets; i++) length = (length << 8) | data[position++];
            }
            if (length > end - position) throw new StartTlsProtocolException($"A BER element claims {length} bytes but only {end - position} remain.");
            return (int)length;
        }
    }

    /// <summary>Builds BER elements with definite lengths, for the handful of LDAP requests the dialect sends.</summary>
    public static class BerWriter
    {
        public static byte[] Element(byte tag, params byte[][] contents)
        {
            int length = 0;
            foreach (byte[] part in contents) length += part.Length;
            var bytes = new List<byte>(length + 6) { tag };
            if (length < 0x80) bytes.Add((byte)length);
            else if (length < 0x100) { bytes.Add(0x81); bytes.Add((byte)length); }
            else if (length < 0x10000) { bytes.Add(0x82); bytes.Add((byte)(length >> 8)); bytes.Add((byte)length); }
            else { bytes.Add(0x83); bytes.Add((byte)(length >> 16)); bytes.Add((byte)(length >> 8)); bytes.Add((byte)length); }
            foreach (byte[] part in contents) bytes.AddRange(part);
            return bytes.ToArray();
        }

        /// <summary>A non-negative INTEGER or ENUMERATED in its minimal two's-complement form.</summary>
        public static byte[] Integer(byte tag, int value)
        {
            if (value < 0) throw new ArgumentOutOfRangeException(nameof(value));
            var octets = new List<byte>();
            do
            {
                octets.Insert(0, (byte)value);
                value >>= 8;
            } while (value > 0);
            if ((octets[0] & 0x80) != 0) octets.Insert(0, 0);
            return Element(tag, octets.ToArray());
        }

        public static byte[] String(byte tag, string value) => Element(tag, Encoding.UTF8.GetBytes(value));
    }
}
