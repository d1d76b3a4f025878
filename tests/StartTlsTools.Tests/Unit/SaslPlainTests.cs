using System;
using System.Security;
using System.Text;
using StartTlsTools.Auth;

namespace StartTlsTools.Tests.Unit
{
    public class SaslPlainTests
    {
        internal static SecureString Secure(string text)
        {
            var s = new SecureString();
            foreach (char c in text) s.AppendChar(c);
            s.MakeReadOnly();
            return s;
        }

        [Fact]
        public void Message_is_authzid_nul_user_nul_password_in_utf8()
        {
            byte[] message = SaslPlain.BuildMessage(null, "tim", Secure("tanstaaftanstaaf"));
            Assert.Equal(Encoding.UTF8.GetBytes("\0tim\0tanstaaftanstaaf"), message);
            // RFC 4616 section 4's example, Base64 as it goes on the wire.
            Assert.Equal("AHRpbQB0YW5zdGFhZnRhbnN0YWFm", Convert.ToBase64String(message));
        }

        [Fact]
        public void Authorization_identity_and_non_ascii_are_utf8()
        {
            byte[] message = SaslPlain.BuildMessage("Ursel", "Kurt", Secure("xipj3plmq\u00e9\u20ac"));
            Assert.Equal(Encoding.UTF8.GetBytes("Ursel\0Kurt\0xipj3plmq\u00e9\u20ac"), message);
        }

        [Theory]
        [InlineData("us\0er", null, "pw")]
        [InlineData("user", "auth\0z", "pw")]
        [InlineData("user", null, "p\0w")]
        public void Nul_inside_a_field_is_refused(string user, string? authzid, string password)
        {
            Assert.Throws<ArgumentException>(() => SaslPlain.BuildMessage(authzid, user, Secure(password)));
        }

        [Fact]
        public void Base64_line_has_the_prefix_and_crlf_and_zeroing_clears_it()
        {
            byte[] message = Encoding.UTF8.GetBytes("\0tim\0tanstaaftanstaaf");
            byte[] line = SaslPlain.Base64Line("AUTH PLAIN ", message);
            Assert.Equal("AUTH PLAIN AHRpbQB0YW5zdGFhZnRhbnN0YWFm\r\n", Encoding.ASCII.GetString(line));
            SaslPlain.Zero(line);
            SaslPlain.Zero(message);
            Assert.All(line, b => Assert.Equal(0, b));
            Assert.All(message, b => Assert.Equal(0, b));
        }

        [Theory]
        [InlineData(new[] { "PIPELINING", "AUTH PLAIN LOGIN" }, "PLAIN,LOGIN")]
        [InlineData(new[] { "AUTH=PLAIN LOGIN", "AUTH CRAM-MD5 PLAIN" }, "PLAIN,LOGIN,CRAM-MD5")]
        [InlineData(new[] { "auth login" }, "LOGIN")]
        [InlineData(new[] { "AUTH" }, "")]
        public void Mechanisms_come_from_auth_keywords(string[] keywords, string expected)
        {
            Assert.Equal(expected, string.Join(",", SmtpAuthPlainClient.Mechanisms(keywords)!));
        }

        [Fact]
        public void No_auth_keyword_means_null()
        {
            Assert.Null(SmtpAuthPlainClient.Mechanisms(new[] { "PIPELINING", "STARTTLS", "AUTHX" }));
        }
    }
}
