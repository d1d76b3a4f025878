using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using StartTlsTools.Transport;

namespace StartTlsTools.MailDomain
{
    /// <summary>What one policy fetch gave: the body, or why there is none.</summary>
    public sealed class MtaStsFetch
    {
        public string Url { get; set; } = "";
        public bool Succeeded { get; set; }
        /// <summary>Why the fetch failed, in one sentence; empty on success.</summary>
        public string Problem { get; set; } = "";
        public int? HttpStatus { get; set; }
        public string? ContentType { get; set; }
        public string? Location { get; set; }
        public string? Body { get; set; }
        public int BodyBytes { get; set; }
        public string? IPAddress { get; set; }
        public bool? CertificateValid { get; set; }
        public string? CertificateError { get; set; }
        public double Ms { get; set; }
    }

    /// <summary>
    /// The MTA-STS policy fetch of RFC 8461 section 3.3, on the engine's own resolver, socket and SslStream rather
    /// than an HTTP library: so that -DnsServer resolves the policy host, every step has the timeout and honours
    /// cancellation, and the bounds are ours. HTTPS GET of /.well-known/mta-sts.txt on port 443; the certificate must
    /// validate with PKIX for mta-sts.&lt;domain&gt; (OS store plus the user's roots) before the request is sent;
    /// redirects are not followed; only 200 counts; the body is at most 64 KiB.
    /// </summary>
    public sealed class MtaStsPolicyFetcher
    {
        public const string WellKnownPath = "/.well-known/mta-sts.txt";
        private const int MaxHeaderLines = 100;
        private readonly Func<string, Task<IPAddress[]>> _lookup;

        public MtaStsPolicyFetcher(Func<string, Task<IPAddress[]>>? lookup = null)
        {
            _lookup = lookup ?? NetworkConnector.SystemLookup;
        }

        /// <summary>For tests against a fake server: the port to connect to (443 for everyone else).</summary>
        internal int Port { get; set; } = 443;

        public async Task<MtaStsFetch> FetchAsync(string policyHost, TimeSpan timeout, X509Certificate2Collection trustedRoots, CancellationToken cancel)
        {
            var clock = Stopwatch.StartNew();
            var fetch = new MtaStsFetch { Url = "https://" + policyHost + (Port == 443 ? "" : ":" + Port.ToString(CultureInfo.InvariantCulture)) + WellKnownPath };
            // The whole fetch, not only each step, is bounded: a server that drips one byte per step cannot hold us.
            using (var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancel))
            {
                deadline.CancelAfter(TimeSpan.FromTicks(timeout.Ticks * 3));
                ProtocolSession? session = null;
                try
                {
                    IPAddress[] addresses = await NetworkConnector.ResolveAsync(policyHost, _lookup, timeout, deadline.Token).ConfigureAwait(false);
                    Socket socket = await NetworkConnector.ConnectAsync(addresses, Port, timeout, deadline.Token).ConfigureAwait(false);
                    fetch.IPAddress = ((IPEndPoint)socket.RemoteEndPoint!).Address.ToString();
                    session = ProtocolSession.OverSocket(socket, timeout, deadline.Token, new TranscriptRecorder(clock));
                    await session.UpgradeToTlsAsync(policyHost, "the TLS handshake with the policy host").ConfigureAwait(false);

                    var check = new StartTlsResult();
                    if (session.PeerCertificate == null) { check.CertificateValid = false; check.CertificateError = "The policy host presented no certificate."; }
                    else Tls.CertificateInspector.Inspect(session.PeerCertificate, session.PeerChain, trustedRoots, policyHost, DateTime.UtcNow, check);
                    fetch.CertificateValid = check.CertificateValid;
                    fetch.CertificateError = check.CertificateError;
                    if (check.CertificateValid != true)
                        return Fail(fetch, $"The certificate of {policyHost} is not valid, so the policy is not fetched (RFC 8461 section 3.3): {check.CertificateError}");

                    string request = "GET " + WellKnownPath + " HTTP/1.1\r\nHost: " + policyHost + "\r\nUser-Agent: StartTlsTools\r\nAccept: text/plain\r\nConnection: close\r\n\r\n";
                    await session.WriteAsync(Encoding.ASCII.GetBytes(request), "the policy request", "GET " + WellKnownPath).ConfigureAwait(false);
                    await ReadResponseAsync(session, fetch).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancel.IsCancellationRequested && deadline.IsCancellationRequested)
                {
                    Fail(fetch, $"The policy fetch from {policyHost} took longer than {timeout.TotalSeconds * 3:0.#} s in all.");
                }
                catch (Exception ex) when (FailureClassifier.TryClassify(ex, cancel, out StartTlsStatus status, out string reason))
                {
                    if (status == StartTlsStatus.Cancelled) throw new OperationCanceledException(cancel);
                    Fail(fetch, $"The policy host {policyHost} could not be reached: {reason}");
                }
                finally
                {
                    session?.Dispose();
                    fetch.Ms = clock.Elapsed.TotalMilliseconds;
                }
            }
            return fetch;
        }

