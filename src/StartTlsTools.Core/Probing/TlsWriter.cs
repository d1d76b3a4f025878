using System.IO;

namespace StartTlsTools.Probing
{
    /// <summary>Big-endian writer for TLS structures.</summary>
    internal sealed class TlsWriter
    {
        private readonly MemoryStream _bytes = new MemoryStream();

        public int Length => (int)_bytes.Length;

        public void U8(int value) => _bytes.WriteByte((byte)value);

        public void U16(int value) { U8(value >> 8); U8(value); }

        public void U24(int value) { U8(value >> 16); U8(value >> 8); U8(value); }

        public void Raw(byte[] data) => _bytes.Write(data, 0, data.Length);

        public byte[] ToArray() => _bytes.ToArray();
    }
}
