namespace StartTlsTools.Tests.Unit
{
    public class BannerInfoTests
    {
        [Theory]
        [InlineData("mail.lab.test ESMTP Postfix", "mail.lab.test", "Postfix", null)]
        [InlineData("mail.lab.test ESMTP Postfix (Debian/GNU)", "mail.lab.test", "Postfix", null)]
        [InlineData("* OK [CAPABILITY IMAP4rev1 SASL-IR STARTTLS AUTH=PLAIN] Dovecot (Debian) ready.", null, "Dovecot", null)]
        [InlineData("+OK Dovecot (Debian) ready.", null, "Dovecot", null)]
        [InlineData("mx.example.org ESMTP Exim 4.96 Fri, 27 Nov 2026 03:00:00 +0000", "mx.example.org", "Exim", "4.96")]
        [InlineData("smtp.example.net ESMTP Sendmail 8.15.2/8.15.2; Fri, 27 Nov 2026", "smtp.example.net", "Sendmail", "8.15.2")]
        [InlineData("(vsFTPd 3.0.3)", null, "vsFTPd", "3.0.3")]
        [InlineData("news.example.com InterNetNews NNRP server INN 2.6.4 ready (posting ok)", "news.example.com", "INN", "2.6.4")]
        [InlineData("ftp.example.com FooServer 1.2.3 ready", "ftp.example.com", "FooServer", "1.2.3")]
        [InlineData("mx.google.com ESMTP a1b2c3", "mx.google.com", null, null)]
        [InlineData("192.0.2.1 ESMTP ready", null, null, null)]
        [InlineData("", null, null, null)]
        public void Reads_host_software_and_version(string banner, string? host, string? software, string? version)
        {
            var info = BannerInfo.Parse(banner);
            Assert.Equal(host, info.HostName);
            Assert.Equal(software, info.SoftwareName);
            Assert.Equal(version, info.SoftwareVersion);
        }
    }
}
