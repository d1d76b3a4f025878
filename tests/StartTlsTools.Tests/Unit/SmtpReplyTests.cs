using StartTlsTools.Protocols;
using StartTlsTools.Transport;

namespace StartTlsTools.Tests.Unit
{
    public class SmtpReplyTests
    {
        [Theory]
        [InlineData("250-SIZE 1000", 250, false, "SIZE 1000")]
        [InlineData("250 OK", 250, true, "OK")]
        [InlineData("220", 220, true, "")]
        [InlineData("554 5.7.1 go away", 554, true, "5.7.1 go away")]
        public void Splits_code_continuation_and_text(string line, int code, bool isFinal, string text)
        {
            SmtpReply.ParseLine(line, "test", out int parsedCode, out bool parsedFinal, out string parsedText);
            Assert.Equal((code, isFinal, text), (parsedCode, parsedFinal, parsedText));
        }

        [Theory]
        [InlineData("")]
        [InlineData("25")]
        [InlineData("650 six hundred")]
        [InlineData("150 one hundred")]
        [InlineData("25a text")]
        [InlineData("250_underscore")]
        public void Malformed_lines_are_protocol_errors(string line) =>
            Assert.Throws<StartTlsProtocolException>(() => SmtpReply.ParseLine(line, "test", out _, out _, out _));

        [Fact]
        public void Enhanced_status_code_is_read_from_the_first_line()
        {
            Assert.Equal("5.7.8", new SmtpReply(535, new[] { "5.7.8 Error: authentication failed" }).EnhancedStatusCode);
            Assert.Null(new SmtpReply(250, new[] { "mx.example.com" }).EnhancedStatusCode);
        }
    }
}
