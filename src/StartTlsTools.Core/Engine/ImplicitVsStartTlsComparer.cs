using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;

namespace StartTlsTools
{
    /// <summary>
    /// Measures one service on its STARTTLS and implicit-TLS ports with the engine's own test, N samples per side,
    /// one connection at a time (alternating sides, and which side goes first, so that drift hits both alike). A side stops sampling at its
    /// first failure: repeating a refused connection teaches nothing and is not polite.
    /// </summary>
    public sealed class ImplicitVsStartTlsComparer
    {
        private readonly StartTlsTester _tester;

        /// <param name="lookup">Name resolution; the system resolver unless a test supplies its own.</param>
        public ImplicitVsStartTlsComparer(Func<string, Task<IPAddress[]>>? lookup = null)
        {
            _tester = new StartTlsTester(lookup);
        }

        public async Task<ImplicitVsStartTlsComparison> CompareAsync(ImplicitVsStartTlsOptions options, CancellationToken cancel = default)
        {
            var problems = options.Validate();
            if (problems.Count > 0) throw new ArgumentException(string.Join(" ", problems), nameof(options));

            var clock = Stopwatch.StartNew();
            var startTls = new Side(options.SideOptions(false));
            var implicitTls = new Side(options.SideOptions(true));
            var comparison = new ImplicitVsStartTlsComparison
            {
                HostName = options.HostName,
                Protocol = options.Protocol,
                Samples = options.Samples,
                StartedAt = DateTimeOffset.UtcNow,
                StartTlsPort = startTls.Options.EffectivePort,
                ImplicitPort = implicitTls.Options.EffectivePort,
            };

            for (int i = 0; i < options.Samples && !cancel.IsCancellationRequested; i++)
            {
                // Alternate which side goes first, so that neither always pays the process's one-time TLS start-up
                // cost (the first sample's max) or always follows the other's connection.
                foreach (var side in i % 2 == 0 ? new[] { startTls, implicitTls } : new[] { implicitTls, startTls })
                {
                    if (side.Stopped) continue;
                    StartTlsResult sample = await _tester.TestAsync(side.Options, cancel).ConfigureAwait(false);
                    side.Add(sample);
                }
                if (startTls.Stopped && implicitTls.Stopped) break;
            }

            FillStartTls(comparison, startTls);
            FillImplicit(comparison, implicitTls);
            if (startTls.Reachable && implicitTls.Reachable)
            {
                comparison.SameCertificate = string.Equals(startTls.First!.CertificateThumbprint, implicitTls.First!.CertificateThumbprint, StringComparison.OrdinalIgnoreCase)
                    && startTls.First.CertificateThumbprint != null;
                comparison.SameTlsVersion = startTls.First.TlsVersion == implicitTls.First.TlsVersion;
                comparison.SameCipherSuite = string.Equals(startTls.First.CipherSuite, implicitTls.First.CipherSuite, StringComparison.Ordinal);
            }
            comparison.Recommendation = Recommend(comparison);
            comparison.TotalMs = clock.Elapsed.TotalMilliseconds;
            return ServerText.MakeInert(comparison);
        }

        private sealed class Side
        {
            public Side(StartTlsTestOptions options) => Options = options;

            public StartTlsTestOptions Options { get; }
            public List<StartTlsResult> Successes { get; } = new List<StartTlsResult>();
            public StartTlsResult? Failure { get; private set; }
            public bool Stopped => Failure != null;
            public bool Reachable => Successes.Count > 0;
            /// <summary>The sample whose details the comparison reports: the first success, else the failure.</summary>
            public StartTlsResult? First => Successes.Count > 0 ? Successes[0] : Failure;

            public void Add(StartTlsResult sample)
            {
                if (sample.Status == StartTlsStatus.Success && sample.TimeToSecureChannelMs != null) Successes.Add(sample);
                else Failure = sample;
            }

            public double?[] Timings()
            {
                var times = Successes.Select(s => s.TimeToSecureChannelMs!.Value).OrderBy(t => t).ToArray();
                if (times.Length == 0) return new double?[] { null, null, null };
                double median = times.Length % 2 == 1 ? times[times.Length / 2] : (times[times.Length / 2 - 1] + times[times.Length / 2]) / 2;
                return new double?[] { median, times[0], times[times.Length - 1] };
            }
        }

