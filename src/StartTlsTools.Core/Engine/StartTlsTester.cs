using System;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using StartTlsTools.Protocols;
using StartTlsTools.Tls;
using StartTlsTools.Transport;

namespace StartTlsTools
{
    /// <summary>
    /// Runs one STARTTLS (or implicit-TLS) test. Never throws for anything a server does: every failure
    /// ends up as a Status and a Reason on the result. Only invalid options (a caller bug) throw.
    /// </summary>
    public sealed class StartTlsTester
    {
        /// <summary>Saying goodbye must not hold up a result that is already complete.</summary>
        private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(2);
        private readonly Func<string, Task<IPAddress[]>> _lookup;

        /// <param name="lookup">Name resolution; the system resolver unless a test supplies its own.</param>
        public StartTlsTester(Func<string, Task<IPAddress[]>>? lookup = null)
        {
            _lookup = lookup ?? NetworkConnector.SystemLookup;
        }

        public Task<StartTlsResult> TestAsync(StartTlsTestOptions options, CancellationToken cancel = default) =>
            TestAsync(options, null, cancel);

        /// <summary>
        /// Runs the test and then, on the still open connection and before the goodbye, <paramref name="beforeClose"/>
        /// (e.g. SMTP AUTH). It is called when TLS is up, and also when the plaintext phase stopped because STARTTLS was
        /// not offered or was refused; it decides itself whether to go on. Its server-caused exceptions become the
        /// result's Status like the engine's own.
        /// </summary>
        public async Task<StartTlsResult> TestAsync(StartTlsTestOptions options, Func<OpenSession, Task>? beforeClose, CancellationToken cancel = default)
        {
            var problems = options.Validate();
            if (problems.Count > 0) throw new ArgumentException(string.Join(" ", problems), nameof(options));

            var clock = Stopwatch.StartNew();
            var transcript = new TranscriptRecorder(clock);
            IStartTlsDialect dialect = ProtocolRegistry.Get(options.Protocol);
            string host = HostNameRules.Normalize(options.HostName);
            var context = new DialectContext(host, options.EhloName ?? LocalHelloName(),
                options.XmppDomain == null ? null : HostNameRules.Normalize(options.XmppDomain));
            var result = new StartTlsResult
            {
                HostName = options.HostName,
                Port = options.EffectivePort,
                Protocol = options.Protocol,
                ImplicitTls = options.ImplicitTls,
                StartedAt = DateTimeOffset.UtcNow,
                Status = StartTlsStatus.ProtocolError,
            };

            ProtocolSession? session = null;
            try
            {
                IPAddress[] addresses = await NetworkConnector.ResolveAsync(options.HostName, _lookup, options.Timeout, cancel).ConfigureAwait(false);
                Socket socket = await NetworkConnector.ConnectAsync(addresses, result.Port, options.Timeout, cancel).ConfigureAwait(false);
                result.ConnectMs = clock.Elapsed.TotalMilliseconds;
                result.IPAddress = ((IPEndPoint)socket.RemoteEndPoint!).Address.ToString();
                session = ProtocolSession.OverSocket(socket, options.Timeout, cancel, transcript);

                var open = new OpenSession(session, context, result, clock, beforeClose);
                if (options.ImplicitTls) await RunImplicitAsync(open, dialect, options).ConfigureAwait(false);
                else await RunStartTlsAsync(open, dialect, options).ConfigureAwait(false);
            }
            catch (Exception ex) when (FailureClassifier.TryClassify(ex, cancel, out StartTlsStatus status, out string reason))
            {
                Fail(result, status, reason);
            }
            finally
            {
                session?.Dispose();
                if (session != null)
                {
                    result.PlaintextBytesSent = session.PlainBytesSent;
                    result.PlaintextBytesReceived = session.PlainBytesReceived;
                    result.PlaintextRoundTrips = session.PlainRoundTrips;
                }
                result.TotalMs = clock.Elapsed.TotalMilliseconds;
                if (options.IncludeTranscript) result.Transcript = transcript.ToString();
                result.Findings = FindingAnalyzer.Analyze(result, new FindingOptions { ExpiryWarningDays = options.ExpiryWarningDays });
            }
            return result;
        }

        private static async Task RunStartTlsAsync(OpenSession open, IStartTlsDialect dialect, StartTlsTestOptions options)
        {
            ProtocolSession session = open.Session;
            DialectContext context = open.Context;
            StartTlsResult result = open.Result;
            Stopwatch clock = open.Clock;
            PlainPhaseOutcome plain = await dialect.NegotiateStartTlsAsync(session, context).ConfigureAwait(false);
            result.GreetingMs = FirstServerLineMs(session);
            result.Banner = plain.Banner;
            result.CapabilitiesBeforeTls = Join(plain.Capabilities);
            result.StartTlsOffered = plain.StartTlsOffered;
            result.StartTlsReply = plain.StartTlsReply;
            open.CapabilitiesBeforeTls = plain.Capabilities;
            if (plain.StopStatus is StartTlsStatus stop)
            {
                Fail(result, stop, plain.StopReason ?? stop.ToString());
                if (stop == StartTlsStatus.NotOffered || stop == StartTlsStatus.Refused) await open.RunFollowUpAsync().ConfigureAwait(false);
                await CloseQuietlyAsync(session, dialect, context).ConfigureAwait(false);
                return;
            }

            result.PlaintextBytesDiscardedAtUpgrade = session.DiscardBufferedPlaintext();
            await HandshakeAsync(session, context, result, clock, options).ConfigureAwait(false);
            TlsPhaseOutcome secure = await dialect.ReadCapabilitiesOverTlsAsync(session, context, implicitTls: false).ConfigureAwait(false);
            FinishOverTls(result, secure, "STARTTLS upgraded the connection to TLS.");
            open.CapabilitiesAfterTls = secure.Capabilities;
            if (result.Status == StartTlsStatus.Success) await open.RunFollowUpAsync().ConfigureAwait(false);
            await CloseQuietlyAsync(session, dialect, context).ConfigureAwait(false);
        }

