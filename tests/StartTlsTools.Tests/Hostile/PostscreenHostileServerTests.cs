using System;
using System.IO;
using System.Linq;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using StartTlsTools.Tests.Support;

namespace StartTlsTools.Tests.Hostile
{
    /// <summary>
    /// A postscreen-like server (Postfix's bot filter): a multi-line "220-" greeting trickled out with pauses, and a
    /// hang-up for any client that speaks before the final "220 " line. A polite client passes it all the way to TLS.
    /// </summary>
    [Collection(HostileSuite.Name)]
    public sealed class PostscreenHostileServerTests
    {
        private static readonly Lazy<X509Certificate2> Certificate =
            new Lazy<X509Certificate2>(() => TestCertificates.ForServer(TestCertificates.CreateLeaf("localhost")));

        [Fact]
        public async Task PostscreenGreetingThatDropsEarlyTalkers_IsPassedAllTheWayToTls()
        {
            bool droppedForTalkingEarly = false;
            bool overTlsEhloSeen = false;
            _ = Certificate.Value; // made before the descriptor snapshot: key generation is not the engine's doing
            var outcome = await HostileCase.RunAsync(async (client, cancel) =>
            {
                foreach (string line in new[] { "220-mx.example ESMTP postscreen\r\n", "220-checking you out\r\n", "220-almost there\r\n" })
                {
                    await client.SendAsync(line, cancel);
                    await Task.Delay(250, cancel);
                    if (client.ClientHasSpoken)
                    {
                        // What postscreen does to a bot: a 521 and the door.
                        droppedForTalkingEarly = true;
                        await client.SendAsync("521 5.5.1 Protocol error: client talked before the greeting ended\r\n", cancel);
                        return;
                    }
                }
                await client.SendAsync("220 mx.example ESMTP\r\n", cancel);
                if (await client.ReadLineAsync(cancel) is not string ehlo || !ehlo.StartsWith("EHLO ", StringComparison.Ordinal)) return;
                await client.SendAsync("250-mx.example\r\n250-PIPELINING\r\n250 STARTTLS\r\n", cancel);
                if (await client.ReadLineAsync(cancel) != "STARTTLS") return;
                await client.SendAsync("220 2.0.0 Ready to start TLS\r\n", cancel);

                using var plain = new NetworkStream(client.Socket, ownsSocket: false);
                using var tls = new SslStream(plain, leaveInnerStreamOpen: true);
                await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = Certificate.Value }, cancel);
                using var reader = new StreamReader(tls, Encoding.ASCII, false, 1024, leaveOpen: true);
                string? line2;
                while ((line2 = await reader.ReadLineAsync(cancel)) != null)
                {
                    if (line2.StartsWith("EHLO ", StringComparison.Ordinal))
                    {
                        overTlsEhloSeen = true;
                        await tls.WriteAsync(Encoding.ASCII.GetBytes("250-mx.example\r\n250-PIPELINING\r\n250 AUTH PLAIN\r\n"), cancel);
                    }
                    else if (line2 == "QUIT")
                    {
                        await tls.WriteAsync(Encoding.ASCII.GetBytes("221 2.0.0 Bye\r\n"), cancel);
                        return;
                    }
                }
            });

            Assert.False(droppedForTalkingEarly, "The client sent a command before the final greeting line.");
            outcome.AssertFinished(StartTlsStatus.Success, "STARTTLS upgraded");
            Assert.True(overTlsEhloSeen, "The client should have said EHLO again over TLS.");
            Assert.Equal("EHLO client.test", outcome.ClientLines.First());
            Assert.Contains("almost there", outcome.Result.Banner);
            Assert.Equal(new[] { "PIPELINING", "AUTH PLAIN" }, outcome.Result.CapabilitiesAfterTls!);
            Assert.Equal(TlsProtocolVersion.Tls13, outcome.Result.TlsVersion);
            // The fake's certificate is self-signed and untrusted: a finding, not a failure of the upgrade.
            Assert.Contains("CertificateSelfSigned", outcome.Result.FindingIds);
        }
    }
}
