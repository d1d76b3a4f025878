using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using StartTlsTools.Transport;

namespace StartTlsTools.Protocols
{
    /// <summary>
    /// LDAP (RFC 4511, StartTLS in RFC 4511 section 4.14 and RFC 4513 section 3): read the RootDSE anonymously
    /// to see whether the StartTLS extended operation is advertised, send it, read the RootDSE again over TLS,
    /// then unbind. BER by hand (<see cref="BerReader"/>), every message bounded.
    /// </summary>
    public sealed class LdapDialect : StartTlsDialect
    {
        public const string StartTlsOid = "1.3.6.1.4.1.1466.20037";
        /// <summary>RFC 4511 section 4.4.1: the server is about to close the connection.</summary>
        public const string NoticeOfDisconnectionOid = "1.3.6.1.4.1.1466.20036";
        /// <summary>No reply this client reads (a RootDSE, a result) comes near this; more is hostile.</summary>
        public const int MaxMessageBytes = 16 * 1024;
        /// <summary>Entries, references and values in one search answer past this are hostile.</summary>
        public const int MaxSearchItems = 1000;

        private const byte Sequence = 0x30, Set = 0x31, Integer = 0x02, OctetString = 0x04, Enumerated = 0x0A, Boolean = 0x01;
        private const byte BindRequest = 0x60, BindResponse = 0x61, SimpleAuthentication = 0x80;
        private const byte UnbindRequest = 0x42, SearchRequest = 0x63, SearchResultEntry = 0x64, SearchResultDone = 0x65;
        private const byte SearchResultReference = 0x73, ExtendedRequest = 0x77, ExtendedResponse = 0x78;
        private const byte PresentFilter = 0x87, ExtendedRequestName = 0x80, ExtendedResponseName = 0x8A;

        // Fixed ids: one request at a time, each id used once per connection (RFC 4511 section 4.1.1.1).
        private const int RootDseBeforeTlsId = 1, RootDseOverTlsId = 3, UnbindId = 4;
        /// <summary>StartTLS and its retries after operationsError (see NegotiateStartTlsAsync).</summary>
        private static readonly int[] StartTlsIds = { 2, 5, 6 };
        private const int OperationsError = 1;
        /// <summary>RFC 4511 appendix A: the operation needs a confidential (TLS) connection.</summary>
        private const int ConfidentialityRequired = 13;
        private const int ProbeBindId = 1;

        private static readonly string[] RootDseAttributes =
            { "supportedExtension", "supportedLDAPVersion", "supportedSASLMechanisms", "vendorName", "vendorVersion" };

        public override StartTlsProtocol Protocol => StartTlsProtocol.Ldap;

        public override int? DefaultPort(bool implicitTls) => implicitTls ? 636 : 389;

        /// <summary>The StartTLS OID stays in supportedExtension over TLS: no keyword must disappear.</summary>
        public override string? StartTlsKeyword => null;
        public override string StartTlsReference => "RFC 4513 section 3; RFC 4511 section 4.14";
        public override string AuthReference => "RFC 4513 section 5.1.3; RFC 4616 section 6";
        public override string StartTlsOptionalReference => "RFC 4513 section 5.1.3; RFC 4513 section 3";