        /// <summary>Exposure is what crossed the wire before TLS: nothing at all with implicit TLS.</summary>
        private static (string? Banner, BannerInfo Info, TextList? Capabilities) Exposure(StartTlsResult? sample)
        {
            if (sample == null || sample.ImplicitTls || sample.PlaintextBytesReceived == 0) return (null, BannerInfo.Parse(null), null);
            return (sample.Banner, BannerInfo.Parse(sample.Banner), sample.CapabilitiesBeforeTls);
        }

        private static void FillStartTls(ImplicitVsStartTlsComparison c, Side side)
        {
            var s = side.First;
            var times = side.Timings();
            var exposed = Exposure(s);
            c.StartTlsReachable = side.Reachable;
            c.StartTlsStatus = side.Reachable ? StartTlsStatus.Success : s?.Status ?? StartTlsStatus.Cancelled;
            c.StartTlsReason = side.Reachable ? s!.Reason : s?.Reason ?? "The comparison was cancelled.";
            c.StartTlsSuccessfulSamples = side.Successes.Count;
            c.StartTlsMedianMs = times[0]; c.StartTlsMinMs = times[1]; c.StartTlsMaxMs = times[2];
            c.StartTlsRoundTrips = s?.PlaintextRoundTrips;
            c.StartTlsPlaintextBytesSent = s?.PlaintextBytesSent;
            c.StartTlsPlaintextBytesReceived = s?.PlaintextBytesReceived;
            c.StartTlsExposedBanner = exposed.Banner;
            c.StartTlsExposedHostName = exposed.Info.HostName;
            c.StartTlsExposedSoftware = exposed.Info.SoftwareName;
            c.StartTlsExposedVersion = exposed.Info.SoftwareVersion;
            c.StartTlsExposedCapabilities = exposed.Capabilities;
            c.StartTlsTlsVersion = s?.TlsVersion ?? TlsProtocolVersion.None;
            c.StartTlsCipherSuite = s?.CipherSuite;
            c.StartTlsCertificateThumbprint = s?.CertificateThumbprint;
            c.StartTlsCertificateValid = s?.CertificateValid;
            c.StartTlsCertificateError = s?.CertificateError;
            c.StartTlsTlsRequired = s?.TlsRequired;
            c.StartTlsTlsRequiredEvidence = s?.TlsRequiredEvidence;
        }

        private static void FillImplicit(ImplicitVsStartTlsComparison c, Side side)
        {
            var s = side.First;
            var times = side.Timings();
            var exposed = Exposure(s);
            c.ImplicitReachable = side.Reachable;
            c.ImplicitStatus = side.Reachable ? StartTlsStatus.Success : s?.Status ?? StartTlsStatus.Cancelled;
            c.ImplicitReason = side.Reachable ? s!.Reason : s?.Reason ?? "The comparison was cancelled.";
            c.ImplicitSuccessfulSamples = side.Successes.Count;
            c.ImplicitMedianMs = times[0]; c.ImplicitMinMs = times[1]; c.ImplicitMaxMs = times[2];
            c.ImplicitRoundTrips = s?.PlaintextRoundTrips;
            c.ImplicitPlaintextBytesSent = s?.PlaintextBytesSent;
            c.ImplicitPlaintextBytesReceived = s?.PlaintextBytesReceived;
            c.ImplicitExposedBanner = exposed.Banner;
            c.ImplicitExposedHostName = exposed.Info.HostName;
            c.ImplicitExposedSoftware = exposed.Info.SoftwareName;
            c.ImplicitExposedVersion = exposed.Info.SoftwareVersion;
            c.ImplicitExposedCapabilities = exposed.Capabilities;
            c.ImplicitTlsVersion = s?.TlsVersion ?? TlsProtocolVersion.None;
            c.ImplicitCipherSuite = s?.CipherSuite;
            c.ImplicitCertificateThumbprint = s?.CertificateThumbprint;
            c.ImplicitCertificateValid = s?.CertificateValid;
            c.ImplicitCertificateError = s?.CertificateError;
            c.ImplicitTlsRequired = s?.TlsRequired;
            c.ImplicitTlsRequiredEvidence = s?.TlsRequiredEvidence;
        }

        /// <summary>RFC 8314 section for the mail protocols it covers; null for the others.</summary>
        private static string? Rfc8314Section(StartTlsProtocol protocol)
        {
            switch (protocol)
            {
                case StartTlsProtocol.Pop3: return "RFC 8314 section 3.1";
                case StartTlsProtocol.Imap: return "RFC 8314 section 3.2";
                case StartTlsProtocol.Submission: return "RFC 8314 section 3.3";
                default: return null;
            }
        }

