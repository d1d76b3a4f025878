using System;
using StartTlsTools.Transport;

namespace StartTlsTools.Tls
{
    /// <summary>A minimal, bounded DER/BER TLV reader. Every length is checked against what is left.</summary>
    public sealed class DerReader
    {
        private readonly byte[] _data;
        private readonly int _end;
        private int _position;

        public DerReader(byte[] data) : this(data, 0, data.Length) { }

        public DerReader(byte[] data, int offset, int count)
        {
            if (offset < 0 || count < 0 || offset + count > data.Length) throw new ArgumentOutOfRangeException(nameof(count));
            _data = data;
            _position = offset;
            _end = offset + count;
        }

        public bool HasData => _position < _end;

        /// <summary>Reads one element: its tag byte and the bounds of its contents.</summary>
        public (byte Tag, int Offset, int Length) ReadElement()
        {
            if (_end - _position < 2) throw new StartTlsProtocolException("A DER element is truncated.");
            byte tag = _data[_position++];
            if ((tag & 0x1F) == 0x1F) throw new StartTlsProtocolException("DER high-tag-number form is not supported.");
            int first = _data[_position++];
            int length;
            if (first < 0x80) length = first;
            else
            {
                int octets = first & 0x7F;
                // Four octets would already allow 2 GiB; nothing legitimate here needs more than three.
                if (octets == 0 || octets > 3) throw new StartTlsProtocolException("A DER length uses an unsupported form.");
                if (_end - _position < octets) throw new StartTlsProtocolException("A DER length is truncated.");
                length = 0;
                for (int i = 0; i < octets; i++) length = (length << 8) | _data[_position++];
            }
            if (length > _end - _position) throw new StartTlsProtocolException("A DER element claims more bytes than remain.");
            int offset = _position;
            _position += length;
            return (tag, offset, length);
        }

        /// <summary>A reader over the contents of the next element, which must carry <paramref name="expectedTag"/>.</summary>
        public DerReader ReadNested(byte expectedTag)
        {
            var (tag, offset, length) = ReadElement();
            if (tag != expectedTag) throw new StartTlsProtocolException($"Expected DER tag 0x{expectedTag:X2} but found 0x{tag:X2}.");
            return new DerReader(_data, offset, length);
        }

        public byte[] Bytes(int offset, int length)
        {
            var copy = new byte[length];
            Buffer.BlockCopy(_data, offset, copy, 0, length);
            return copy;
        }
    }
}