        public override async Task<PlainPhaseOutcome> NegotiateStartTlsAsync(ProtocolSession session, DialectContext context)
        {
            var outcome = new PlainPhaseOutcome();
            RootDse rootDse = await ReadRootDseAsync(session, RootDseBeforeTlsId).ConfigureAwait(false);
            outcome.Banner = rootDse.Vendor;
            outcome.Capabilities = rootDse.Capabilities;
            // slapd's "security ssf=" answers every operation before TLS, the RootDSE search included, with 13.
            if (rootDse.ResultCode == ConfidentialityRequired)
                outcome.Enforcement = EnforcementVerdict.Enforced(
                    $"The anonymous RootDSE search before StartTLS was answered {rootDse.ResultDescription}: the directory answers nothing in plaintext.");
            if (rootDse.Disconnect != null)
                return PlainPhaseOutcome.Stop(outcome, StartTlsStatus.Refused, "The server disconnected before StartTLS: " + rootDse.Disconnect.Describe());
            if (rootDse.Readable && !rootDse.Extensions.Contains(StartTlsOid))
                return PlainPhaseOutcome.Stop(outcome, StartTlsStatus.NotOffered, $"The server's RootDSE does not list the StartTLS extended operation ({StartTlsOid}) in supportedExtension.");
            // An unreadable RootDSE says nothing either way: ask, and let the answer decide.
            outcome.StartTlsOffered = rootDse.Readable;

            // slapd sends each result a moment before it retires the operation, and a StartTLS that arrives in
            // that window gets operationsError ("cannot start TLS when operations are outstanding"). Asking again
            // at once can hit the same window left by the refused StartTLS itself, so pause before each retry.
            LdapResult? result = null;
            for (int attempt = 0; attempt < StartTlsIds.Length; attempt++)
            {
                int id = StartTlsIds[attempt];
                if (attempt > 0)
                {
                    TimeSpan pause = TimeSpan.FromMilliseconds(100 * attempt);
                    await session.RunStepAsync("a pause before asking for StartTLS again",
                        async token => { await Task.Delay(pause, token).ConfigureAwait(false); return true; }).ConfigureAwait(false);
                }
                byte[] request = Message(id, BerWriter.Element(ExtendedRequest, BerWriter.String(ExtendedRequestName, StartTlsOid)));
                await session.WriteAsync(request, "StartTLS", $"ExtendedRequest StartTLS ({StartTlsOid}) id {id}").ConfigureAwait(false);
                LdapMessage reply = await ReadMessageAsync(session, "the reply to StartTLS").ConfigureAwait(false);
                if (reply.IsNoticeOfDisconnection(out LdapResult? notice))
                {
                    outcome.StartTlsReply = notice!.Describe();
                    return PlainPhaseOutcome.Stop(outcome, StartTlsStatus.Refused, "The server disconnected instead of answering StartTLS: " + notice.Describe());
                }
                if (reply.Id != id || reply.Tag != ExtendedResponse)
                    throw new StartTlsProtocolException($"The server answered StartTLS with {reply.Name} id {reply.Id} instead of an ExtendedResponse id {id}.");
                result = LdapResult.Read(reply.Contents, "the StartTLS response");
                if (result.Code != OperationsError) break;
            }
            outcome.StartTlsReply = result!.Describe();
            if (result.Code == 0)
            {
                outcome.StartTlsOffered = true;
                return outcome;
            }
            return PlainPhaseOutcome.Stop(outcome, StartTlsStatus.Refused, "The server refused StartTLS: " + result.Describe());
        }

        public override string EnforcementProbe => "an anonymous simple bind (no name, no password) before StartTLS, then an unbind";

        /// <summary>
        /// An anonymous simple bind carries no credentials (RFC 4513 section 5.1.1). confidentialityRequired (13) means
        /// TLS first; success means the directory takes operations in plaintext. A bind with a password is never sent,
        /// so whether password binds would be refused is not learned.
        /// </summary>
        public override async Task<EnforcementVerdict> ProbeEnforcementAsync(ProtocolSession session, DialectContext context)
        {
            byte[] bind = BerWriter.Element(BindRequest,
                BerWriter.Integer(Integer, 3),                       // version
                BerWriter.String(OctetString, ""),                   // name: anonymous
                BerWriter.String(SimpleAuthentication, ""));         // simple, empty password
            await session.WriteAsync(Message(ProbeBindId, bind), "the anonymous bind", $"BindRequest anonymous simple id {ProbeBindId}").ConfigureAwait(false);
            LdapMessage reply = await ReadMessageAsync(session, "the reply to the anonymous bind").ConfigureAwait(false);
            if (reply.IsNoticeOfDisconnection(out LdapResult? notice))
                return EnforcementVerdict.Unknown("The server disconnected the probe instead of answering the anonymous bind: " + notice!.Describe());
            if (reply.Id != ProbeBindId || reply.Tag != BindResponse)
                throw new StartTlsProtocolException($"The server answered the anonymous bind with {reply.Name} id {reply.Id}.");
            LdapResult result = LdapResult.Read(reply.Contents, "the bind response");
            if (result.Code == ConfidentialityRequired)
                return EnforcementVerdict.Enforced($"An anonymous simple bind before StartTLS was answered {result.Describe()}: the directory requires TLS first.");
            if (result.Code == 0)
                return EnforcementVerdict.Opportunistic("An anonymous simple bind before StartTLS succeeded and the RootDSE was readable: the directory takes operations in plaintext " +
                    "(whether it would refuse a password bind without TLS cannot be learned without credentials).");
            return EnforcementVerdict.Unknown($"An anonymous simple bind before StartTLS was answered {result.Describe()}, which does not say whether TLS is required.");
        }

