using System;
using System.IO;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace StartTlsTools.Tests.Hostile
{
    /// <summary>
    /// A fake SMTP server that really upgrades to TLS, for cases that must get past the handshake: greeting, EHLO,
    /// STARTTLS, a TLS handshake with the given certificate, EHLO again, QUIT. Every reply is sent as UTF-8, so a
    /// case can put any character (C1 controls included) into any reply.
    /// </summary>
    internal static class TlsSmtpScript
    {
        public static async Task RunAsync(HostileConnection client, CancellationToken cancel, X509Certificate2 certificate,
            string greeting = "220 mx.example ESMTP\r\n", string ehlo = "250-mx.example\r\n250 STARTTLS\r\n",
            string goAhead = "220 2.0.0 Ready to start TLS\r\n", string ehloOverTls = "250-mx.example\r\n250 AUTH PLAIN\r\n")
        {
            await client.SendAsync(Encoding.UTF8.GetBytes(greeting), cancel);
            if (await client.ReadLineAsync(cancel) is not string hello || !hello.StartsWith("EHLO ", StringComparison.Ordinal)) return;
            await client.SendAsync(Encoding.UTF8.GetBytes(ehlo), cancel);
            if (await client.ReadLineAsync(cancel) != "STARTTLS") return;
            await client.SendAsync(Encoding.UTF8.GetBytes(goAhead), cancel);

            using var plain = new NetworkStream(client.Socket, ownsSocket: false);
            using var tls = new SslStream(plain, leaveInnerStreamOpen: true);
            await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = certificate }, cancel);
            using var reader = new StreamReader(tls, Encoding.UTF8, false, 1024, leaveOpen: true);
            string? line;
            while ((line = await reader.ReadLineAsync(cancel)) != null)
            {
                if (line.StartsWith("EHLO ", StringComparison.Ordinal)) await tls.WriteAsync(Encoding.UTF8.GetBytes(ehloOverTls), cancel);
                else if (line == "QUIT")
                {
                    await tls.WriteAsync(Encoding.UTF8.GetBytes("221 2.0.0 Bye\r\n"), cancel);
                    return;
                }
            }
        }

        /// <summary>Answers QUIT like a polite server, so the goodbye costs the client no time.</summary>
        public static async Task AnswerQuitAsync(HostileConnection client, CancellationToken cancel)
        {
            string? line;
            while ((line = await client.ReadLineAsync(cancel)) != null)
                if (line == "QUIT")
                {
                    await client.SendAsync("221 2.0.0 Bye\r\n", cancel);
                    return;
                }
        }
    }
}
