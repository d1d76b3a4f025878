using System;
using System.IO;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using StartTlsTools.MailDomain;
using StartTlsTools.Tests.Support;

namespace StartTlsTools.Tests.MailDomain
{
    /// <summary>
    /// The MTA-STS policy fetch against HTTPS servers that do what nginx in the lab will not do on its own: redirect,
    /// send 10 MB with or without a length, stall, chunk, send the wrong media type. Each must end as data within bounds.
    /// </summary>
    public sealed class HostilePolicyServerTests
    {
        private const string Host = "mta-sts.hostile.test";
        private const string Policy = "version: STSv1\r\nmode: enforce\r\nmx: mx.hostile.test\r\nmax_age: 86400\r\n";
        private static readonly X509Certificate2 Ca = TestCertificates.CreateCa("CN=Policy Test CA");
        private static readonly X509Certificate2 ServerCert = TestCertificates.ForServer(TestCertificates.CreateLeaf(Host, Ca));
        private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(60);

        /// <summary>One HTTPS connection served by <paramref name="respond"/>, which gets the TLS stream after the request was read.</summary>
        private sealed class PolicyServer : IDisposable
        {
            private readonly TcpListener _listener = new TcpListener(IPAddress.Loopback, 0);
            public PolicyServer(Func<SslStream, Task> respond, X509Certificate2? certificate = null)
            {
                _listener.Start();
                Served = Task.Run(async () =>
                {
                    using TcpClient client = await _listener.AcceptTcpClientAsync();
                    using var ssl = new SslStream(client.GetStream());
                    await ssl.AuthenticateAsServerAsync(certificate ?? ServerCert);
                    var request = new StringBuilder();
                    var buffer = new byte[1];
                    while (!request.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
                    {
                        if (await ssl.ReadAsync(buffer) == 0) return;
                        request.Append((char)buffer[0]);
                    }
                    Request = request.ToString();
                    try { await respond(ssl); } catch (IOException) { /* the client hung up, as it should past a bound */ }
                });
            }

            public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;
            public Task Served { get; }
            public string? Request { get; private set; }
            public void Dispose() => _listener.Stop();
        }

        private static Task Send(SslStream ssl, string text) => ssl.WriteAsync(Encoding.ASCII.GetBytes(text)).AsTask();

        private static async Task<MtaStsFetch> Fetch(PolicyServer server, bool trustCa = true, int timeoutSeconds = 2)
        {
            var fetcher = new MtaStsPolicyFetcher(_ => Task.FromResult(new[] { IPAddress.Loopback })) { Port = server.Port };
            var roots = new X509Certificate2Collection();
            if (trustCa) roots.Add(Ca);
            Task<MtaStsFetch> fetch = fetcher.FetchAsync(Host, TimeSpan.FromSeconds(timeoutSeconds), roots, CancellationToken.None);
            Assert.True(await Task.WhenAny(fetch, Task.Delay(HangGuard)) == fetch, "the fetch did not end");
            return await fetch;
        }

        [Fact]
        public async Task A_plain_policy_is_fetched_and_the_request_is_polite()
        {
            using var server = new PolicyServer(ssl => Send(ssl, $"HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {Policy.Length}\r\n\r\n{Policy}"));
            MtaStsFetch fetch = await Fetch(server);
            Assert.True(fetch.Succeeded, fetch.Problem);
            Assert.Equal(Policy, fetch.Body);
            Assert.StartsWith("GET /.well-known/mta-sts.txt HTTP/1.1\r\nHost: mta-sts.hostile.test\r\n", server.Request);
            Assert.True(MtaStsPolicy.Parse(fetch.Body!).IsValid);
        }

        [Fact]
        public async Task A_chunked_policy_is_reassembled()
        {
            using var server = new PolicyServer(ssl => Send(ssl, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n" +
                $"{20:x}\r\n{Policy.Substring(0, 20)}\r\n{Policy.Length - 20:x}\r\n{Policy.Substring(20)}\r\n0\r\n\r\n"));
            MtaStsFetch fetch = await Fetch(server);
            Assert.True(fetch.Succeeded, fetch.Problem);
            Assert.Equal(Policy, fetch.Body);
        }

        [Theory]
        [InlineData(301)]
        [InlineData(302)]
        [InlineData(307)]
        public async Task A_redirect_is_not_followed(int code)
        {
            using var server = new PolicyServer(ssl => Send(ssl, $"HTTP/1.1 {code} Moved\r\nLocation: https://evil.example/.well-known/mta-sts.txt\r\nContent-Length: 0\r\n\r\n"));
            MtaStsFetch fetch = await Fetch(server);
            Assert.False(fetch.Succeeded);
            Assert.Equal(code, fetch.HttpStatus);
            Assert.Contains("redirects are not followed", fetch.Problem);
            Assert.Contains("evil.example", fetch.Problem);
        }

