using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using StartTlsTools.Auth;
using StartTlsTools.Protocols;
using StartTlsTools.Transport;

namespace StartTlsTools
{
    /// <summary>
    /// SMTP AUTH PLAIN (RFC 4954 + RFC 4616) after STARTTLS or on implicit TLS. The TLS part is the engine's own
    /// Submission test; AUTH runs on the same connection before the goodbye. Every refusal happens before any
    /// secret is sent. Never throws for server behaviour: every failure is a Status and a Reason.
    /// </summary>
    public sealed class SmtpAuthPlainClient
    {
        public const string RedactedAuthLine = "AUTH PLAIN <redacted>";
        private readonly StartTlsTester _tester;

        /// <param name="lookup">Name resolution; the system resolver unless a test supplies its own.</param>
        public SmtpAuthPlainClient(Func<string, Task<IPAddress[]>>? lookup = null)
        {
            _tester = new StartTlsTester(lookup);
        }

        public async Task<SmtpAuthResult> AuthenticateAsync(SmtpAuthPlainOptions options, CancellationToken cancel = default)
        {
            var problems = options.Validate();
            if (problems.Count > 0) throw new ArgumentException(string.Join(" ", problems), nameof(options));

            var auth = new SmtpAuthResult
            {
                HostName = options.HostName,
                Port = options.EffectivePort,
                ImplicitTls = options.ImplicitTls,
                UserName = options.UserName,
                AuthorizationIdentity = string.IsNullOrEmpty(options.AuthorizationIdentity) ? null : options.AuthorizationIdentity,
                CertificateCheckSkipped = options.SkipCertificateCheck,
                PlaintextAllowed = options.AllowPlaintext,
            };
            bool followedUp = false;
            StartTlsResult tls = await _tester.TestAsync(options.ToTestOptions(), async open =>
            {
                followedUp = true;
                await FollowUpAsync(open, options, auth).ConfigureAwait(false);
            }, cancel).ConfigureAwait(false);

            CopyTls(tls, auth);
            if (!followedUp) SetFromTls(tls, auth);
            return ServerText.MakeInert(auth);
        }

        private static async Task FollowUpAsync(OpenSession open, SmtpAuthPlainOptions options, SmtpAuthResult auth)
        {
            StartTlsResult tls = open.Result;
            auth.MechanismsBeforeTls = Join(Mechanisms(open.CapabilitiesBeforeTls));
            auth.MechanismsAfterTls = tls.TlsEstablished ? Join(Mechanisms(open.CapabilitiesAfterTls)) : null;

            // Every refusal below happens before a secret exists anywhere but in the SecureString.
            IReadOnlyList<string> capabilities;
            if (tls.TlsEstablished)
            {
                if (tls.CertificateValid != true && !options.SkipCertificateCheck)
                {
                    Set(auth, SmtpAuthStatus.RefusedInvalidCertificate,
                        "Refused before sending credentials: the certificate is not valid (" + tls.CertificateError + "). Use -SkipCertificateCheck to send them anyway.");
                    return;
                }
                capabilities = open.CapabilitiesAfterTls;
            }
            else
            {
                if (!options.AllowPlaintext)
                {
                    Set(auth, SmtpAuthStatus.RefusedWithoutTls,
                        "Refused before sending credentials: no TLS (" + tls.Reason + "). Use -AllowPlaintext to send them in plaintext anyway.");
                    return;
                }
                capabilities = open.CapabilitiesBeforeTls;
            }

            string[]? mechanisms = Mechanisms(capabilities);
            string where = tls.TlsEstablished ? "over TLS" : "in plaintext";
            if (mechanisms == null)
            {
                Set(auth, SmtpAuthStatus.AuthNotOffered, $"The server did not offer AUTH {where}; nothing was sent.");
                return;
            }
            if (!mechanisms.Contains("PLAIN", StringComparer.OrdinalIgnoreCase))
            {
                Set(auth, SmtpAuthStatus.PlainNotOffered, $"The server offered AUTH {where} but not PLAIN ({string.Join(" ", mechanisms)}); nothing was sent.");
                return;
            }

            try
            {
                double start = open.Clock.Elapsed.TotalMilliseconds;
                SmtpReply reply = await SendAuthAsync(open.Session, options, auth).ConfigureAwait(false);
                auth.AuthMs = open.Clock.Elapsed.TotalMilliseconds - start;
                SetFromReply(auth, reply, where);
            }
            catch (StepTimeoutException ex)
            {
                Set(auth, SmtpAuthStatus.Timeout, ex.Message);
            }
            catch (StartTlsProtocolException ex)
            {
                Set(auth, SmtpAuthStatus.ProtocolError, ex.Message);
            }
        }

