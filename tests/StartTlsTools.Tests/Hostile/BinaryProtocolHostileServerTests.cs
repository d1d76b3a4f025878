using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using StartTlsTools.Protocols;

namespace StartTlsTools.Tests.Hostile
{
    /// <summary>Fake LDAP, PostgreSQL and MySQL servers that misbehave in ways the lab's real servers never do.</summary>
    [Collection(HostileSuite.Name)]
    public sealed class BinaryProtocolHostileServerTests
    {
        private static readonly byte[] LdapSearchDone = { 0x30, 0x0C, 0x02, 0x01, 0x01, 0x65, 0x07, 0x0A, 0x01, 0x00, 0x04, 0x00, 0x04, 0x00 };
        private static readonly byte[] LdapStartTlsSuccess = { 0x30, 0x0C, 0x02, 0x01, 0x02, 0x78, 0x07, 0x0A, 0x01, 0x00, 0x04, 0x00, 0x04, 0x00 };

        /// <summary>A RootDSE entry listing only StartTLS, for message id 1.</summary>
        private static byte[] LdapRootDse()
        {
            byte[] oid = System.Text.Encoding.ASCII.GetBytes(LdapDialect.StartTlsOid);
            byte[] type = System.Text.Encoding.ASCII.GetBytes("supportedExtension");
            byte[] value = new byte[] { 0x04, (byte)oid.Length }.Concat(oid).ToArray();
            byte[] set = new byte[] { 0x31, (byte)value.Length }.Concat(value).ToArray();
            byte[] attribute = new byte[] { 0x04, (byte)type.Length }.Concat(type).Concat(set).ToArray();
            attribute = new byte[] { 0x30, (byte)attribute.Length }.Concat(attribute).ToArray();
            byte[] attributes = new byte[] { 0x30, (byte)attribute.Length }.Concat(attribute).ToArray();
            byte[] entry = new byte[] { 0x04, 0x00 }.Concat(attributes).ToArray();
            entry = new byte[] { 0x64, (byte)entry.Length }.Concat(entry).ToArray();
            byte[] body = new byte[] { 0x02, 0x01, 0x01 }.Concat(entry).ToArray();
            return new byte[] { 0x30, (byte)body.Length }.Concat(body).ToArray();
        }

        [Fact]
        public async Task Ldap_plaintext_after_the_starttls_success_is_discarded_and_counted()
        {
            byte[] injected = LdapSearchDone;
            var outcome = await HostileCase.RunAsync(async (client, cancel) =>
            {
                await client.ReadSomeAsync(cancel);
                await client.SendAsync(LdapRootDse().Concat(LdapSearchDone).ToArray(), cancel);
                await client.ReadSomeAsync(cancel);
                await client.SendAsync(LdapStartTlsSuccess.Concat(injected).ToArray(), cancel);
                await client.ReadSomeAsync(cancel);
            }, StartTlsProtocol.Ldap);

            outcome.AssertFinished(StartTlsStatus.HandshakeFailed, "TLS handshake");
            Assert.Equal(injected.Length, outcome.Result.PlaintextBytesDiscardedAtUpgrade);
            Assert.Equal("0 (success)", outcome.Result.StartTlsReply);
        }

        [Fact]
        public async Task Ldap_endless_search_references_are_cut_off()
        {
            byte[] reference = { 0x30, 0x0A, 0x02, 0x01, 0x01, 0x73, 0x05, 0x04, 0x03, (byte)'l', (byte)'d', (byte)'a' };
            var outcome = await HostileCase.RunAsync(async (client, cancel) =>
            {
                await client.ReadSomeAsync(cancel);
                byte[] flood = Enumerable.Repeat(reference, 200).SelectMany(b => b).ToArray();
                while (!cancel.IsCancellationRequested) await client.SendAsync(flood, cancel);
            }, StartTlsProtocol.Ldap);

            outcome.AssertFinished(StartTlsStatus.ProtocolError, $"more than {LdapDialect.MaxSearchItems} search results");
        }

