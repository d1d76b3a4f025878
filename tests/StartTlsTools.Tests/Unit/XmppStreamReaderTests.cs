using System.Linq;
using System.Threading.Tasks;
using StartTlsTools.Protocols;
using StartTlsTools.Tests.Replay;
using StartTlsTools.Transport;

namespace StartTlsTools.Tests.Unit
{
    public class XmppStreamReaderTests
    {
        private const string Header = "<?xml version='1.0'?><stream:stream from='mx.example.com' version='1.0' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>";
        private const string ClientHeader = "<?xml version='1.0'?><stream:stream to='mx.example.com' version='1.0' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>";

        [Theory]
        [InlineData(Delivery.Whole)]
        [InlineData(Delivery.PerByte)]
        public async Task Plaintext_after_proceed_goes_back_to_the_session_for_the_engine_to_count(Delivery delivery)
        {
            var stream = new ScriptedStream(new[]
            {
                ScriptStep.Client(ClientHeader),
                ScriptStep.Server(Header + "<stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/></stream:features>"),
                ScriptStep.Client("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>"),
                ScriptStep.Server("<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/><iq type='set'>injected</iq>"),
            }, delivery);
            using var session = ReplaySession.Over(stream);

            var outcome = await new XmppDialect(StartTlsProtocol.Xmpp, false, 5222, 5223).NegotiateStartTlsAsync(session, new DialectContext("mx.example.com", "client.test"));

            Assert.Null(outcome.StopStatus);
            // Per byte, the reader stops at the proceed's '>' and the rest is still in the session; whole, it took it and gave it back.
            int expected = delivery == Delivery.Whole ? "<iq type='set'>injected</iq>\r\n".Length : 0;
            Assert.Equal(expected, session.DiscardBufferedPlaintext());
        }

        [Fact]
        public async Task Elements_resolve_the_stream_prefix_and_decode_entities()
        {
            var stream = new ScriptedStream(new[]
            {
                ScriptStep.Server(Header + "<stream:error><host-unknown xmlns='urn:ietf:params:xml:ns:xmpp-streams'/><text>&lt;a&gt; &amp; &#x41;&#66;</text></stream:error></stream:stream>"),
            }, Delivery.PerByte);
            using var session = ReplaySession.Over(stream);
            var reader = new XmppStreamReader(session);

            var header = await reader.ReadStreamHeaderAsync("test");
            var error = await reader.ReadElementAsync("test");
            var end = await reader.ReadElementAsync("test");

            Assert.Equal("mx.example.com", header.Attribute("from"));
            Assert.Equal(XmppStreamReader.StreamsNamespace, error!.Namespace);
            Assert.Equal("error", error.LocalName);
            Assert.Equal(new[] { "host-unknown", "text" }, error.Children.Select(c => c.LocalName));
            Assert.Equal("<a> & AB", error.Child("text")!.Text.ToString());
            Assert.Null(end);
        }

        [Theory]
        [InlineData("<stream:features><x>&#0;</x></stream:features>", "entity")]
        [InlineData("<stream:features><x a='1' a='2'/></stream:features>", "repeated the attribute")]
        [InlineData("<stream:features><![CDATA[x]]></stream:features>", "CDATA")]
        [InlineData("<stream:features><x a='<'/></stream:features>", "inside an attribute")]
        public async Task Hostile_xml_is_a_protocol_error(string element, string mention)
        {
            var stream = new ScriptedStream(new[] { ScriptStep.Server(Header + element) }, Delivery.Whole);
            using var session = ReplaySession.Over(stream);
            var reader = new XmppStreamReader(session);
            await reader.ReadStreamHeaderAsync("test");

            var ex = await Assert.ThrowsAnyAsync<StartTlsProtocolException>(() => reader.ReadElementAsync("test"));
            Assert.Contains(mention, ex.Message);
        }
    }
}
