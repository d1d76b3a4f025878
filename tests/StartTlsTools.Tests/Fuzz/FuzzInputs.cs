using System;
using System.Collections.Generic;
using System.Text;

namespace StartTlsTools.Tests.Fuzz
{
    /// <summary>The three ways to make an input: random bytes, mutations of valid seeds, and structured generators' raw material.</summary>
    public static class FuzzInputs
    {
        private static readonly byte[] Interesting = { 0x00, 0x01, 0x7F, 0x80, 0xFF, 0xC0, 0xE0, 0xF0, (byte)'\r', (byte)'\n', (byte)' ', (byte)'\t',
            (byte)'-', (byte)'.', (byte)'+', (byte)'*', (byte)'[', (byte)']', (byte)'0', (byte)'2', (byte)'5', (byte)'9', 0x30, 0x04, 0x82, 0x87 };

        /// <summary>Line ends and their broken variants, the separators every text parser depends on.</summary>
        private static readonly string[] LineBreaks = { "\r\n", "\n", "\r", "\r\r\n", "\n\r", "\r\n\r\n" };

        public static string Ascii(byte[] bytes) => Encoding.ASCII.GetString(bytes);
        public static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

        /// <summary>Mostly short inputs (where parsers branch), now and then large ones (where limits bite).</summary>
        public static int RandomLength(Random random)
        {
            int bucket = random.Next(100);
            if (bucket < 50) return random.Next(0, 65);
            if (bucket < 80) return random.Next(0, 1025);
            if (bucket < 95) return random.Next(0, 16 * 1024 + 64);
            return random.Next(0, FuzzRunner.MaxInputBytes + 1);
        }

        /// <summary>Uniform bytes, or text-ish bytes with line breaks (which reach further into line parsers).</summary>
        public static byte[] RandomBytes(Random random)
        {
            var bytes = new byte[RandomLength(random)];
            if (random.Next(10) < 7)
            {
                random.NextBytes(bytes);
                return bytes;
            }
            const string alphabet = "\r\n\r\n     ---...++**[]0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
            for (int i = 0; i < bytes.Length; i++) bytes[i] = (byte)alphabet[random.Next(alphabet.Length)];
            return bytes;
        }

