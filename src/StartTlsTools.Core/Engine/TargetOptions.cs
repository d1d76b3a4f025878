using System;
using System.Collections.Generic;
using System.Security.Cryptography.X509Certificates;
using StartTlsTools.Protocols;

namespace StartTlsTools
{
    /// <summary>
    /// The target every engine talks to: host, protocol, port and mode, the per-step timeout, the names we send and
    /// the roots we trust. Each engine's options add only what is their own, and copy a target with
    /// <see cref="CopyTargetTo{T}"/> rather than field by field.
    /// </summary>
    public abstract class TargetOptions
    {
        public const int MinTimeoutSeconds = 1;
        public const int MaxTimeoutSeconds = 600;
        public const int DefaultTimeoutSeconds = 10;
        /// <summary>
        /// RFC 5321 section 4.5.3.2 gives an SMTP client 5 minutes for the greeting; tarpits and greet-pause use some of
        /// that on purpose. A minute waits out the common ones (Postfix postscreen, Exim's delays, sendmail's greet_pause)
        /// without making an interactive test of a dead service hang for 5 minutes.
        /// </summary>
        public const int DefaultGreetingTimeoutSeconds = 60;

        public string HostName { get; set; } = "";
        public StartTlsProtocol Protocol { get; set; } = StartTlsProtocol.Smtp;
        /// <summary>Null means the protocol's default port for the chosen mode.</summary>
        public int? Port { get; set; }
        public bool ImplicitTls { get; set; }
        /// <summary>Applies to each network step on its own: resolve, connect, each reply, the handshake.</summary>
        public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(DefaultTimeoutSeconds);
        /// <summary>How long to wait for the server's greeting, which tarpits delay on purpose; never shorter than <see cref="Timeout"/>.</summary>
        public TimeSpan GreetingTimeout { get; set; } = TimeSpan.FromSeconds(DefaultGreetingTimeoutSeconds);
        /// <summary>The name sent in EHLO/LHLO; null means this machine's fully qualified name.</summary>
        public string? EhloName { get; set; }
        /// <summary>The XMPP domain sent in the stream header's to=; null means the host name. Used by Xmpp and XmppServer only.</summary>
        public string? XmppDomain { get; set; }
        /// <summary>Roots to trust in addition to the OS store (internal PKIs, a lab CA).</summary>
        public X509Certificate2Collection TrustedRoots { get; } = new X509Certificate2Collection();

        public int EffectivePort => Port ?? (ProtocolRegistry.IsKnown(Protocol) ? ProtocolRegistry.Get(Protocol).DefaultPort(ImplicitTls) ?? 0 : 0);

        /// <summary>Copies the target (not the engine's own settings) onto <paramref name="other"/> and returns it.</summary>
        public T CopyTargetTo<T>(T other) where T : TargetOptions
        {
            other.HostName = HostName;
            other.Protocol = Protocol;
            other.Port = Port;
            other.ImplicitTls = ImplicitTls;
            other.Timeout = Timeout;
            other.GreetingTimeout = GreetingTimeout;
            other.EhloName = EhloName;
            other.XmppDomain = XmppDomain;
            other.TrustedRoots.Clear();
            other.TrustedRoots.AddRange(TrustedRoots);
            return other;
        }

        /// <summary>The target's problems, as messages a user can act on; engines add their own in Validate.</summary>
        protected List<string> ValidateTarget()
        {
            var problems = new List<string>();
            string? hostProblem = HostNameRules.Check(HostName);
            if (hostProblem != null) problems.Add(hostProblem);
            if (!ProtocolRegistry.IsKnown(Protocol))
                problems.Add($"Unknown protocol '{Protocol}'. Valid protocols: {string.Join(", ", ProtocolRegistry.Names)}.");
            else
            {
                IStartTlsDialect dialect = ProtocolRegistry.Get(Protocol);
                if (Port is int p && (p < 1 || p > 65535))
                    problems.Add($"Port {p} is out of range: use 1 to 65535.");
                if (Port == null && dialect.DefaultPort(ImplicitTls) == null)
                    problems.Add($"{Protocol} has no standard implicit-TLS port: give -Port.");
            }
            if (Timeout < TimeSpan.FromSeconds(MinTimeoutSeconds) || Timeout > TimeSpan.FromSeconds(MaxTimeoutSeconds))
                problems.Add($"Timeout must be between {MinTimeoutSeconds} and {MaxTimeoutSeconds} seconds.");
            if (GreetingTimeout < TimeSpan.FromSeconds(MinTimeoutSeconds) || GreetingTimeout > TimeSpan.FromSeconds(MaxTimeoutSeconds))
                problems.Add($"GreetingTimeout must be between {MinTimeoutSeconds} and {MaxTimeoutSeconds} seconds.");
            if (EhloName != null && HostNameRules.Check(EhloName) != null && !HostNameRules.IsAddressLiteral(EhloName))
                problems.Add($"EHLO name '{EhloName}' is not a valid host name or address literal.");
            if (XmppDomain != null && HostNameRules.Check(XmppDomain) != null)
                problems.Add($"XMPP domain '{XmppDomain}' is not a valid domain name.");
            return problems;
        }
    }
}
