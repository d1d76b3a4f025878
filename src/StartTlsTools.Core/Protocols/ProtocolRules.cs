using System;
using System.Collections.Generic;
using System.Linq;

namespace StartTlsTools.Protocols
{
    /// <summary>
    /// What the findings need to know about a protocol: how its capability list offers STARTTLS, its plaintext-login
    /// rule and its references. These defaults are the generic rules, which fit any protocol's capability spelling (a
    /// protocol the analyzer has never heard of still gets them); each dialect overrides what its protocol defines, so
    /// adding a protocol touches its dialect file and the registry only.
    /// </summary>
    public class ProtocolRules
    {
        /// <summary>The rules for a protocol without a dialect (a result read back from JSON written by a newer version).</summary>
        public static readonly ProtocolRules Generic = new GenericRules();

        /// <summary>Knows no keyword of its own, so it accepts both spellings in use (STARTTLS, STLS).</summary>
        private sealed class GenericRules : ProtocolRules
        {
            public override string? StartTlsKeyword => null;
        }

        /// <summary>
        /// The capability keyword that offers STARTTLS and must be gone after TLS (STARTTLS, STLS); null where the
        /// protocol has no such keyword (FTP keeps "AUTH TLS" in FEAT by design, LDAP keeps its OID).
        /// </summary>
        public virtual string? StartTlsKeyword => "STARTTLS";

        /// <summary>Whether this capability offers STARTTLS. The generic rule knows both spellings in use.</summary>
        public virtual bool IsStartTlsCapability(string capability)
        {
            string keyword = Capability.Keyword(capability);
            return StartTlsKeyword == null
                ? keyword == "STARTTLS" || keyword == "STLS"
                : string.Equals(keyword, StartTlsKeyword, StringComparison.OrdinalIgnoreCase);
        }

        /// <summary>The STARTTLS keyword overwritten by a middlebox: same length, all X's but perhaps one (Cisco's "XXXXXXXA").</summary>
        public virtual bool IsMaskedStartTls(string capability) =>
            StartTlsKeyword != null && Capability.LooksMasked(Capability.Keyword(capability), StartTlsKeyword);

        /// <summary>Capabilities that rightly go away after TLS: the offer itself (and IMAP's "no login yet" flag).</summary>
        public virtual bool ExpectedToDisappearAfterTls(string capability) => IsStartTlsCapability(capability);

        /// <summary>Why a plaintext password login is possible before TLS, in one sentence; null when the protocol has no such rule or it does not apply.</summary>
        public virtual string? PlaintextLoginBeforeTls(IReadOnlyList<string> capabilitiesBeforeTls) => null;

        /// <summary>The standard that defines this protocol's STARTTLS.</summary>
        public virtual string StartTlsReference => "RFC 8314 section 3";
        /// <summary>Where the protocol says authentication must wait for TLS.</summary>
        public virtual string AuthReference => "RFC 4616 section 6";
        public virtual string PlaintextLoginReference => "RFC 2595 section 4; RFC 8314 section 3";
        /// <summary>Where the protocol says STARTTLS must not be offered again over TLS.</summary>
        public virtual string StartTlsAfterTlsReference => "RFC 3207 section 4.2";

        /// <summary>
        /// Whether optional TLS is how the protocol is meant to run (SMTP relay between servers: RFC 3207 section 4 says a
        /// publicly referenced server must not require it). StartTlsOptional is then Info rather than Medium.
        /// </summary>
        public virtual bool OptionalTlsIsNormal => false;
        public virtual string StartTlsOptionalReference => "RFC 8314 section 3; RFC 3207 section 6";
    }

    /// <summary>Reading one capability item, whatever the protocol's spelling. Never a regex: items are server text.</summary>
    public static class Capability
    {
        /// <summary>Space-separated tokens with ManageSieve's quotes removed ("SASL" "PLAIN LOGIN").</summary>
        public static string[] Tokens(string capability) =>
            capability.Replace("\"", " ").Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries);

        /// <summary>The first token, upper-cased.</summary>
        public static string Keyword(string capability)
        {
            string[] tokens = Tokens(capability);
            return tokens.Length == 0 ? "" : tokens[0].ToUpperInvariant();
        }

        /// <summary>Whether <paramref name="keyword"/> is <paramref name="expected"/> masked: same length, X in every place but at most one.</summary>
        public static bool LooksMasked(string keyword, string expected)
        {
            if (keyword.Length != expected.Length || string.Equals(keyword, expected, StringComparison.OrdinalIgnoreCase)) return false;
            int xs = keyword.Count(c => c == 'X' || c == 'x');
            return xs >= keyword.Length - 1 && xs >= 3;
        }

        /// <summary>
        /// FTP's FEAT line "AUTH TLS" names RFC 2228 security mechanisms (TLS, TLS-C, TLS-P, SSL: RFC 4217), i.e. the
        /// STARTTLS command itself, not a way to log in.
        /// </summary>
        private static bool IsTlsSecurityMechanism(string name) =>
            name.Equals("TLS", StringComparison.OrdinalIgnoreCase) || name.Equals("TLS-C", StringComparison.OrdinalIgnoreCase) ||
            name.Equals("TLS-P", StringComparison.OrdinalIgnoreCase) || name.Equals("SSL", StringComparison.OrdinalIgnoreCase);

        /// <summary>SASL mechanism names advertised in a capability list, in any protocol's spelling, upper-cased and once each.</summary>
        public static IReadOnlyList<string> SaslMechanisms(IEnumerable<string>? capabilities)
        {
            var found = new List<string>();
            if (capabilities == null) return found;
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (string capability in capabilities)
            {
                string[] tokens = Tokens(capability);
                if (tokens.Length == 0) continue;
                string keyword = tokens[0].ToUpperInvariant();
                IEnumerable<string> names;
                if (keyword.StartsWith("AUTH=", StringComparison.Ordinal)) names = new[] { tokens[0].Substring(5) }.Concat(tokens.Skip(1)); // IMAP AUTH=X, old SMTP AUTH=X Y
                else if (keyword == "AUTH" || keyword == "SASL") names = tokens.Skip(1);                                                 // SMTP, POP3, NNTP, Sieve
                else if (keyword == "MECHANISMS:") names = tokens.Skip(1);                                                              // XMPP, as the dialect lists it
                else continue;
                foreach (string name in names)
                    if (name.Length > 0 && !IsTlsSecurityMechanism(name) && seen.Add(name)) found.Add(name.ToUpperInvariant());
            }
            return found;
        }
    }
}
