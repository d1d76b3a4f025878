using System;
using StartTlsTools.Protocols;
using StartTlsTools.Transport;

namespace StartTlsTools.Tests.Unit
{
    /// <summary>The hand-written BER pieces: what the writer emits, and what the reader refuses.</summary>
    public class LdapBerTests
    {
        [Theory]
        [InlineData(0, "02 01 00")]
        [InlineData(127, "02 01 7f")]
        [InlineData(128, "02 02 00 80")]
        [InlineData(256, "02 02 01 00")]
        [InlineData(int.MaxValue, "02 04 7f ff ff ff")]
        public void Integers_are_minimal_twos_complement(int value, string hex) =>
            Assert.Equal(hex, Hex(BerWriter.Integer(0x02, value)));

        [Theory]
        [InlineData(0, "04 00")]
        [InlineData(127, "04 7f")]
        [InlineData(128, "04 81 80")]
        [InlineData(255, "04 81 ff")]
        [InlineData(256, "04 82 01 00")]
        [InlineData(70000, "04 83 01 11 70")]
        public void Lengths_use_the_shortest_definite_form(int length, string header)
        {
            byte[] element = BerWriter.Element(0x04, new byte[length]);
            Assert.Equal(header, Hex(element.AsSpan(0, element.Length - length).ToArray()));
        }

        [Fact]
        public void The_starttls_request_is_the_rfc_4511_encoding()
        {
            // LDAPMessage { messageID 2, ExtendedRequest { requestName [0] "1.3.6.1.4.1.1466.20037" } }
            byte[] request = BerWriter.Element(0x30, BerWriter.Integer(0x02, 2), BerWriter.Element(0x77, BerWriter.String(0x80, LdapDialect.StartTlsOid)));
            Assert.Equal("30 1d 02 01 02 77 18 80 16 31 2e 33 2e 36 2e 31 2e 34 2e 31 2e 31 34 36 36 2e 32 30 30 33 37", Hex(request));
        }

        [Fact]
        public void Reader_reads_back_what_the_writer_wrote()
        {
            byte[] bytes = BerWriter.Element(0x30, BerWriter.Integer(0x0A, 52), BerWriter.String(0x04, "unavailable"), BerWriter.Element(0x30, new byte[300]));
            var sequence = new BerReader(bytes).Read(0x30, "a sequence");
            Assert.Equal(52, sequence.ReadInteger(0x0A, "a code"));
            Assert.Equal("unavailable", sequence.ReadString(0x04, "a string"));
            var (tag, contents) = sequence.ReadElement();
            Assert.Equal(0x30, tag);
            Assert.Equal(300, contents.RemainingText().Length);
            Assert.False(sequence.HasData);
        }

        [Theory]
        [InlineData("30 80 00 00", "indefinite")]
        [InlineData("30 85 00 00 00 00 01 00", "at most 4")]
        [InlineData("30 84 00 00", "truncated")]
        [InlineData("30 05 02 01", "claims 5 bytes")]
        [InlineData("1f 81 00 00", "high-tag-number")]
        [InlineData("30", "truncated")]
        [InlineData("", "ends where another BER element")]
        public void Reader_refuses_malformed_elements(string hex, string mention)
        {
            var error = Assert.Throws<StartTlsProtocolException>(() => new BerReader(Convert.FromHexString(hex.Replace(" ", ""))).ReadElement());
            Assert.Contains(mention, error.Message);
        }

        [Theory]
        [InlineData("02 00", "0 bytes long")]
        [InlineData("02 05 01 00 00 00 00", "5 bytes long")]
        [InlineData("04 01 00", "Expected a code")]
        public void Integers_are_one_to_four_bytes_of_the_right_tag(string hex, string mention)
        {
            var error = Assert.Throws<StartTlsProtocolException>(() => new BerReader(Convert.FromHexString(hex.Replace(" ", ""))).ReadInteger(0x02, "a code"));
            Assert.Contains(mention, error.Message);
        }

        [Theory]
        [InlineData(0, "success")]
        [InlineData(2, "protocolError")]
        [InlineData(52, "unavailable")]
        [InlineData(53, "unwillingToPerform")]
        [InlineData(4711, "unknown result code")]
        public void Result_codes_have_their_rfc_names(int code, string name) => Assert.Equal(name, LdapDialect.ResultCodeName(code));

        private static string Hex(byte[] bytes) => Replay.ScriptedStream.Hex(bytes);
    }
}
