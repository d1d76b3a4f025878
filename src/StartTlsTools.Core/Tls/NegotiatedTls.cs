using System.Net.Security;
using System.Reflection;
using System.Security.Authentication;

namespace StartTlsTools.Tls
{
    /// <summary>Reads the negotiated version and cipher suite in a way that works on .NET Framework and on .NET 8+.</summary>
    public static class NegotiatedTls
    {
        // SslStream.NegotiatedCipherSuite exists from .NET Core 3.0 on; its enum names are the IANA names.
        private static readonly PropertyInfo? CipherSuiteProperty = typeof(SslStream).GetProperty("NegotiatedCipherSuite");

        public static TlsProtocolVersion Version(SslProtocols protocol)
        {
            switch ((int)protocol)
            {
                case 12: return TlsProtocolVersion.Ssl2;
                case 48: return TlsProtocolVersion.Ssl3;
                case 192: return TlsProtocolVersion.Tls10;
                case 768: return TlsProtocolVersion.Tls11;
                case 3072: return TlsProtocolVersion.Tls12;
                case 12288: return TlsProtocolVersion.Tls13;
                default: return TlsProtocolVersion.None;
            }
        }

        public static string CipherSuiteName(SslStream stream)
        {
            object? suite = CipherSuiteProperty?.GetValue(stream);
            if (suite != null) return suite.ToString();
            // .NET Framework: no IANA name is exposed, so describe the parts honestly instead of guessing one.
            return $"{stream.KeyExchangeAlgorithm}/{stream.CipherAlgorithm}-{stream.CipherStrength}/{stream.HashAlgorithm}";
        }
    }
}