        /// <summary>Sends the credentials once, in one of the two RFC 4954 forms, and reads the final reply.</summary>
        private static async Task<SmtpReply> SendAuthAsync(ProtocolSession session, SmtpAuthPlainOptions options, SmtpAuthResult auth)
        {
            if (!options.InitialResponse)
            {
                await session.WriteLineAsync("AUTH PLAIN", "AUTH").ConfigureAwait(false);
                SmtpReply challenge = await SmtpReply.ReadAsync(session, "the reply to AUTH").ConfigureAwait(false);
                if (challenge.Code != 334) return challenge;
                auth.ChallengeFormUsed = true;
                await SendSecretAsync(session, options, "", "<redacted>").ConfigureAwait(false);
                auth.CredentialsSent = true;
                return await ReadAfterResponseAsync(session).ConfigureAwait(false);
            }

            await SendSecretAsync(session, options, "AUTH PLAIN ", RedactedAuthLine).ConfigureAwait(false);
            auth.CredentialsSent = true;
            SmtpReply reply = await SmtpReply.ReadAsync(session, "the reply to AUTH").ConfigureAwait(false);
            if (reply.Code != 334) return reply;
            // A server that ignores the initial response asks again with an empty challenge (PLAIN has no other).
            auth.ChallengeFormUsed = true;
            await SendSecretAsync(session, options, "", "<redacted>").ConfigureAwait(false);
            return await ReadAfterResponseAsync(session).ConfigureAwait(false);
        }

        /// <summary>A second 334 would be a loop: cancel the exchange with "*" (RFC 4954) and report it.</summary>
        private static async Task<SmtpReply> ReadAfterResponseAsync(ProtocolSession session)
        {
            SmtpReply reply = await SmtpReply.ReadAsync(session, "the reply to the AUTH response").ConfigureAwait(false);
            if (reply.Code != 334) return reply;
            await session.WriteLineAsync("*", "AUTH cancel").ConfigureAwait(false);
            await SmtpReply.ReadAsync(session, "the reply to the AUTH cancellation").ConfigureAwait(false);
            throw new StartTlsProtocolException("The server sent a second 334 challenge to PLAIN, which has only one step; the exchange was cancelled.");
        }

        private static async Task SendSecretAsync(ProtocolSession session, SmtpAuthPlainOptions options, string prefix, string shownAs)
        {
            byte[] message = SaslPlain.BuildMessage(options.AuthorizationIdentity, options.UserName, options.Password!);
            byte[] line = new byte[0];
            try
            {
                line = SaslPlain.Base64Line(prefix, message);
                await session.WriteAsync(line, "AUTH", shownAs).ConfigureAwait(false);
            }
            finally
            {
                SaslPlain.Zero(message);
                SaslPlain.Zero(line);
            }
        }