        public override async Task<TlsPhaseOutcome> ReadCapabilitiesOverTlsAsync(ProtocolSession session, DialectContext context, bool implicitTls)
        {
            // LDAP has no greeting, in either mode: the RootDSE is all there is to ask for.
            var outcome = new TlsPhaseOutcome();
            RootDse rootDse = await ReadRootDseAsync(session, RootDseOverTlsId).ConfigureAwait(false);
            if (implicitTls) outcome.Banner = rootDse.Vendor;
            outcome.Capabilities = rootDse.Capabilities;
            if (rootDse.Disconnect != null) outcome.Problem = "The server disconnected over TLS: " + rootDse.Disconnect.Describe();
            return outcome;
        }

        public override string? InjectionCommand(DialectContext context) => null;

        /// <summary>UnbindRequest has no answer (RFC 4511 section 4.3): send it and go.</summary>
        public override Task CloseAsync(ProtocolSession session, DialectContext context) =>
            session.WriteAsync(Message(UnbindId, new byte[] { UnbindRequest, 0x00 }), "UnbindRequest", $"UnbindRequest id {UnbindId}");

        /// <summary>An anonymous base search of "" for the attributes that tell what the server can do.</summary>
        private static async Task<RootDse> ReadRootDseAsync(ProtocolSession session, int id)
        {
            var attributes = RootDseAttributes.Select(a => BerWriter.String(OctetString, a)).ToArray();
            byte[] search = BerWriter.Element(SearchRequest,
                BerWriter.String(OctetString, ""),            // baseObject: the RootDSE
                BerWriter.Integer(Enumerated, 0),             // scope: baseObject
                BerWriter.Integer(Enumerated, 0),             // derefAliases: never
                BerWriter.Integer(Integer, 0),                // sizeLimit
                BerWriter.Integer(Integer, 0),                // timeLimit
                BerWriter.Element(Boolean, new byte[] { 0x00 }), // typesOnly: false
                BerWriter.String(PresentFilter, "objectClass"),
                BerWriter.Element(Sequence, attributes));
            await session.WriteAsync(Message(id, search), "the RootDSE search", $"SearchRequest RootDSE (base \"\", {string.Join(" ", RootDseAttributes)}) id {id}").ConfigureAwait(false);

            var rootDse = new RootDse();
            int items = 0;
            while (true)
            {
                LdapMessage message = await ReadMessageAsync(session, "the RootDSE search").ConfigureAwait(false);
                if (message.IsNoticeOfDisconnection(out LdapResult? notice))
                {
                    rootDse.Disconnect = notice;
                    return rootDse;
                }
                if (message.Id != id)
                    throw new StartTlsProtocolException($"The server answered the RootDSE search (id {id}) with {message.Name} id {message.Id}.");
                if (++items > MaxSearchItems)
                    throw new StartTlsProtocolException($"The server sent more than {MaxSearchItems} search results for the RootDSE.");
                switch (message.Tag)
                {
                    case SearchResultEntry:
                        ReadEntry(message.Contents, rootDse);
                        break;
                    case SearchResultReference:
                        break;
                    case SearchResultDone:
                        LdapResult done = LdapResult.Read(message.Contents, "the RootDSE search result");
                        rootDse.Readable = done.Code == 0 && rootDse.EntrySeen;
                        rootDse.ResultCode = done.Code;
                        rootDse.ResultDescription = done.Describe();
                        return rootDse;
                    default:
                        throw new StartTlsProtocolException($"The server answered the RootDSE search with {message.Name}.");
                }
            }
        }

