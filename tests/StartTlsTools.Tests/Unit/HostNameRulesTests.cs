namespace StartTlsTools.Tests.Unit
{
    public class HostNameRulesTests
    {
        [Theory]
        [InlineData("mail.contoso.com")]
        [InlineData("mail.contoso.com.")]
        [InlineData("localhost")]
        [InlineData("127.0.0.1")]
        [InlineData("::1")]
        [InlineData("[2001:db8::25]")]
        [InlineData("_internal-relay.corp")]
        public void Accepts_names_and_literals(string host) => Assert.Null(HostNameRules.Check(host));

        [Theory]
        [InlineData("", "empty")]
        [InlineData("   ", "empty")]
        [InlineData(" mail.contoso.com", "white space")]
        [InlineData("mail..contoso.com", "empty label")]
        [InlineData("-mail.contoso.com", "'-'")]
        [InlineData("mail server.contoso.com", "' '")]
        [InlineData("mail.contoso.com:25", "':'")]
        [InlineData("smtp://mail.contoso.com", "':'")]
        public void Rejects_bad_hosts_with_a_reason(string host, string expected)
        {
            string? problem = HostNameRules.Check(host);
            Assert.NotNull(problem);
            Assert.Contains(expected, problem);
        }

        [Fact]
        public void Rejects_labels_over_63_characters() =>
            Assert.Contains("63", HostNameRules.Check(new string('a', 64) + ".example.com"));

        [Theory]
        [InlineData("[2001:db8::25]", "2001:db8::25")]
        [InlineData("mx1.contoso.com.", "mx1.contoso.com")]
        [InlineData("127.0.0.1", "127.0.0.1")]
        public void Normalizes_for_sni_and_name_checks(string host, string expected) => Assert.Equal(expected, HostNameRules.Normalize(host));

        [Theory]
        [InlineData("[192.0.2.1]", true)]
        [InlineData("[IPv6:2001:db8::1]", true)]
        [InlineData("192.0.2.1", false)]
        [InlineData("[not-an-ip]", false)]
        public void Recognizes_smtp_address_literals(string value, bool expected) => Assert.Equal(expected, HostNameRules.IsAddressLiteral(value));
    }
}