        /// <summary>One to eight mutations of a seed; <paramref name="dictionary"/> holds tokens that mean something to the parser.</summary>
        public static byte[] Mutate(Random random, IReadOnlyList<byte[]> seeds, IReadOnlyList<byte[]> dictionary)
        {
            var data = new List<byte>(seeds[random.Next(seeds.Count)]);
            int rounds = 1 + random.Next(8);
            for (int r = 0; r < rounds; r++)
            {
                switch (random.Next(11))
                {
                    case 0: // flip a bit
                        if (data.Count > 0) { int i = random.Next(data.Count); data[i] ^= (byte)(1 << random.Next(8)); }
                        break;
                    case 1: // overwrite with an interesting byte
                        if (data.Count > 0) data[random.Next(data.Count)] = Interesting[random.Next(Interesting.Length)];
                        break;
                    case 2: // insert random bytes
                    {
                        var extra = new byte[1 + random.Next(16)];
                        random.NextBytes(extra);
                        data.InsertRange(random.Next(data.Count + 1), extra);
                        break;
                    }
                    case 3: // delete a range
                        if (data.Count > 0)
                        {
                            int at = random.Next(data.Count);
                            data.RemoveRange(at, random.Next(1, Math.Min(64, data.Count - at) + 1));
                        }
                        break;
                    case 4: // duplicate a chunk, possibly many times (reply/line/element floods)
                        if (data.Count > 0)
                        {
                            int at = random.Next(data.Count);
                            int length = random.Next(1, Math.Min(256, data.Count - at) + 1);
                            var chunk = data.GetRange(at, length);
                            int times = random.Next(4) == 0 ? random.Next(1, 2000) : random.Next(1, 4);
                            times = Math.Max(0, Math.Min(times, (FuzzRunner.MaxInputBytes - data.Count) / length));
                            var copies = new List<byte>(times * length);
                            for (int t = 0; t < times; t++) copies.AddRange(chunk);
                            data.InsertRange(random.Next(data.Count + 1), copies);
                        }
                        break;
                    case 5: // truncate
                        if (data.Count > 0) { int keep = random.Next(data.Count); data.RemoveRange(keep, data.Count - keep); }
                        break;
                    case 6: // a line break, well-formed or not, anywhere
                        data.InsertRange(random.Next(data.Count + 1), Bytes(LineBreaks[random.Next(LineBreaks.Length)]));
                        break;
                    case 7: // a token that means something to this parser
                        data.InsertRange(random.Next(data.Count + 1), dictionary[random.Next(dictionary.Count)]);
                        break;
                    case 8: // a run of one byte: mostly short, one time in four around the 16 KiB line limit or well past it
                    {
                        int length = random.Next(4) != 0 ? random.Next(1, 64)
                            : random.Next(2) == 0 ? 16 * 1024 - 3 + random.Next(7) : random.Next(1, 40000);
                        byte fill = random.Next(2) == 0 ? (byte)'A' : Interesting[random.Next(Interesting.Length)];
                        var run = new byte[length];
                        run.AsSpan().Fill(fill);
                        data.InsertRange(random.Next(data.Count + 1), run);
                        break;
                    }
                    case 9: // splice in part of another seed
                    {
                        byte[] other = seeds[random.Next(seeds.Count)];
                        if (other.Length == 0) break;
                        int from = random.Next(other.Length);
                        int length = random.Next(1, other.Length - from + 1);
                        data.InsertRange(random.Next(data.Count + 1), new ArraySegment<byte>(other, from, length));
                        break;
                    }
                    default: // swap two bytes
                        if (data.Count > 1)
                        {
                            int a = random.Next(data.Count), b = random.Next(data.Count);
                            (data[a], data[b]) = (data[b], data[a]);
                        }
                        break;
                }
                if (data.Count > FuzzRunner.MaxInputBytes) data.RemoveRange(FuzzRunner.MaxInputBytes, data.Count - FuzzRunner.MaxInputBytes);
            }
            return data.ToArray();
        }

        /// <summary>Appends up to the size cap and reports whether there was room.</summary>
        public static bool Append(StringBuilder sb, string text)
        {
            if (sb.Length + text.Length > FuzzRunner.MaxInputBytes / 2) return false; // chars can take 2+ bytes in UTF-8
            sb.Append(text);
            return true;
        }

        public static string LineBreak(Random random) => random.Next(100) < 85 ? "\r\n" : LineBreaks[random.Next(LineBreaks.Length)];

        public static T Pick<T>(Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];

        /// <summary>Free text: empty, words, control characters, invalid UTF-8, or a line near the length limit.</summary>
        public static string Text(Random random)
        {
            switch (random.Next(10))
            {
                case 0: return "";
                case 1: return new string('x', 16 * 1024 - 8 + random.Next(16));
                case 2: return "\u00e9\u00e8\ufffd\u0000\u0007 \t";
                case 3:
                {
                    var sb = new StringBuilder();
                    int n = random.Next(1, 40);
                    for (int i = 0; i < n; i++) sb.Append((char)random.Next(0x20, 0x7F));
                    return sb.ToString();
                }
                default:
                    return Pick(random, new[] { "ready", "OK", "Go ahead", "mx.example.com ESMTP", "service not available", "  ", "[", "]", "hello world" });
            }
        }

        /// <summary>Text that UTF-8 cannot decode: the session must substitute, never throw.</summary>
        public static byte[] InvalidUtf8 { get; } = { 0xC3, 0x28, 0xA0, 0xA1, 0xE2, 0x28, 0xA1, 0xF0, 0x90, 0x28, 0xBC, 0xED, 0xA0, 0x80, 0xFF, 0xFE };
    }
}
