using StartTlsTools.Transport;

namespace StartTlsTools.Probing
{
    /// <summary>What a ServerKeyExchange says about the key exchange's strength: the DH prime size or the EC group.</summary>
    public sealed class ServerKeyExchangeInfo
    {
        /// <summary>Finite-field DH: the prime's size in bits.</summary>
        public int? DhPrimeBits { get; private set; }
        /// <summary>ECDHE: the named group (curve).</summary>
        public int? NamedGroup { get; private set; }

        /// <summary>"DH 2048 bits", "ECDH x25519", or null.</summary>
        public string? Describe() =>
            DhPrimeBits is int bits ? $"DH {bits} bits"
            : NamedGroup is int group ? "ECDH " + NamedGroupRegistry.Get(group).Name
            : null;

        /// <summary>Parses the parameters that lead the message; the signature behind them is not needed.</summary>
        public static ServerKeyExchangeInfo Parse(byte[] body, CipherSuite suite)
        {
            var r = new TlsWireReader(body, "ServerKeyExchange");
            var info = new ServerKeyExchangeInfo();
            string kx = suite.KeyExchange;
            // PSK variants start with the PSK identity hint (RFC 4279 2, RFC 5489 2).
            if (kx == "DHE-PSK" || kx == "ECDHE-PSK") r.Bytes(r.U16());
            if (kx.StartsWith("DHE", System.StringComparison.Ordinal))
            {
                byte[] prime = r.Bytes(r.U16());
                info.DhPrimeBits = BitLength(prime);
            }
            else if (kx.StartsWith("ECDHE", System.StringComparison.Ordinal))
            {
                int curveType = r.U8();
                if (curveType != 3) throw new StartTlsProtocolException($"The server's ServerKeyExchange uses curve type {curveType}, not named_curve.");
                info.NamedGroup = r.U16();
            }
            return info;
        }

        private static int BitLength(byte[] number)
        {
            int i = 0;
            while (i < number.Length && number[i] == 0) i++;
            if (i == number.Length) return 0;
            int bits = (number.Length - i - 1) * 8;
            for (int b = number[i]; b != 0; b >>= 1) bits++;
            return bits;
        }
    }
}
