using System;
using System.Collections.Generic;
using System.Linq;
using System.Security;
using System.Threading.Tasks;
using StartTlsTools.Transport;

namespace StartTlsTools.Protocols
{
    /// <summary>
    /// XMPP client-to-server and server-to-server (RFC 6120 section 5; direct TLS, XEP-0368): open the stream to
    /// the XMPP domain, read &lt;stream:features&gt;, &lt;starttls/&gt;, then &lt;proceed/&gt; or &lt;failure/&gt;; over TLS,
    /// open a new stream and report its features, then close with &lt;/stream:stream&gt;. Each stream element is
    /// sent followed by CRLF, which XMPP allows as whitespace between elements.
    /// </summary>
    public sealed class XmppDialect : StartTlsDialect
    {
        public const string TlsNamespace = "urn:ietf:params:xml:ns:xmpp-tls";
        private readonly bool _serverToServer;
        private readonly int _plainPort;
        private readonly int _implicitPort;

        public XmppDialect(StartTlsProtocol protocol, bool serverToServer, int plainPort, int implicitPort)
        {
            Protocol = protocol;
            _serverToServer = serverToServer;
            _plainPort = plainPort;
            _implicitPort = implicitPort;
        }

        public override StartTlsProtocol Protocol { get; }

        public override int? DefaultPort(bool implicitTls) => implicitTls ? _implicitPort : _plainPort;

        /// <summary>Features are XML elements, listed as "starttls" or "starttls(required)": no keyword to mask.</summary>
        public override string? StartTlsKeyword => null;
        public override bool IsStartTlsCapability(string capability) =>
            capability == "starttls" || capability == "starttls(required)";
        public override string StartTlsReference => "RFC 6120 section 5; RFC 7590";
        public override string AuthReference => "RFC 6120 section 6; RFC 4616 section 6";
        public override string StartTlsAfterTlsReference => "RFC 6120 section 5.3.1";
        public override string StartTlsOptionalReference => "RFC 6120 section 5.3.1; RFC 7590 section 3.1";

        public override async Task<PlainPhaseOutcome> NegotiateStartTlsAsync(ProtocolSession session, DialectContext context)
        {
            var outcome = new PlainPhaseOutcome();
            var reader = new XmppStreamReader(session);
            var (header, features) = await OpenStreamAsync(session, reader, context).ConfigureAwait(false);
            outcome.Banner = Describe(header);
            if (features == null)
                return PlainPhaseOutcome.Stop(outcome, StartTlsStatus.NotOffered, "The server's stream has no version 1.0, so it has no stream features and no STARTTLS.");
            if (IsStreamError(features))
                return PlainPhaseOutcome.Stop(outcome, StartTlsStatus.Refused, "The server ended the stream with an error: " + ErrorCondition(features));
            if (features.LocalName != "features")
                return PlainPhaseOutcome.Stop(outcome, StartTlsStatus.ProtocolError, $"The server sent <{features.Name}> instead of its stream features.");

            outcome.Capabilities = DescribeFeatures(features);
            var starttls = features.Children.FirstOrDefault(IsStartTls);
            outcome.StartTlsOffered = starttls != null;
            // RFC 6120 section 5.3.1: <required/> makes TLS mandatory-to-negotiate; without it TLS is voluntary.
            if (starttls != null)
                outcome.Enforcement = starttls.Child("required") != null
                    ? EnforcementVerdict.Enforced("The stream features mark <starttls/> as <required/>: the server accepts nothing else before TLS.")
                    : EnforcementVerdict.Opportunistic("The stream features offer <starttls/> without <required/>: the server lets a client go on without TLS.");
            if (starttls == null)
                return PlainPhaseOutcome.Stop(outcome, StartTlsStatus.NotOffered, "The server did not offer <starttls/> in its stream features.");

            await session.WriteStartTlsCommandAsync($"<starttls xmlns='{TlsNamespace}'/>", "STARTTLS").ConfigureAwait(false);
            var answer = await reader.ReadElementAsync("the reply to STARTTLS").ConfigureAwait(false);
            if (answer == null)
                return PlainPhaseOutcome.Stop(outcome, StartTlsStatus.Refused, "The server closed the stream instead of answering STARTTLS.");
            outcome.StartTlsReply = "<" + answer.Name + "/>";
            if (answer.LocalName == "proceed" && answer.Namespace == TlsNamespace)
            {
                reader.ReturnUnreadToSession();
                return outcome;
            }
            if (answer.LocalName == "failure" && answer.Namespace == TlsNamespace)
                return PlainPhaseOutcome.Stop(outcome, StartTlsStatus.Refused, "The server answered STARTTLS with <failure/>.");
            if (IsStreamError(answer))
                return PlainPhaseOutcome.Stop(outcome, StartTlsStatus.Refused, "The server ended the stream with an error after STARTTLS: " + ErrorCondition(answer));
            return PlainPhaseOutcome.Stop(outcome, StartTlsStatus.ProtocolError, $"The server answered STARTTLS with <{answer.Name}> instead of <proceed/>.");
        }