        private static async Task RunImplicitAsync(OpenSession open, IStartTlsDialect dialect, StartTlsTestOptions options)
        {
            ProtocolSession session = open.Session;
            DialectContext context = open.Context;
            StartTlsResult result = open.Result;
            Stopwatch clock = open.Clock;
            await HandshakeAsync(session, context, result, clock, options).ConfigureAwait(false);
            TlsPhaseOutcome secure = await dialect.ReadCapabilitiesOverTlsAsync(session, context, implicitTls: true).ConfigureAwait(false);
            result.GreetingMs = FirstServerLineMs(session);
            result.Banner = secure.Banner;
            FinishOverTls(result, secure, "Implicit TLS established.");
            open.CapabilitiesAfterTls = secure.Capabilities;
            if (result.Status == StartTlsStatus.Success) await open.RunFollowUpAsync().ConfigureAwait(false);
            await CloseQuietlyAsync(session, dialect, context).ConfigureAwait(false);
        }

        private static async Task HandshakeAsync(ProtocolSession session, DialectContext context, StartTlsResult result, Stopwatch clock, StartTlsTestOptions options)
        {
            await session.UpgradeToTlsAsync(context.HostName, "the TLS handshake").ConfigureAwait(false);
            result.TimeToSecureChannelMs = clock.Elapsed.TotalMilliseconds;
            result.TlsEstablished = true;
            var ssl = session.TlsStream!;
            result.TlsVersion = NegotiatedTls.Version(ssl.SslProtocol);
            result.CipherSuite = NegotiatedTls.CipherSuiteName(ssl);
            result.PresentedCertificates = session.PresentedChain;
            if (session.PeerCertificate != null)
                CertificateInspector.Inspect(session.PeerCertificate, session.PeerChain, options.TrustedRoots, context.HostName, DateTime.UtcNow, result);
            else
            {
                result.CertificateValid = false;
                result.CertificateError = "The server presented no certificate.";
            }
        }

        private static void FinishOverTls(StartTlsResult result, TlsPhaseOutcome secure, string successReason)
        {
            result.CapabilitiesAfterTls = Join(secure.Capabilities);
            if (secure.Problem != null)
            {
                Fail(result, StartTlsStatus.ProtocolError, secure.Problem);
                return;
            }
            result.Status = StartTlsStatus.Success;
            result.Reason = result.CertificateValid == true
                ? successReason
                : successReason + " The certificate is not valid: " + result.CertificateError;
        }

        private static async Task CloseQuietlyAsync(ProtocolSession session, IStartTlsDialect dialect, DialectContext context)
        {
            try
            {
                var close = dialect.CloseAsync(session, context);
                if (await Task.WhenAny(close, Task.Delay(CloseTimeout)).ConfigureAwait(false) == close) await close.ConfigureAwait(false);
            }
            catch (Exception ex) when (!(ex is OperationCanceledException))
            {
                // The result is complete; a server that drops us at QUIT changes nothing in it.
            }
        }

        private static void Fail(StartTlsResult result, StartTlsStatus status, string reason)
        {
            result.Status = status;
            result.Reason = reason;
        }

        private static double? FirstServerLineMs(ProtocolSession session)
        {
            foreach (var entry in session.Transcript.Entries)
                if (entry.Direction == TranscriptDirection.Server) return entry.Elapsed.TotalMilliseconds;
            return null;
        }

        private static string? Join(System.Collections.Generic.IReadOnlyList<string> items) =>
            items.Count == 0 ? null : string.Join(StartTlsResult.ListSeparator, items);

        /// <summary>This machine's fully qualified name, the polite default for EHLO.</summary>
        public static string LocalHelloName()
        {
            try
            {
                var props = System.Net.NetworkInformation.IPGlobalProperties.GetIPGlobalProperties();
                string fqdn = string.IsNullOrEmpty(props.DomainName) ? props.HostName : props.HostName + "." + props.DomainName;
                if (HostNameRules.Check(fqdn) == null) return fqdn;
            }
            catch (Exception ex) when (ex is System.Net.NetworkInformation.NetworkInformationException || ex is PlatformNotSupportedException)
            {
                // Fall through to the machine name.
            }
            string machine = Environment.MachineName;
            return HostNameRules.Check(machine) == null ? machine : "localhost";
        }
    }
}
