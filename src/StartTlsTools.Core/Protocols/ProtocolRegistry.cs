using System;
using System.Collections.Generic;
using System.Linq;

namespace StartTlsTools
{
    /// <summary>Every protocol Test-StartTls speaks. Adding one: a member here plus one line in the registry below.</summary>
    public enum StartTlsProtocol
    {
        Smtp,
        Submission,
        Imap,
        Pop3,
        Ldap,
        PostgreSql,
        MySql,
        Lmtp,
        Ftp,
        Xmpp,
        XmppServer,
        Nntp,
        ManageSieve,
    }

    /// <summary>The one place that maps a protocol to its dialect.</summary>
    public static class ProtocolRegistry
    {
        private static readonly Dictionary<StartTlsProtocol, Protocols.IStartTlsDialect> Dialects =
            new Protocols.IStartTlsDialect[]
            {
                new Protocols.SmtpDialect(StartTlsProtocol.Smtp, plainPort: 25, implicitPort: 465),
                new Protocols.SmtpDialect(StartTlsProtocol.Submission, plainPort: 587, implicitPort: 465),
                new Protocols.ImapDialect(),
                new Protocols.Pop3Dialect(),
                new Protocols.LdapDialect(),
                new Protocols.PostgreSqlDialect(),
                new Protocols.MySqlDialect(),
                new Protocols.SmtpDialect(StartTlsProtocol.Lmtp, plainPort: 24, implicitPort: null, helloVerb: "LHLO"),
                new Protocols.FtpDialect(),
                new Protocols.XmppDialect(StartTlsProtocol.Xmpp, serverToServer: false, plainPort: 5222, implicitPort: 5223),
                new Protocols.XmppDialect(StartTlsProtocol.XmppServer, serverToServer: true, plainPort: 5269, implicitPort: 5270),
                new Protocols.NntpDialect(),
                new Protocols.ManageSieveDialect(),
            }.ToDictionary(d => d.Protocol);

        public static IEnumerable<string> Names => Dialects.Keys.Select(k => k.ToString());

        public static bool IsKnown(StartTlsProtocol protocol) => Dialects.ContainsKey(protocol);

        public static Protocols.IStartTlsDialect Get(StartTlsProtocol protocol) =>
            Dialects.TryGetValue(protocol, out var dialect)
                ? dialect
                : throw new ArgumentOutOfRangeException(nameof(protocol), protocol, "Unknown protocol.");
    }
}
