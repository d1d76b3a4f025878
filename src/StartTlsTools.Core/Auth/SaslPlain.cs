using System;
using System.Runtime.InteropServices;
using System.Security;
using System.Text;

namespace StartTlsTools.Auth
{
    /// <summary>
    /// The SASL PLAIN message (RFC 4616): [authzid] NUL authcid NUL passwd, UTF-8, then Base64 for SMTP AUTH
    /// (RFC 4954). The password never becomes a managed string: it goes from the SecureString to arrays that
    /// the caller zeroes with <see cref="Zero"/> as soon as they have been written to the socket.
    /// </summary>
    public static class SaslPlain
    {
        private static readonly Encoding Utf8 = new UTF8Encoding(false, true);

        /// <summary>The raw PLAIN message. The caller must <see cref="Zero"/> it after use.</summary>
        public static byte[] BuildMessage(string? authorizationIdentity, string userName, SecureString password)
        {
            if (userName.IndexOf('\0') >= 0) throw new ArgumentException("The user name must not contain NUL.", nameof(userName));
            if (authorizationIdentity != null && authorizationIdentity.IndexOf('\0') >= 0)
                throw new ArgumentException("The authorization identity must not contain NUL.", nameof(authorizationIdentity));

            byte[] authz = Utf8.GetBytes(authorizationIdentity ?? "");
            byte[] user = Utf8.GetBytes(userName);
            char[] passwordChars = new char[password.Length];
            byte[] passwordBytes = new byte[0];
            IntPtr unmanaged = IntPtr.Zero;
            try
            {
                unmanaged = Marshal.SecureStringToGlobalAllocUnicode(password);
                Marshal.Copy(unmanaged, passwordChars, 0, passwordChars.Length);
                if (Array.IndexOf(passwordChars, '\0') >= 0) throw new ArgumentException("The password must not contain NUL (RFC 4616).", nameof(password));
                passwordBytes = Utf8.GetBytes(passwordChars);
                var message = new byte[authz.Length + 1 + user.Length + 1 + passwordBytes.Length];
                Buffer.BlockCopy(authz, 0, message, 0, authz.Length);
                Buffer.BlockCopy(user, 0, message, authz.Length + 1, user.Length);
                Buffer.BlockCopy(passwordBytes, 0, message, authz.Length + 1 + user.Length + 1, passwordBytes.Length);
                return message;
            }
            finally
            {
                if (unmanaged != IntPtr.Zero) Marshal.ZeroFreeGlobalAllocUnicode(unmanaged);
                Zero(passwordChars);
                Zero(passwordBytes);
            }
        }

        /// <summary>ASCII bytes of <paramref name="prefix"/> + Base64(<paramref name="message"/>) + CRLF, ready to send. Zero after use.</summary>
        public static byte[] Base64Line(string prefix, byte[] message)
        {
            char[] base64 = new char[(message.Length + 2) / 3 * 4];
            try
            {
                int n = Convert.ToBase64CharArray(message, 0, message.Length, base64, 0);
                var line = new byte[prefix.Length + n + 2];
                for (int i = 0; i < prefix.Length; i++) line[i] = (byte)prefix[i];
                for (int i = 0; i < n; i++) line[prefix.Length + i] = (byte)base64[i];
                line[line.Length - 2] = (byte)'\r';
                line[line.Length - 1] = (byte)'\n';
                return line;
            }
            finally
            {
                Zero(base64);
            }
        }

        public static void Zero(byte[] bytes) => Array.Clear(bytes, 0, bytes.Length);

        public static void Zero(char[] chars) => Array.Clear(chars, 0, chars.Length);
    }
}