        private static MtaStsFetch Fail(MtaStsFetch fetch, string problem)
        {
            fetch.Succeeded = false;
            fetch.Problem = problem;
            return fetch;
        }

        private static async Task ReadResponseAsync(ProtocolSession session, MtaStsFetch fetch)
        {
            string statusLine = await session.ReadLineAsync("the policy response").ConfigureAwait(false);
            string[] parts = statusLine.Split(new[] { ' ' }, 3);
            if (parts.Length < 2 || !parts[0].StartsWith("HTTP/1.", StringComparison.Ordinal) || parts[1].Length != 3 ||
                !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int code))
                throw new StartTlsProtocolException("The policy host did not answer with an HTTP/1.x status line.");
            fetch.HttpStatus = code;

            long? contentLength = null;
            bool chunked = false;
            for (int n = 0; ; n++)
            {
                if (n >= MaxHeaderLines) throw new StartTlsProtocolException($"The policy response has more than {MaxHeaderLines} header lines.");
                string header = await session.ReadLineAsync("the policy response headers").ConfigureAwait(false);
                if (header.Length == 0) break;
                int colon = header.IndexOf(':');
                if (colon <= 0) continue;
                string name = header.Substring(0, colon).Trim();
                string value = header.Substring(colon + 1).Trim();
                if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase)) fetch.ContentType = value;
                else if (name.Equals("Location", StringComparison.OrdinalIgnoreCase)) fetch.Location = value;
                else if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase)) chunked = value.IndexOf("chunked", StringComparison.OrdinalIgnoreCase) >= 0;
                else if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase) &&
                         long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out long length)) contentLength = length;
            }

            if (code >= 300 && code < 400)
            {
                Fail(fetch, $"The policy host answered HTTP {code} (a redirect{(fetch.Location != null ? " to " + Cut(fetch.Location) : "")}), and redirects are not followed (RFC 8461 section 3.3).");
                return;
            }
            if (code != 200)
            {
                Fail(fetch, $"The policy host answered HTTP {code}, not 200: there is no policy at {fetch.Url}.");
                return;
            }
            if (contentLength > MtaStsPolicy.MaxBytes)
            {
                Fail(fetch, $"The policy is {contentLength} bytes, over the 64 KiB limit (RFC 8461 section 3.3); it was not read.");
                return;
            }

            byte[]? body = chunked ? await ReadChunkedAsync(session).ConfigureAwait(false) : await ReadBodyAsync(session, contentLength).ConfigureAwait(false);
            if (body == null)
            {
                Fail(fetch, "The policy is larger than the 64 KiB limit (RFC 8461 section 3.3); reading stopped there.");
                return;
            }
            fetch.BodyBytes = body.Length;
            fetch.Body = new UTF8Encoding(false, false).GetString(body);
            string mediaType = (fetch.ContentType ?? "").Split(';')[0].Trim();
            if (!mediaType.Equals("text/plain", StringComparison.OrdinalIgnoreCase))
            {
                Fail(fetch, $"The policy's media type is '{Cut(fetch.ContentType ?? "none")}', not text/plain (RFC 8461 section 3.2).");
                return;
            }
            fetch.Succeeded = true;
        }

        /// <summary>The body by Content-Length, or up to the close; null past 64 KiB.</summary>
        private static async Task<byte[]?> ReadBodyAsync(ProtocolSession session, long? contentLength)
        {
            var body = new MemoryStream();
            while (contentLength == null || body.Length < contentLength)
            {
                byte[] piece;
                try
                {
                    piece = contentLength is long total
                        ? await session.ReadBytesAsync((int)Math.Min(total - body.Length, session.MaxLineLength), "the policy body").ConfigureAwait(false)
                        : await session.ReadAvailableAsync("the policy body").ConfigureAwait(false);
                }
                catch (ConnectionClosedException) when (contentLength == null)
                {
                    break;   // no length: the body ends where the connection does
                }
                body.Write(piece, 0, piece.Length);
                if (body.Length > MtaStsPolicy.MaxBytes) return null;
            }
            return body.ToArray();
        }

        private static async Task<byte[]?> ReadChunkedAsync(ProtocolSession session)
        {
            var body = new MemoryStream();
            while (true)
            {
                string sizeLine = (await session.ReadLineAsync("a policy chunk size").ConfigureAwait(false)).Split(';')[0].Trim();
                if (sizeLine.Length == 0 || sizeLine.Length > 8 || !int.TryParse(sizeLine, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int size) || size < 0)
                    throw new StartTlsProtocolException("The policy response has a malformed chunk size.");
                if (size == 0) return body.ToArray();
                if (body.Length + size > MtaStsPolicy.MaxBytes) return null;
                for (int left = size; left > 0;)
                {
                    byte[] piece = await session.ReadBytesAsync(Math.Min(left, session.MaxLineLength), "a policy chunk").ConfigureAwait(false);
                    body.Write(piece, 0, piece.Length);
                    left -= piece.Length;
                }
                await session.ReadLineAsync("a policy chunk end").ConfigureAwait(false);
            }
        }

        private static string Cut(string value) => value.Length > 80 ? value.Substring(0, 80) + "..." : value;
    }
}