        [Fact]
        public async Task Ten_megabytes_announced_are_refused_unread()
        {
            using var server = new PolicyServer(async ssl =>
            {
                await Send(ssl, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 10485760\r\n\r\n");
                var block = new byte[64 * 1024];
                for (int i = 0; i < 160; i++) await ssl.WriteAsync(block);
            });
            MtaStsFetch fetch = await Fetch(server);
            Assert.False(fetch.Succeeded);
            Assert.Contains("10485760 bytes, over the 64 KiB limit", fetch.Problem);
            Assert.Null(fetch.Body);
        }

        [Fact]
        public async Task Ten_megabytes_without_a_length_stop_at_64_kib()
        {
            using var server = new PolicyServer(async ssl =>
            {
                await Send(ssl, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n");
                var block = Encoding.ASCII.GetBytes(new string('m', 16 * 1024));
                for (int i = 0; i < 640; i++) await ssl.WriteAsync(block);
            });
            MtaStsFetch fetch = await Fetch(server);
            Assert.False(fetch.Succeeded);
            Assert.Contains("larger than the 64 KiB limit", fetch.Problem);
        }

        [Fact]
        public async Task Ten_megabytes_in_chunks_stop_at_64_kib()
        {
            using var server = new PolicyServer(async ssl =>
            {
                await Send(ssl, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n");
                string chunk = $"{16 * 1024:x}\r\n{new string('m', 16 * 1024)}\r\n";
                for (int i = 0; i < 640; i++) await Send(ssl, chunk);
            });
            MtaStsFetch fetch = await Fetch(server);
            Assert.False(fetch.Succeeded);
            Assert.Contains("64 KiB", fetch.Problem);
        }

        [Fact]
        public async Task A_server_that_stalls_after_the_headers_times_out()
        {
            using var release = new SemaphoreSlim(0);
            using var server = new PolicyServer(async ssl =>
            {
                await Send(ssl, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 100\r\n\r\nversion: STSv1\r\n");
                await release.WaitAsync(TimeSpan.FromSeconds(30));
            });
            MtaStsFetch fetch = await Fetch(server, timeoutSeconds: 1);
            release.Release();
            Assert.False(fetch.Succeeded);
            Assert.Contains("Timed out after 1 s waiting for the policy body", fetch.Problem);
        }

        [Fact]
        public async Task The_wrong_media_type_is_refused()
        {
            using var server = new PolicyServer(ssl => Send(ssl, $"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {Policy.Length}\r\n\r\n{Policy}"));
            MtaStsFetch fetch = await Fetch(server);
            Assert.False(fetch.Succeeded);
            Assert.Contains("not text/plain", fetch.Problem);
        }

        [Fact]
        public async Task An_untrusted_certificate_stops_the_fetch_before_any_request()
        {
            using var server = new PolicyServer(ssl => Send(ssl, $"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {Policy.Length}\r\n\r\n{Policy}"));
            MtaStsFetch fetch = await Fetch(server, trustCa: false);
            Assert.False(fetch.Succeeded);
            Assert.False(fetch.CertificateValid);
            Assert.Contains("is not valid, so the policy is not fetched", fetch.Problem);
            await Task.WhenAny(server.Served, Task.Delay(HangGuard));
            Assert.Null(server.Request);
        }

        [Fact]
        public async Task A_certificate_for_another_name_stops_the_fetch()
        {
            var other = TestCertificates.ForServer(TestCertificates.CreateLeaf("www.hostile.test", Ca));
            using var server = new PolicyServer(ssl => Send(ssl, "HTTP/1.1 200 OK\r\n\r\n"), other);
            MtaStsFetch fetch = await Fetch(server);
            Assert.False(fetch.Succeeded);
            Assert.Contains("mta-sts.hostile.test", fetch.CertificateError);
        }

        [Fact]
        public async Task A_404_is_no_policy()
        {
            using var server = new PolicyServer(ssl => Send(ssl, "HTTP/1.1 404 Not Found\r\nContent-Type: text/html\r\nContent-Length: 9\r\n\r\nnot found"));
            MtaStsFetch fetch = await Fetch(server);
            Assert.False(fetch.Succeeded);
            Assert.Equal(404, fetch.HttpStatus);
            Assert.Contains("HTTP 404, not 200", fetch.Problem);
        }

        [Fact]
        public async Task Nothing_listening_is_unreachable()
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            int port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            var fetcher = new MtaStsPolicyFetcher(_ => Task.FromResult(new[] { IPAddress.Loopback })) { Port = port };
            MtaStsFetch fetch = await fetcher.FetchAsync(Host, TimeSpan.FromSeconds(2), new X509Certificate2Collection(), CancellationToken.None);
            Assert.False(fetch.Succeeded);
            Assert.Contains("could not be reached", fetch.Problem);
        }
    }
}
