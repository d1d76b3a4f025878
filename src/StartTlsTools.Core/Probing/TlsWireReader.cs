using System;
using StartTlsTools.Transport;

namespace StartTlsTools.Probing
{
    /// <summary>A bounds-checked cursor over a server's bytes: every overrun is a StartTlsProtocolException, never an index error.</summary>
    internal sealed class TlsWireReader
    {
        private readonly byte[] _data;
        private readonly int _end;
        private readonly string _what;

        public TlsWireReader(byte[] data, string what) : this(data, 0, data.Length, what) { }

        public TlsWireReader(byte[] data, int offset, int count, string what)
        {
            _data = data;
            Position = offset;
            _end = offset + count;
            _what = what;
        }

        public int Position { get; private set; }
        public int Remaining => _end - Position;

        public int U8() { Need(1); return _data[Position++]; }

        public int U16() { Need(2); int v = (_data[Position] << 8) | _data[Position + 1]; Position += 2; return v; }

        public int U24() { Need(3); int v = (_data[Position] << 16) | (_data[Position + 1] << 8) | _data[Position + 2]; Position += 3; return v; }

        public byte[] Bytes(int count)
        {
            Need(count);
            var copy = new byte[count];
            Buffer.BlockCopy(_data, Position, copy, 0, count);
            Position += count;
            return copy;
        }

        /// <summary>A sub-reader over the next <paramref name="count"/> bytes, which this reader then skips.</summary>
        public TlsWireReader Sub(int count, string what)
        {
            Need(count);
            var sub = new TlsWireReader(_data, Position, count, what);
            Position += count;
            return sub;
        }

        private void Need(int count)
        {
            if (count < 0 || count > _end - Position)
                throw new StartTlsProtocolException($"The server's {_what} is truncated or has a length field past its end.");
        }
    }
}