        /// <summary>What the STARTTLS side's enforcement verdict means for the advice: required, optional, or not known.</summary>
        private static string EnforcementAdvice(ImplicitVsStartTlsComparison c, string startTlsPort)
        {
            switch (c.StartTlsTlsRequired)
            {
                case true:
                    return $"{Capitalized(startTlsPort)} requires TLS before anything sensitive ({c.StartTlsTlsRequiredEvidence?.TrimEnd('.')}), so a stripped STARTTLS makes clients fail rather than talk in plaintext.";
                case false:
                    return c.Protocol == StartTlsProtocol.Smtp
                        ? $"{Capitalized(startTlsPort)} does not require TLS ({c.StartTlsTlsRequiredEvidence?.TrimEnd('.')}), as relay must not; senders that insist on TLS need MTA-STS or DANE."
                        : $"{Capitalized(startTlsPort)} does not require TLS ({c.StartTlsTlsRequiredEvidence?.TrimEnd('.')}): require it there, or a network device that filters out STARTTLS gets plaintext from every client that uses TLS where possible.";
                default:
                    return $"Whether {startTlsPort} requires TLS is not known here: Test-StartTls -CheckEnforcement (CLI: starttls test --check-enforcement) finds out.";
            }
        }

        private static string Capitalized(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text.Substring(1);

        /// <summary>One paragraph a person can act on, from the measured facts only.</summary>
        public static string Recommend(ImplicitVsStartTlsComparison c)
        {
            string? rfc = Rfc8314Section(c.Protocol);
            string implicitPort = $"implicit TLS on port {c.ImplicitPort}";
            string startTlsPort = $"STARTTLS on port {c.StartTlsPort}";
            var parts = new List<string>();

            if (c.StartTlsReachable && c.ImplicitReachable)
            {
                parts.Add(rfc != null
                    ? $"Both work. Prefer {implicitPort}: {rfc} recommends implicit TLS for {c.Protocol}, so that nothing crosses the wire in plaintext."
                    : c.Protocol == StartTlsProtocol.Smtp
                        ? $"Both work. Port {c.StartTlsPort} relay between servers is STARTTLS by design (RFC 8314 covers only submission and access); protect it against stripping with MTA-STS (RFC 8461) or DANE (RFC 7672)."
                        : $"Both work. Prefer {implicitPort}: it exposes nothing in plaintext (RFC 8314's reasoning for mail applies alike).");
                if (c.Protocol != StartTlsProtocol.Smtp)
                    parts.Add($"Keep {startTlsPort} only for old clients, and have them require TLS: a client that falls back when STARTTLS is missing can be stripped by an active attacker.");
                parts.Add(EnforcementAdvice(c, startTlsPort));
                if (c.SameCertificate == false) parts.Add("The two ports present different certificates.");
                if (c.SameTlsVersion == false || c.SameCipherSuite == false) parts.Add("The two ports negotiate different TLS parameters: align their configuration.");
            }
            else if (c.StartTlsReachable)
            {
                parts.Add($"STARTTLS is the only option: {startTlsPort} works but {implicitPort} did not ({c.ImplicitReason.TrimEnd('.')}).");
                parts.Add("An active attacker can strip STARTTLS from the plaintext dialogue unless every client requires TLS.");
                parts.Add(EnforcementAdvice(c, startTlsPort));
                if (rfc != null) parts.Add($"{rfc} recommends offering {implicitPort} for {c.Protocol}.");
            }
            else if (c.ImplicitReachable)
            {
                parts.Add($"Only {implicitPort} works; nothing crosses the wire in plaintext" + (rfc != null ? $", as {rfc} recommends." : "."));
            }
            else
            {
                parts.Add($"Neither mode reached a TLS channel: STARTTLS: {c.StartTlsReason.TrimEnd('.')}; implicit TLS: {c.ImplicitReason.TrimEnd('.')}.");
            }
            if (c.StartTlsCertificateValid == false || c.ImplicitCertificateValid == false)
                parts.Add("A certificate did not validate: clients must not treat such a session as confidential (RFC 8314 section 5).");
            return string.Join(" ", parts);
        }
    }
}
