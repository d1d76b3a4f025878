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
        private readonly HostConnectionLimiter _limiter;

        /// <param name="lookup">Name resolution; the system resolver unless a test supplies its own.</param>
        /// <param name="limiter">The per-host cap every connection (the test's and the enforcement probe's) goes through; the process-wide one by default.</param>
        public StartTlsTester(Func<string, Task<IPAddress[]>>? lookup = null, HostConnectionLimiter? limiter = null)
        {
            _lookup = lookup ?? NetworkConnector.SystemLookup;
            _limiter = limiter ?? HostConnectionLimiter.Shared;
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
            var context = new DialectContext(host, options.EhloName ?? HostNameRules.LocalHelloName(),
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
            OpenSession? open = null;
            IPAddress? localAddress = null;
            try
            {
                IPAddress[] addresses = await NetworkConnector.ResolveAsync(options.HostName, _lookup, options.Timeout, cancel).ConfigureAwait(false);
                (Socket socket, IDisposable slot) = await NetworkConnector.ConnectAsync(addresses, result.Port, options.Timeout, _limiter, _limiter.MaxPerHost, cancel).ConfigureAwait(false);
                session = ProtocolSession.OverSocket(socket, options.Timeout, cancel, transcript, options.GreetingTimeout);
                session.ReleaseOnDispose(slot);
                result.ConnectMs = clock.Elapsed.TotalMilliseconds;
                result.IPAddress = ((IPEndPoint)socket.RemoteEndPoint!).Address.ToString();
                localAddress = ((IPEndPoint)socket.LocalEndPoint!).Address;

                open = new OpenSession(session, context, result, clock, beforeClose);
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
            }

            // After the main connection is closed: what the plaintext phase showed, then (only when asked) the probe.
            PlainPhaseOutcome? plain = open?.Plain;
            if (!options.ImplicitTls) InterferenceDetector.Record(result, plain, dialect.Rules, session);
            if (localAddress != null && !options.ImplicitTls) result.EchoedClientAddress = ClientAddressEcho.Find(transcript.Entries, localAddress);
            BannerInfo banner = BannerInfo.Parse(result.Banner);
            result.BannerHostName = banner.HostName;
            result.BannerSoftware = banner.SoftwareName;
            result.BannerSoftwareVersion = banner.SoftwareVersion;
            EnforcementVerdict enforcement = await EnforcementAsync(options, dialect, context, result, plain, transcript, cancel).ConfigureAwait(false);
            result.TlsRequired = enforcement.Required;
            result.TlsRequiredEvidence = enforcement.Evidence;

            result.TotalMs = clock.Elapsed.TotalMilliseconds;
            if (options.IncludeTranscript) result.Transcript = transcript.ToString();
            ServerText.MakeInert(result);
            result.Findings = FindingAnalyzer.Analyze(result, new FindingOptions { ExpiryWarningDays = options.ExpiryWarningDays });
            return result;
        }

        /// <summary>
        /// Enforced or opportunistic: from the protocol's own dialogue where it shows it (IMAP LOGINDISABLED, XMPP
        /// &lt;required/&gt;, LDAP confidentialityRequired), else from the dialect's harmless probe on a second plaintext
        /// connection when the caller asked for it. Never throws for anything a server does.
        /// </summary>
        private async Task<EnforcementVerdict> EnforcementAsync(StartTlsTestOptions options, IStartTlsDialect dialect, DialectContext context,
            StartTlsResult result, PlainPhaseOutcome? plain, TranscriptRecorder transcript, CancellationToken cancel)
        {
            if (options.ImplicitTls)
                return result.TlsEstablished
                    ? EnforcementVerdict.Enforced("Implicit TLS: nothing but the TLS handshake crosses this port in plaintext.")
                    : EnforcementVerdict.Unknown($"Not learned: the test ended with {result.Status}.");
            if (plain == null)
                return EnforcementVerdict.Unknown($"Not learned: the test ended with {result.Status} before the plaintext dialogue finished.");
            if (plain.StopStatus == StartTlsStatus.Unavailable)
                return EnforcementVerdict.Unknown("Not learned: the server turned the session away.");
            if (plain.Enforcement != null) return plain.Enforcement;
            if (plain.StopStatus == StartTlsStatus.NotOffered && result.Interference == StartTlsInterference.None)
                return EnforcementVerdict.Opportunistic("STARTTLS is not offered: everything on this connection travels in plaintext.");
            if (dialect.EnforcementUnknowable != null) return EnforcementVerdict.Unknown(dialect.EnforcementUnknowable);
            if (dialect.EnforcementProbe == null)
                return EnforcementVerdict.Unknown($"The {options.Protocol} dialogue did not show it, and {options.Protocol} has no harmless probe for it.");
            if (!options.CheckEnforcement)
                return EnforcementVerdict.Unknown($"Not checked: -CheckEnforcement (CLI: --check-enforcement) learns it on a second plaintext connection: {dialect.EnforcementProbe}.");
            if (cancel.IsCancellationRequested || result.IPAddress == null)
                return EnforcementVerdict.Unknown("Not checked: the test was cancelled.");
            return await ProbeEnforcementAsync(options, dialect, context, IPAddress.Parse(result.IPAddress), result.Port, transcript, cancel).ConfigureAwait(false);
        }

        /// <summary>The dialect's probe on its own plaintext connection, through the per-host limiter, goodbye included.</summary>
        private async Task<EnforcementVerdict> ProbeEnforcementAsync(StartTlsTestOptions options, IStartTlsDialect dialect, DialectContext context,
            IPAddress address, int port, TranscriptRecorder transcript, CancellationToken cancel)
        {
            transcript.Add(TranscriptDirection.Client, TranscriptPhase.Plain, $"(second connection, the enforcement probe: {dialect.EnforcementProbe})");
            try
            {
                using (await _limiter.AcquireAsync(address.ToString(), cancel).ConfigureAwait(false))
                {
                    Socket socket = await NetworkConnector.ConnectAsync(new[] { address }, port, options.Timeout, cancel).ConfigureAwait(false);
                    using (var session = ProtocolSession.OverSocket(socket, options.Timeout, cancel, transcript, options.GreetingTimeout))
                    {
                        EnforcementVerdict verdict = await dialect.ProbeEnforcementAsync(session, context).ConfigureAwait(false);
                        await CloseQuietlyAsync(session, dialect, context).ConfigureAwait(false);
                        return verdict;
                    }
                }
            }
            catch (Exception ex) when (FailureClassifier.TryClassify(ex, cancel, out StartTlsStatus status, out string reason))
            {
                return EnforcementVerdict.Unknown($"The enforcement probe ended with {status}: {reason}");
            }
        }

        private static async Task RunStartTlsAsync(OpenSession open, IStartTlsDialect dialect, StartTlsTestOptions options)
        {
            ProtocolSession session = open.Session;
            DialectContext context = open.Context;
            StartTlsResult result = open.Result;
            Stopwatch clock = open.Clock;
            PlainPhaseOutcome plain = await dialect.NegotiateStartTlsAsync(session, context).ConfigureAwait(false);
            open.Plain = plain;
            result.GreetingMs = FirstServerLineMs(session);
            result.Banner = plain.Banner;
            result.CapabilitiesBeforeTls = ToList(plain.Capabilities);
            // Turned away before any capability was read: whether STARTTLS is offered was never learned.
            result.StartTlsOffered = plain.StopStatus == StartTlsStatus.Unavailable && !plain.StartTlsOffered && plain.Capabilities.Count == 0
                ? (bool?)null
                : plain.StartTlsOffered;
            result.StartTlsReply = plain.StartTlsReply;
            result.UnavailableKind = plain.Unavailable;
            result.BlockList = plain.BlockList;
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
            result.CapabilitiesAfterTls = ToList(secure.Capabilities);
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

        /// <summary>Null when the server listed nothing, as before any list was read.</summary>
        private static TextList? ToList(System.Collections.Generic.IReadOnlyList<string> items) =>
            items.Count == 0 ? null : new TextList(items);
    }
}
