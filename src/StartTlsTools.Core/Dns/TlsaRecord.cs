using System;
using System.Text;

namespace StartTlsTools.Resolution
{
    /// <summary>One TLSA record (RFC 6698 section 2.1): usage, selector, matching type and the association data.</summary>
    public sealed class TlsaRecord
    {
        public TlsaRecord(byte usage, byte selector, byte matchingType, byte[] data)
        {
            Usage = usage;
            Selector = selector;
            MatchingType = matchingType;
            Data = (byte[])data.Clone();
        }

        /// <summary>0 PKIX-TA, 1 PKIX-EE, 2 DANE-TA, 3 DANE-EE.</summary>
        public byte Usage { get; }
        /// <summary>0 the full certificate, 1 the SubjectPublicKeyInfo.</summary>
        public byte Selector { get; }
        /// <summary>0 exact, 1 SHA-256, 2 SHA-512.</summary>
        public byte MatchingType { get; }
        public byte[] Data { get; }

        /// <summary>Presentation form, "3 1 1 ab12...", as in a zone file.</summary>
        public override string ToString()
        {
            var hex = new StringBuilder(Data.Length * 2);
            foreach (byte b in Data) hex.Append(b.ToString("x2"));
            return $"{Usage} {Selector} {MatchingType} {hex}";
        }

        /// <summary>Parses "3 1 1 hex" (spaces inside the hex allowed); null when malformed.</summary>
        public static TlsaRecord? Parse(string text)
        {
            string[] parts = text.Trim().Split(new[] { ' ', '\t' }, 4, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 4) return null;
            if (!byte.TryParse(parts[0], out byte usage) || !byte.TryParse(parts[1], out byte selector) || !byte.TryParse(parts[2], out byte type)) return null;
            string hex = parts[3].Replace(" ", "").Replace("\t", "");
            if (hex.Length == 0 || hex.Length % 2 != 0) return null;
            var data = new byte[hex.Length / 2];
            for (int i = 0; i < data.Length; i++)
            {
                int hi = HexValue(hex[2 * i]), lo = HexValue(hex[2 * i + 1]);
                if (hi < 0 || lo < 0) return null;
                data[i] = (byte)(hi * 16 + lo);
            }
            return new TlsaRecord(usage, selector, type, data);
        }

        private static int HexValue(char c) =>
            c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    }
}