        private static void ReadEntry(BerReader entry, RootDse rootDse)
        {
            entry.ReadString(OctetString, "the entry's name");
            BerReader attributes = entry.Read(Sequence, "the entry's attribute list");
            int values = 0;
            while (attributes.HasData)
            {
                BerReader attribute = attributes.Read(Sequence, "an attribute");
                string type = attribute.ReadString(OctetString, "an attribute type");
                BerReader set = attribute.Read(Set, "an attribute's values");
                while (set.HasData)
                {
                    if (++values > MaxSearchItems) throw new StartTlsProtocolException($"The RootDSE has more than {MaxSearchItems} values.");
                    rootDse.Add(type, set.ReadString(OctetString, "an attribute value"));
                }
            }
            rootDse.EntrySeen = true;
        }

        /// <summary>Reads one LDAPMessage: SEQUENCE header first, so the length is checked before the body is read.</summary>
        public static async Task<LdapMessage> ReadMessageAsync(ProtocolSession session, string step)
        {
            byte[] header = await session.ReadBytesAsync(2, step).ConfigureAwait(false);
            if (header[0] != Sequence)
                throw new StartTlsProtocolException($"The server sent BER tag 0x{header[0]:X2} during {step} where an LDAPMessage (SEQUENCE, 0x30) must start.");
            long length;
            if (header[1] < 0x80) length = header[1];
            else
            {
                int octets = header[1] & 0x7F;
                if (octets == 0) throw new StartTlsProtocolException($"The server used the indefinite BER length form during {step}; LDAP forbids it.");
                if (octets > 4) throw new StartTlsProtocolException($"The server sent a BER length of {octets} octets during {step}; at most 4 are accepted.");
                byte[] lengthBytes = await session.ReadBytesAsync(octets, step).ConfigureAwait(false);
                length = 0;
                foreach (byte b in lengthBytes) length = (length << 8) | b;
            }
            int limit = Math.Min(MaxMessageBytes, session.MaxLineLength);
            if (length > limit)
                throw new StartTlsProtocolException($"The server announced an LDAP message of {length} bytes during {step}, over the {limit}-byte message limit.");
            byte[] body = await session.ReadBytesAsync((int)length, step).ConfigureAwait(false);
            var reader = new BerReader(body);
            int id = reader.ReadInteger(Integer, "the messageID");
            if (id < 0) throw new StartTlsProtocolException($"The server sent a negative messageID ({id}) during {step}.");
            var (tag, contents) = reader.ReadElement();
            // Controls ([0]) may follow; nothing here needs them.
            var message = new LdapMessage(id, tag, contents);
            session.Transcript.Add(TranscriptDirection.Server, session.Phase, message.Summary());
            return message;
        }

        private static byte[] Message(int id, byte[] protocolOp) => BerWriter.Element(Sequence, BerWriter.Integer(Integer, id), protocolOp);

        /// <summary>RFC 4511 appendix A result codes, for reasons a person can read.</summary>
        public static string ResultCodeName(int code)
        {
            switch (code)
            {
                case 0: return "success";
                case 1: return "operationsError";
                case 2: return "protocolError";
                case 3: return "timeLimitExceeded";
                case 4: return "sizeLimitExceeded";
                case 7: return "authMethodNotSupported";
                case 8: return "strongerAuthRequired";
                case 10: return "referral";
                case 11: return "adminLimitExceeded";
                case 12: return "unavailableCriticalExtension";
                case 13: return "confidentialityRequired";
                case 32: return "noSuchObject";
                case 48: return "inappropriateAuthentication";
                case 49: return "invalidCredentials";
                case 50: return "insufficientAccessRights";
                case 51: return "busy";
                case 52: return "unavailable";
                case 53: return "unwillingToPerform";
                case 54: return "loopDetect";
                case 80: return "other";
                default: return "unknown result code";
            }
        }

        private static string OperationName(byte tag)
        {
            switch (tag)
            {
                case SearchResultEntry: return "SearchResultEntry";
                case SearchResultDone: return "SearchResultDone";
                case SearchResultReference: return "SearchResultReference";
                case ExtendedResponse: return "ExtendedResponse";
                case 0x61: return "BindResponse";
                case 0x79: return "IntermediateResponse";
                default: return $"protocolOp 0x{tag:X2}";
            }
        }

        /// <summary>One LDAPMessage: its id, the protocolOp's tag and a reader over the protocolOp's contents.</summary>
        public sealed class LdapMessage
        {
            public LdapMessage(int id, byte tag, BerReader contents)
            {
                Id = id;
                Tag = tag;
                Contents = contents;
            }

