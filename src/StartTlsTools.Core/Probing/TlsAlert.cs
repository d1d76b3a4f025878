using StartTlsTools.Transport;

namespace StartTlsTools.Probing
{
    /// <summary>A TLS alert (RFC 8446 6): level and description.</summary>
    public sealed class TlsAlert
    {
        public TlsAlert(int level, int description)
        {
            Level = level;
            Description = description;
        }

        public int Level { get; }
        public int Description { get; }
        public bool IsFatal => Level == 2;
        public string Name => DescriptionName(Description);

        public static TlsAlert Parse(byte[] body)
        {
            if (body.Length != 2) throw new StartTlsProtocolException($"The server sent an alert of {body.Length} bytes instead of 2.");
            return new TlsAlert(body[0], body[1]);
        }

        public static string DescriptionName(int description)
        {
            switch (description)
            {
                case 0: return "close_notify";
                case 10: return "unexpected_message";
                case 20: return "bad_record_mac";
                case 22: return "record_overflow";
                case 40: return "handshake_failure";
                case 42: return "bad_certificate";
                case 47: return "illegal_parameter";
                case 50: return "decode_error";
                case 51: return "decrypt_error";
                case 70: return "protocol_version";
                case 71: return "insufficient_security";
                case 80: return "internal_error";
                case 86: return "inappropriate_fallback";
                case 90: return "user_canceled";
                case 109: return "missing_extension";
                case 110: return "unsupported_extension";
                case 112: return "unrecognized_name";
                case 120: return "no_application_protocol";
                default: return "alert " + description;
            }
        }

        public override string ToString() => (IsFatal ? "fatal " : "warning ") + Name;
    }
}
