using System.Collections.Generic;
using System.Linq;

namespace StartTlsTools.Probing
{
    /// <summary>One TLS key-exchange group (IANA "TLS Supported Groups").</summary>
    public sealed class NamedGroup
    {
        public NamedGroup(int code, string name, int bits, bool isEllipticCurve)
        {
            Code = code;
            Name = name;
            Bits = bits;
            IsEllipticCurve = isEllipticCurve;
        }

        public int Code { get; }
        public string Name { get; }
        /// <summary>Nominal size: curve bits, or the finite-field prime size; 0 for hybrids.</summary>
        public int Bits { get; }
        /// <summary>Usable in TLS 1.2 ECDHE (curves); false for finite-field and post-quantum hybrid groups.</summary>
        public bool IsEllipticCurve { get; }

        public override string ToString() => Name;
    }

    public static class NamedGroupRegistry
    {
        public static readonly IReadOnlyList<NamedGroup> All = new[]
        {
            new NamedGroup(0x0001, "sect163k1", 163, true),
            new NamedGroup(0x0002, "sect163r1", 163, true),
            new NamedGroup(0x0003, "sect163r2", 163, true),
            new NamedGroup(0x0004, "sect193r1", 193, true),
            new NamedGroup(0x0005, "sect193r2", 193, true),
            new NamedGroup(0x0006, "sect233k1", 233, true),
            new NamedGroup(0x0007, "sect233r1", 233, true),
            new NamedGroup(0x0008, "sect239k1", 239, true),
            new NamedGroup(0x0009, "sect283k1", 283, true),
            new NamedGroup(0x000A, "sect283r1", 283, true),
            new NamedGroup(0x000B, "sect409k1", 409, true),
            new NamedGroup(0x000C, "sect409r1", 409, true),
            new NamedGroup(0x000D, "sect571k1", 571, true),
            new NamedGroup(0x000E, "sect571r1", 571, true),
            new NamedGroup(0x000F, "secp160k1", 160, true),
            new NamedGroup(0x0010, "secp160r1", 160, true),
            new NamedGroup(0x0011, "secp160r2", 160, true),
            new NamedGroup(0x0012, "secp192k1", 192, true),
            new NamedGroup(0x0013, "secp192r1", 192, true),
            new NamedGroup(0x0014, "secp224k1", 224, true),
            new NamedGroup(0x0015, "secp224r1", 224, true),
            new NamedGroup(0x0016, "secp256k1", 256, true),
            new NamedGroup(0x0017, "secp256r1", 256, true),
            new NamedGroup(0x0018, "secp384r1", 384, true),
            new NamedGroup(0x0019, "secp521r1", 521, true),
            new NamedGroup(0x001A, "brainpoolP256r1", 256, true),
            new NamedGroup(0x001B, "brainpoolP384r1", 384, true),
            new NamedGroup(0x001C, "brainpoolP512r1", 512, true),
            new NamedGroup(0x001D, "x25519", 253, true),
            new NamedGroup(0x001E, "x448", 448, true),
            new NamedGroup(0x001F, "brainpoolP256r1tls13", 256, false),
            new NamedGroup(0x0020, "brainpoolP384r1tls13", 384, false),
            new NamedGroup(0x0021, "brainpoolP512r1tls13", 512, false),
            new NamedGroup(0x0100, "ffdhe2048", 2048, false),
            new NamedGroup(0x0101, "ffdhe3072", 3072, false),
            new NamedGroup(0x0102, "ffdhe4096", 4096, false),
            new NamedGroup(0x0103, "ffdhe6144", 6144, false),
            new NamedGroup(0x0104, "ffdhe8192", 8192, false),
            new NamedGroup(0x11EB, "SecP256r1MLKEM768", 0, false),
            new NamedGroup(0x11EC, "X25519MLKEM768", 0, false),
            new NamedGroup(0x11ED, "SecP384r1MLKEM1024", 0, false),
            new NamedGroup(0x6399, "X25519Kyber768Draft00", 0, false),
        };

        private static readonly Dictionary<int, NamedGroup> ByCode = All.ToDictionary(g => g.Code);

        public static NamedGroup Get(int code) =>
            ByCode.TryGetValue(code, out var group) ? group : new NamedGroup(code, "0x" + code.ToString("X4"), 0, false);

        /// <summary>Groups a TLS 1.3 server may pick: the 1.3-era curves, finite-field groups and hybrids (RFC 8446 4.2.7).</summary>
        public static IReadOnlyList<NamedGroup> Tls13Candidates { get; } =
            All.Where(g => g.Code >= 0x0017 && g.Code != 0x001A && g.Code != 0x001B && g.Code != 0x001C).ToList();

        /// <summary>Curves a TLS 1.2 ECDHE server may pick (RFC 4492 / RFC 8422 plus brainpool).</summary>
        public static IReadOnlyList<NamedGroup> Tls12Curves { get; } = All.Where(g => g.IsEllipticCurve).ToList();
    }
}