            public int Id { get; }
            public byte Tag { get; }
            public BerReader Contents { get; }
            public string Name => OperationName(Tag);

            /// <summary>An unsolicited notification (id 0) naming the notice of disconnection; its result says why.</summary>
            public bool IsNoticeOfDisconnection(out LdapResult? notice)
            {
                notice = null;
                if (Id != 0) return false;
                if (Tag != ExtendedResponse) throw new StartTlsProtocolException($"The server sent {Name} with messageID 0, which only unsolicited notifications may use.");
                notice = LdapResult.Read(Contents, "an unsolicited notification");
                if (notice.ResponseName != NoticeOfDisconnectionOid)
                    throw new StartTlsProtocolException($"The server sent an unknown unsolicited notification ({notice.ResponseName ?? "unnamed"}).");
                return true;
            }

            public string Summary() => $"{Name} id {Id}";
        }

        /// <summary>LDAPResult (RFC 4511 section 4.1.9), plus an ExtendedResponse's responseName when present.</summary>
        public sealed class LdapResult
        {
            private LdapResult(int code, string diagnostic, string? responseName)
            {
                Code = code;
                Diagnostic = diagnostic;
                ResponseName = responseName;
            }

            public int Code { get; }
            public string Diagnostic { get; }
            public string? ResponseName { get; }

            /// <summary>Reads the result; reading consumes the reader, so call once.</summary>
            public static LdapResult Read(BerReader contents, string what)
            {
                int code = contents.ReadInteger(Enumerated, "the resultCode of " + what);
                if (code < 0) throw new StartTlsProtocolException($"The resultCode of {what} is negative ({code}).");
                contents.ReadString(OctetString, "the matchedDN of " + what);
                string diagnostic = contents.ReadString(OctetString, "the diagnosticMessage of " + what);
                string? responseName = null;
                while (contents.HasData)
                {
                    var (tag, value) = contents.ReadElement();
                    if (tag == ExtendedResponseName) responseName = value.RemainingText();
                }
                return new LdapResult(code, diagnostic, responseName);
            }

            /// <summary>"52 (unavailable): diagnostic".</summary>
            public string Describe() => $"{Code} ({ResultCodeName(Code)})" + (Diagnostic.Length == 0 ? "" : ": " + ServerText.Shorten(Diagnostic));
        }

        /// <summary>What the RootDSE said, in the order the server listed it.</summary>
        private sealed class RootDse
        {
            private readonly List<string> _capabilities = new List<string>();
            private string? _vendorName;
            private string? _vendorVersion;

            public bool EntrySeen { get; set; }
            public bool Readable { get; set; }
            /// <summary>The search's resultCode, e.g. 13 (confidentialityRequired) before TLS on a directory that requires it.</summary>
            public int? ResultCode { get; set; }
            public string ResultDescription { get; set; } = "";
            public LdapResult? Disconnect { get; set; }
            public HashSet<string> Extensions { get; } = new HashSet<string>(StringComparer.Ordinal);
            public IReadOnlyList<string> Capabilities => _capabilities;
            public string Vendor => string.Join(" ", new[] { _vendorName, _vendorVersion }.Where(v => !string.IsNullOrEmpty(v)));

            /// <summary>Extensions as bare OIDs; versions as "LDAPv3"; SASL mechanisms as "SASL X", as POP3 writes them.</summary>
            public void Add(string type, string value)
            {
                if (type.Equals("supportedExtension", StringComparison.OrdinalIgnoreCase))
                {
                    Extensions.Add(value.Trim());
                    _capabilities.Add(value.Trim());
                }
                else if (type.Equals("supportedLDAPVersion", StringComparison.OrdinalIgnoreCase)) _capabilities.Add("LDAPv" + value.Trim());
                else if (type.Equals("supportedSASLMechanisms", StringComparison.OrdinalIgnoreCase)) _capabilities.Add("SASL " + value.Trim());
                else if (type.Equals("vendorName", StringComparison.OrdinalIgnoreCase)) _vendorName = ServerText.Shorten(value);
                else if (type.Equals("vendorVersion", StringComparison.OrdinalIgnoreCase)) _vendorVersion = ServerText.Shorten(value);
            }
        }
    }
}
