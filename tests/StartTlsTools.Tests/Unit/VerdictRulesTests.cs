using System;
using System.Linq;
using System.Net;
using StartTlsTools.Protocols;

namespace StartTlsTools.Tests.Unit
{
    /// <summary>The small readers behind the new verdicts: refusal kinds, block-list names, masked keywords, address echoes, protocol rules.</summary>
    public class VerdictRulesTests
    {
        [Theory]
        [InlineData("421 4.7.0 mx Error: too many connections from 203.0.113.7", UnavailableKind.Closing, UnavailableKind.RateLimited)]
        [InlineData("554 5.7.1 Client host [203.0.113.7] blocked using zen.spamhaus.org", UnavailableKind.Rejected, UnavailableKind.BlockListed)]
        [InlineData("550 5.7.1 Your IP is listed at b.barracudacentral.org", UnavailableKind.Rejected, UnavailableKind.BlockListed)]
        [InlineData("554 No SMTP service here", UnavailableKind.Rejected, UnavailableKind.Rejected)]
        [InlineData("421 Service not available, closing transmission channel", UnavailableKind.Closing, UnavailableKind.Closing)]
        [InlineData("error 1040: Too many connections", UnavailableKind.Rejected, UnavailableKind.RateLimited)]
        public void Refusals_are_read_from_code_then_words(string reply, UnavailableKind byCode, UnavailableKind expected) =>
            Assert.Equal(expected, ServerRefusal.Classify(reply, byCode));

        [Fact]
        public void Smtp_421_with_a_policy_code_is_a_rate_limit_and_a_plain_421_is_closing()
        {
            Assert.Equal(UnavailableKind.RateLimited, ServerRefusal.ClassifySmtp(new SmtpReply(421, new[] { "4.7.0 Try again later, closing connection." })));
            Assert.Equal(UnavailableKind.Closing, ServerRefusal.ClassifySmtp(new SmtpReply(421, new[] { "4.3.2 System shutting down" })));
            Assert.Equal(UnavailableKind.Rejected, ServerRefusal.ClassifySmtp(new SmtpReply(554, new[] { "5.7.1 Access denied" })));
        }

        [Theory]
        [InlineData("554 5.7.1 Service unavailable; Client host [203.0.113.7] blocked using zen.spamhaus.org; https://www.spamhaus.org/", "zen.spamhaus.org")]
        [InlineData("550 rejected because 203.0.113.7 is listed in bl.spamcop.net", "bl.spamcop.net")]
        [InlineData("554 5.7.1 rejected: see dnsbl.sorbs.net.", "dnsbl.sorbs.net")]
        [InlineData("554 5.7.1 Access denied", null)]
        [InlineData("421 too many connections from mx.example.com", null)]
        public void Block_list_names_are_found_without_a_regex(string reply, string? expected) =>
            Assert.Equal(expected, ServerRefusal.BlockListName(reply));

        [Theory]
        [InlineData("XXXXXXXA", true)]
        [InlineData("XXXXXXXX", true)]
        [InlineData("xxxxxxxx", true)]
        [InlineData("STARTTLS", false)]
        [InlineData("XXXXXXX", false)]   // one short
        [InlineData("XXXXXXAB", false)]  // two letters left
        [InlineData("8BITMIME", false)]
        public void Masked_keywords_keep_the_length_and_at_most_one_letter(string keyword, bool masked) =>
            Assert.Equal(masked, Capability.LooksMasked(keyword, "STARTTLS"));

        [Theory]
        [InlineData("250-mx Hello client [203.0.113.7]", "203.0.113.7", true)]
        [InlineData("250-mx Hello client.example [203.0.113.7], pleased to meet you", "203.0.113.7", true)]
        [InlineData("250-mx Hello client [203.0.113.70]", "203.0.113.7", false)]
        [InlineData("250-mx Hello client [1203.0.113.7]", "203.0.113.7", false)]
        [InlineData("250-mx Hello client [IPv6:2001:db8::7]", "2001:db8::7", true)]
        [InlineData("250-mx Hello client [IPv6:2001:db8::77]", "2001:db8::7", false)]
        public void The_clients_address_must_stand_on_its_own(string line, string address, bool found) =>
            Assert.Equal(found, ClientAddressEcho.Contains(line, address, IPAddress.Parse(address).AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6));

        [Fact]
        public void Every_registered_protocol_says_how_enforcement_is_learned_and_never_by_logging_in()
        {
            foreach (string name in ProtocolRegistry.Names)
            {
                var protocol = Enum.Parse<StartTlsProtocol>(name);
                IStartTlsDialect dialect = ProtocolRegistry.Get(protocol);
                Assert.False(string.IsNullOrWhiteSpace(dialect.Rules.StartTlsReference), name);
                Assert.False(string.IsNullOrWhiteSpace(dialect.Rules.StartTlsOptionalReference), name);
                // Either a harmless probe, or the reason there is none, or the dialogue itself shows it (IMAP, XMPP, ManageSieve).
                bool dialogue = protocol == StartTlsProtocol.Imap || protocol == StartTlsProtocol.Xmpp || protocol == StartTlsProtocol.XmppServer || protocol == StartTlsProtocol.ManageSieve;
                Assert.True(new[] { dialect.EnforcementProbe != null, dialect.EnforcementUnknowable != null, dialogue }.Count(way => way) == 1, name);
                if (dialect.EnforcementProbe is string probe)
                    foreach (string forbidden in new[] { "RCPT", "DATA", "AUTHENTICATE", "LOGIN " })
                        Assert.DoesNotContain(forbidden, probe.Replace("never RCPT or DATA", ""));
            }
            Assert.Contains("credentials", ProtocolRegistry.Get(StartTlsProtocol.PostgreSql).EnforcementUnknowable);
            Assert.Contains("credentials", ProtocolRegistry.Get(StartTlsProtocol.MySql).EnforcementUnknowable);
            Assert.True(ProtocolRegistry.Get(StartTlsProtocol.Smtp).Rules.OptionalTlsIsNormal);
            Assert.False(ProtocolRegistry.Get(StartTlsProtocol.Submission).Rules.OptionalTlsIsNormal);
        }

        [Fact]
        public void Unknown_protocols_get_the_generic_rules()
        {
            Assert.True(ProtocolRules.Generic.IsStartTlsCapability("STLS"));
            Assert.True(ProtocolRules.Generic.IsStartTlsCapability("starttls"));
            Assert.Null(ProtocolRules.Generic.PlaintextLoginBeforeTls(new[] { "USER", "AUTHINFO USER" }));
        }
    }
}