        private static void SetFromReply(SmtpAuthResult auth, SmtpReply reply, string where)
        {
            auth.ReplyCode = reply.Code;
            auth.EnhancedStatusCode = reply.EnhancedStatusCode;
            auth.ReplyText = string.Join(" ", reply.Lines);
            string said = $"{reply.Code} {auth.ReplyText}".Trim();
            switch (reply.Code)
            {
                case 235: Set(auth, SmtpAuthStatus.Succeeded, $"Authenticated {where}: {said}"); auth.Succeeded = true; break;
                case 535: Set(auth, SmtpAuthStatus.AuthenticationFailed, $"The server rejected the credentials: {said}"); break;
                case 534: Set(auth, SmtpAuthStatus.MechanismTooWeak, $"The server finds PLAIN too weak here: {said}"); break;
                case 538: Set(auth, SmtpAuthStatus.EncryptionRequired, $"The server requires encryption for PLAIN: {said}"); break;
                case 454: Set(auth, SmtpAuthStatus.TemporaryFailure, $"Temporary authentication failure; try again later: {said}"); break;
                default: Set(auth, SmtpAuthStatus.Rejected, $"The server answered AUTH with {said}"); break;
            }
        }

        /// <summary>The attempt never got as far as AUTH: the TLS part's failure says why.</summary>
        private static void SetFromTls(StartTlsResult tls, SmtpAuthResult auth)
        {
            SmtpAuthStatus status;
            switch (tls.Status)
            {
                case StartTlsStatus.Timeout: status = SmtpAuthStatus.Timeout; break;
                case StartTlsStatus.Cancelled: status = SmtpAuthStatus.Cancelled; break;
                case StartTlsStatus.ProtocolError: status = SmtpAuthStatus.ProtocolError; break;
                case StartTlsStatus.HandshakeFailed: status = SmtpAuthStatus.RefusedWithoutTls; break;
                default: status = SmtpAuthStatus.ConnectionFailed; break;
            }
            string prefix = status == SmtpAuthStatus.RefusedWithoutTls ? "Refused before sending credentials: " : "";
            Set(auth, status, prefix + tls.Reason);
        }

        private static void CopyTls(StartTlsResult tls, SmtpAuthResult auth)
        {
            auth.IPAddress = tls.IPAddress;
            auth.TlsStatus = tls.Status;
            auth.StartTlsOffered = tls.StartTlsOffered;
            auth.TlsEstablished = tls.TlsEstablished;
            auth.TlsVersion = tls.TlsVersion;
            auth.CipherSuite = tls.CipherSuite;
            auth.CertificateValid = tls.CertificateValid;
            auth.CertificateError = tls.CertificateError;
            auth.CertificateSubject = tls.CertificateSubject;
            auth.CertificateThumbprint = tls.CertificateThumbprint;
            auth.Banner = tls.Banner;
            auth.StartedAt = tls.StartedAt;
            auth.ConnectMs = tls.ConnectMs;
            auth.TimeToSecureChannelMs = tls.TimeToSecureChannelMs;
            auth.TotalMs = tls.TotalMs;
            auth.Transcript = tls.Transcript;
            // A goodbye-time failure after a finished AUTH leaves the AUTH outcome as it is.
            if (tls.Status == StartTlsStatus.Cancelled) Set(auth, SmtpAuthStatus.Cancelled, tls.Reason);
        }

        /// <summary>SASL mechanisms from EHLO keywords: "AUTH PLAIN LOGIN" or the old "AUTH=PLAIN LOGIN". Null: no AUTH keyword.</summary>
        public static string[]? Mechanisms(IReadOnlyList<string> ehloKeywords)
        {
            string[]? found = null;
            foreach (string keyword in ehloKeywords)
            {
                string[] parts = keyword.Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length == 0) continue;
                string head = parts[0];
                IEnumerable<string> names;
                if (string.Equals(head, "AUTH", StringComparison.OrdinalIgnoreCase)) names = parts.Skip(1);
                else if (head.StartsWith("AUTH=", StringComparison.OrdinalIgnoreCase)) names = new[] { head.Substring(5) }.Concat(parts.Skip(1));
                else continue;
                found = (found ?? new string[0]).Concat(names.Where(n => n.Length > 0).Select(n => n.ToUpperInvariant())).Distinct().ToArray();
            }
            return found;
        }

        private static TextList? Join(string[]? mechanisms) => mechanisms == null ? null : new TextList(mechanisms);

        private static void Set(SmtpAuthResult auth, SmtpAuthStatus status, string reason)
        {
            auth.Status = status;
            auth.Reason = reason;
        }
    }
}