        public override async Task<TlsPhaseOutcome> ReadCapabilitiesOverTlsAsync(ProtocolSession session, DialectContext context, bool implicitTls)
        {
            var outcome = new TlsPhaseOutcome();
            // After STARTTLS both sides start a new stream (RFC 6120 5.4.3.3); on direct TLS this is the first one.
            var reader = new XmppStreamReader(session);
            var (header, features) = await OpenStreamAsync(session, reader, context).ConfigureAwait(false);
            if (implicitTls) outcome.Banner = Describe(header);
            if (features == null) outcome.Problem = "The server's stream over TLS has no version 1.0 and no stream features.";
            else if (IsStreamError(features)) outcome.Problem = "The server ended the stream over TLS with an error: " + ErrorCondition(features);
            else if (features.LocalName != "features") outcome.Problem = $"The server sent <{features.Name}> instead of its stream features over TLS.";
            else outcome.Capabilities = DescribeFeatures(features);
            return outcome;
        }

        /// <summary>XML is not line-based: there is no command to smuggle behind &lt;starttls/&gt;.</summary>
        public override string? InjectionCommand(DialectContext context) => null;

        public override async Task CloseAsync(ProtocolSession session, DialectContext context)
        {
            await session.WriteLineAsync("</stream:stream>", "closing the stream").ConfigureAwait(false);
            // The server answers with its own closing tag (or just hangs up, which is as good).
            var reader = new XmppStreamReader(session, headerAlreadyRead: true);
            while (await reader.ReadElementAsync("closing the stream").ConfigureAwait(false) != null) { }
        }

        /// <summary>Sends our stream header, reads the server's and then its first element (features, or an error); null when the stream is pre-1.0.</summary>
        private async Task<(XmppElement Header, XmppElement? First)> OpenStreamAsync(ProtocolSession session, XmppStreamReader reader, DialectContext context)
        {
            string ns = _serverToServer ? "jabber:server" : "jabber:client";
            // A server-to-server stream names the sending domain too: the user's hello name.
            string from = _serverToServer ? $" from='{SecurityElement.Escape(context.HelloName)}'" : "";
            string open = $"<?xml version='1.0'?><stream:stream to='{SecurityElement.Escape(context.XmppDomain)}'{from} version='1.0' " +
                          $"xmlns='{ns}' xmlns:stream='{XmppStreamReader.StreamsNamespace}'>";
            await session.WriteLineAsync(open, "opening the stream").ConfigureAwait(false);
            XmppElement header = await reader.ReadStreamHeaderAsync("the stream header").ConfigureAwait(false);
            if (header.Attribute("version") is not string version || !version.StartsWith("1.", StringComparison.Ordinal))
                return (header, null);
            XmppElement? first = await reader.ReadElementAsync("the stream features").ConfigureAwait(false);
            if (first == null) throw new StartTlsProtocolException("The server closed the stream before sending its features.");
            return (header, first);
        }

        private static bool IsStartTls(XmppElement e) => e.LocalName == "starttls" && e.Namespace == TlsNamespace;

        private static bool IsStreamError(XmppElement e) => e.LocalName == "error" && e.Namespace == XmppStreamReader.StreamsNamespace;

        private static string ErrorCondition(XmppElement error)
        {
            var condition = error.Children.FirstOrDefault(c => c.LocalName != "text");
            string text = error.Child("text")?.Text.ToString() ?? "";
            return ServerText.Shorten(((condition?.LocalName ?? "(no condition)") + " " + text).Trim());
        }

        /// <summary>"stream:stream from='example.com' version='1.0'": the header's attributes a user cares about.</summary>
        private static string Describe(XmppElement header)
        {
            var parts = new List<string> { header.Name };
            foreach (string name in new[] { "from", "to", "version", "xml:lang" })
                if (header.Attribute(name) is string value) parts.Add($"{name}='{ServerText.Shorten(value)}'");
            return string.Join(" ", parts);
        }

        /// <summary>One item per feature: "starttls(required)", "mechanisms: PLAIN SCRAM-SHA-1", "dialback", ...</summary>
        public static IReadOnlyList<string> DescribeFeatures(XmppElement features)
        {
            var items = new List<string>();
            foreach (var feature in features.Children)
            {
                if (feature.LocalName == "starttls")
                    items.Add(feature.Child("required") != null ? "starttls(required)" : "starttls");
                else if (feature.LocalName == "mechanisms")
                {
                    var mechanisms = feature.Children.Where(c => c.LocalName == "mechanism").Select(c => c.Text.ToString().Trim()).Where(t => t.Length > 0);
                    items.Add(("mechanisms: " + string.Join(" ", mechanisms)).Trim());
                }
                else items.Add(feature.LocalName);
            }
            return items;
        }
    }
}
