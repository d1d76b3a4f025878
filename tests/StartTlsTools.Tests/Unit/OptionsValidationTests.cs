using System;

namespace StartTlsTools.Tests.Unit
{
    public class OptionsValidationTests
    {
        [Fact]
        public void Valid_options_have_no_problems() =>
            Assert.Empty(new StartTlsTestOptions { HostName = "mail.contoso.com" }.Validate());

        [Theory]
        [InlineData(0)]
        [InlineData(65536)]
        [InlineData(-25)]
        public void Port_out_of_range_is_named(int port)
        {
            var problems = new StartTlsTestOptions { HostName = "mx.contoso.com", Port = port }.Validate();
            Assert.Contains(problems, p => p.Contains(port.ToString()) && p.Contains("1 to 65535"));
        }

        [Fact]
        public void Unknown_protocol_lists_the_valid_ones()
        {
            var problems = new StartTlsTestOptions { HostName = "mx.contoso.com", Protocol = (StartTlsProtocol)99 }.Validate();
            Assert.Contains(problems, p => p.Contains("Unknown protocol") && p.Contains("Smtp") && p.Contains("Pop3"));
        }

        [Theory]
        [InlineData(0)]
        [InlineData(601)]
        public void Timeout_out_of_range_is_rejected(int seconds) =>
            Assert.Contains(new StartTlsTestOptions { HostName = "mx", Timeout = TimeSpan.FromSeconds(seconds) }.Validate(), p => p.Contains("Timeout"));

        [Fact]
        public void Bad_ehlo_name_is_rejected_but_address_literals_are_fine()
        {
            Assert.Contains(new StartTlsTestOptions { HostName = "mx", EhloName = "bad name" }.Validate(), p => p.Contains("EHLO"));
            Assert.Empty(new StartTlsTestOptions { HostName = "mx", EhloName = "[192.0.2.7]" }.Validate());
        }

        [Fact]
        public void Bad_xmpp_domain_is_rejected_and_the_host_name_is_the_default()
        {
            Assert.Contains(new StartTlsTestOptions { HostName = "mx", XmppDomain = "bad domain" }.Validate(), p => p.Contains("XMPP domain"));
            Assert.Empty(new StartTlsTestOptions { HostName = "mx", XmppDomain = "example.com" }.Validate());
            Assert.Equal("xmpp.example.com", new Protocols.DialectContext("xmpp.example.com", "client.test").XmppDomain);
            Assert.Equal("example.com", new Protocols.DialectContext("xmpp.example.com", "client.test", "example.com").XmppDomain);
        }

        [Theory]
        [InlineData(StartTlsProtocol.Lmtp, false, 24)]
        [InlineData(StartTlsProtocol.Ftp, false, 21)]
        [InlineData(StartTlsProtocol.Ftp, true, 990)]
        [InlineData(StartTlsProtocol.Xmpp, false, 5222)]
        [InlineData(StartTlsProtocol.Xmpp, true, 5223)]
        [InlineData(StartTlsProtocol.XmppServer, false, 5269)]
        [InlineData(StartTlsProtocol.XmppServer, true, 5270)]
        [InlineData(StartTlsProtocol.Nntp, false, 119)]
        [InlineData(StartTlsProtocol.Nntp, true, 563)]
        [InlineData(StartTlsProtocol.ManageSieve, false, 4190)]
        public void New_protocols_default_to_their_standard_ports(StartTlsProtocol protocol, bool implicitTls, int port) =>
            Assert.Equal(port, new StartTlsTestOptions { HostName = "mx", Protocol = protocol, ImplicitTls = implicitTls }.EffectivePort);

        [Theory]
        [InlineData(StartTlsProtocol.Lmtp)]
        [InlineData(StartTlsProtocol.ManageSieve)]
        public void Protocols_without_an_implicit_tls_port_need_one_given(StartTlsProtocol protocol) =>
            Assert.Contains(new StartTlsTestOptions { HostName = "mx", Protocol = protocol, ImplicitTls = true }.Validate(), p => p.Contains("no standard implicit-TLS port"));

        [Theory]
        [InlineData(-1)]
        [InlineData(3651)]
        public void Expiry_warning_days_out_of_range_is_rejected(int days) =>
            Assert.Contains(new StartTlsTestOptions { HostName = "mx", ExpiryWarningDays = days }.Validate(), p => p.Contains("ExpiryWarningDays") && p.Contains("3650"));

        [Fact]
        public void Injection_options_name_every_problem_at_once()
        {
            var problems = new InjectionTestOptions
            {
                Target = new StartTlsTestOptions { HostName = "", ImplicitTls = true, Port = 0 },
                Wait = TimeSpan.FromSeconds(61),
            }.Validate();
            Assert.Contains(problems, p => p.Contains("empty"));
            Assert.Contains(problems, p => p.Contains("out of range"));
            Assert.Contains(problems, p => p.Contains("-ImplicitTls does not apply"));
            Assert.Contains(problems, p => p.Contains("wait must be between 1 and 60"));
            Assert.Empty(new InjectionTestOptions { Target = new StartTlsTestOptions { HostName = "mx.example", Protocol = StartTlsProtocol.Pop3 } }.Validate());
        }

        [Theory]
        [InlineData(StartTlsProtocol.Smtp, false, 25)]
        [InlineData(StartTlsProtocol.Submission, false, 587)]
        [InlineData(StartTlsProtocol.Imap, false, 143)]
        [InlineData(StartTlsProtocol.Pop3, false, 110)]
        [InlineData(StartTlsProtocol.Smtp, true, 465)]
        [InlineData(StartTlsProtocol.Submission, true, 465)]
        [InlineData(StartTlsProtocol.Imap, true, 993)]
        [InlineData(StartTlsProtocol.Pop3, true, 995)]
        [InlineData(StartTlsProtocol.Ldap, false, 389)]
        [InlineData(StartTlsProtocol.Ldap, true, 636)]
        [InlineData(StartTlsProtocol.PostgreSql, false, 5432)]
        [InlineData(StartTlsProtocol.MySql, false, 3306)]
        public void Default_ports_follow_protocol_and_mode(StartTlsProtocol protocol, bool implicitTls, int port) =>
            Assert.Equal(port, new StartTlsTestOptions { HostName = "mx", Protocol = protocol, ImplicitTls = implicitTls }.EffectivePort);

        [Theory]
        [InlineData(StartTlsProtocol.PostgreSql)]
        [InlineData(StartTlsProtocol.MySql)]
        public void Databases_have_no_implicit_tls_port_so_one_must_be_given(StartTlsProtocol protocol)
        {
            Assert.Contains(new StartTlsTestOptions { HostName = "db", Protocol = protocol, ImplicitTls = true }.Validate(), p => p.Contains("no standard implicit-TLS port"));
            Assert.Empty(new StartTlsTestOptions { HostName = "db", Protocol = protocol, ImplicitTls = true, Port = 6432 }.Validate());
        }

        [Fact]
        public async System.Threading.Tasks.Task Engine_refuses_invalid_options_without_connecting()
        {
            var error = await Assert.ThrowsAsync<ArgumentException>(() => new StartTlsTester().TestAsync(new StartTlsTestOptions { HostName = "" }));
            Assert.Contains("empty", error.Message);
        }
    }
}