        [Fact]
        public async Task Ldap_server_that_never_answers_starttls_times_out()
        {
            var outcome = await HostileCase.RunAsync(async (client, cancel) =>
            {
                await client.ReadSomeAsync(cancel);
                await client.SendAsync(LdapRootDse().Concat(LdapSearchDone).ToArray(), cancel);
                await client.ReadSomeAsync(cancel);
                await Task.Delay(Timeout.Infinite, cancel);
            }, StartTlsProtocol.Ldap);

            outcome.AssertFinished(StartTlsStatus.Timeout, "StartTLS");
        }

        [Fact]
        public async Task Postgresql_plaintext_after_S_is_discarded_and_counted()
        {
            // CVE-2021-23214: a man in the middle appends bytes after 'S'; they must never be read as if from TLS.
            byte[] injected = { (byte)'R', 0, 0, 0, 8, 0, 0, 0, 0 };
            var outcome = await HostileCase.RunAsync(async (client, cancel) =>
            {
                await client.ReadSomeAsync(cancel);
                await client.SendAsync(new[] { (byte)'S' }.Concat(injected).ToArray(), cancel);
                await client.ReadSomeAsync(cancel);
            }, StartTlsProtocol.PostgreSql);

            outcome.AssertFinished(StartTlsStatus.HandshakeFailed, "TLS handshake");
            Assert.Equal(injected.Length, outcome.Result.PlaintextBytesDiscardedAtUpgrade);
            Assert.Equal("'S'", outcome.Result.StartTlsReply);
        }

        [Fact]
        public async Task Postgresql_server_that_never_answers_times_out()
        {
            var outcome = await HostileCase.RunAsync(async (client, cancel) =>
            {
                await client.ReadSomeAsync(cancel);
                await Task.Delay(Timeout.Infinite, cancel);
            }, StartTlsProtocol.PostgreSql);

            outcome.AssertFinished(StartTlsStatus.Timeout, "SSLRequest");
        }

        [Fact]
        public async Task Mysql_packet_after_the_greeting_is_discarded_and_counted()
        {
            byte[] greeting = Convert.FromHexString("270000000a382e302e33360001000000616263646566676800008a080200000000000000000000000000000000000000");
            greeting[0] = (byte)(greeting.Length - 4);
            byte[] okPacket = { 0x07, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00 };
            var outcome = await HostileCase.RunAsync(async (client, cancel) =>
            {
                await client.SendAsync(greeting.Concat(okPacket).ToArray(), cancel);
                // The SSL request (36 bytes) and the ClientHello come without a pause between them: read past both.
                int received = 0;
                while (received <= 36)
                {
                    int n = (await client.ReadSomeAsync(cancel)).Length;
                    if (n == 0) return;
                    received += n;
                }
            }, StartTlsProtocol.MySql);

            outcome.AssertFinished(StartTlsStatus.HandshakeFailed, "TLS handshake");
            Assert.Equal(okPacket.Length, outcome.Result.PlaintextBytesDiscardedAtUpgrade);
            Assert.Equal("8.0.36", outcome.Result.Banner);
            Assert.Contains("CLIENT_SSL", outcome.Result.CapabilitiesBeforeTls!);
        }

        [Theory]
        [InlineData(StartTlsProtocol.Ldap)]
        [InlineData(StartTlsProtocol.MySql)]
        public async Task Garbage_is_a_protocol_error(StartTlsProtocol protocol)
        {
            var outcome = await HostileCase.RunAsync(async (client, cancel) =>
            {
                if (protocol == StartTlsProtocol.Ldap) await client.ReadSomeAsync(cancel);
                await client.SendAsync(HostileCase.Garbage(), cancel);
                await client.DrainAsync(cancel);
            }, protocol);

            outcome.AssertFinished(StartTlsStatus.ProtocolError);
        }
    }
}
