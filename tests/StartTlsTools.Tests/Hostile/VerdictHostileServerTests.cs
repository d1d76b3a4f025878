using System;
using System.Linq;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using StartTlsTools.Tests.Support;

namespace StartTlsTools.Tests.Hostile
{
    /// <summary>
    /// What real servers in the lab never show: a middlebox that masks or answers STARTTLS, servers that turn the
    /// client away (421 rate limits, 554 block lists, 421 mid-dialogue), a tarpitted greeting, and an Exim-style
    /// greeting that repeats the client's address. Each must end in its own status, fields and finding.
    /// </summary>
    [Collection(HostileSuite.Name)]
    public sealed class VerdictHostileServerTests
    {
        private static readonly Lazy<X509Certificate2> Certificate =
            new Lazy<X509Certificate2>(() => TestCertificates.ForServer(TestCertificates.CreateLeaf("localhost")));

        [Theory]
        [InlineData("XXXXXXXA")] // Cisco ESMTP inspection
        [InlineData("XXXXXXXX")]
        public async Task Masked_starttls_keyword_is_stripping_not_a_server_without_tls(string mask)
        {
            var outcome = await HostileCase.RunAsync(async (client, cancel) =>
            {
                await client.SendAsync("220 mx.example ESMTP\r\n", cancel);
                if (await client.ReadLineAsync(cancel) == null) return;
                await client.SendAsync($"250-mx.example\r\n250-PIPELINING\r\n250-{mask}\r\n250 8BITMIME\r\n", cancel);
                await TlsSmtpScript.AnswerQuitAsync(client, cancel);
            });

            outcome.AssertFinished(StartTlsStatus.NotOffered, "did not advertise STARTTLS");
            StartTlsResult result = outcome.Result;
            Assert.Equal(StartTlsInterference.MaskedStartTls, result.Interference);
            Assert.Contains(mask, result.InterferenceEvidence);
            var finding = Assert.Single(result.Findings, f => f.Id == FindingAnalyzer.StartTlsStripped);
            Assert.Equal(FindingSeverity.High, finding.Severity);
            Assert.Contains(mask, finding.Detail);
            Assert.Contains("RFC 3207", finding.Reference);
            Assert.DoesNotContain(result.Findings, f => f.Id == FindingAnalyzer.StartTlsNotOffered);
            // A stripped offer says nothing about what the server itself requires.
            Assert.Null(result.TlsRequired);
            Assert.Equal(new[] { "EHLO client.test", "QUIT" }, outcome.ClientLines);
        }

        [Fact]
        public async Task A_short_run_of_xs_is_just_a_capability_and_not_offering_starttls_stays_not_offered()
        {
            var outcome = await HostileCase.RunAsync(async (client, cancel) =>
            {
                await client.SendAsync("220 mx.example ESMTP\r\n", cancel);
                if (await client.ReadLineAsync(cancel) == null) return;
                await client.SendAsync("250-mx.example\r\n250-XXXX\r\n250 8BITMIME\r\n", cancel);
                await TlsSmtpScript.AnswerQuitAsync(client, cancel);
            });

            outcome.AssertFinished(StartTlsStatus.NotOffered);
            Assert.Equal(StartTlsInterference.None, outcome.Result.Interference);
            Assert.Contains(outcome.Result.Findings, f => f.Id == FindingAnalyzer.StartTlsNotOffered);
            Assert.False(outcome.Result.TlsRequired);
        }

        [Theory]
        [InlineData("500 5.5.1 Command unrecognized: \"STARTTLS\"")]
        [InlineData("502 5.5.2 Error: command not implemented")]
        public async Task Advertised_starttls_answered_unrecognized_is_stripping(string reply)
        {
            var outcome = await HostileCase.RunAsync(async (client, cancel) =>
            {
                await client.SendAsync("220 mx.example ESMTP\r\n", cancel);
                if (await client.ReadLineAsync(cancel) == null) return;
                await client.SendAsync("250-mx.example\r\n250 STARTTLS\r\n", cancel);
                if (await client.ReadLineAsync(cancel) != "STARTTLS") return;
                await client.SendAsync(reply + "\r\n", cancel);
                await TlsSmtpScript.AnswerQuitAsync(client, cancel);
            });

            outcome.AssertFinished(StartTlsStatus.Refused, reply.Substring(0, 3), "unrecognized");
            Assert.Equal(StartTlsInterference.StartTlsUnrecognized, outcome.Result.Interference);
            Assert.Equal(reply, outcome.Result.InterferenceEvidence);
            Assert.Contains(outcome.Result.Findings, f => f.Id == FindingAnalyzer.StartTlsStripped && f.Detail.Contains(reply.Substring(0, 12)));
            Assert.DoesNotContain(outcome.Result.Findings, f => f.Id == FindingAnalyzer.StartTlsRefused);
        }

        [Fact]
        public async Task A_greeting_of_421_too_many_connections_is_a_rate_limit()
        {
            var outcome = await HostileCase.RunAsync(async (client, cancel) =>
            {
                await client.SendAsync("421 4.7.0 mx.example Error: too many connections from 127.0.0.1\r\n", cancel);
                await TlsSmtpScript.AnswerQuitAsync(client, cancel);
            });

            outcome.AssertFinished(StartTlsStatus.Unavailable, "too many connections", "rate");
            Assert.Equal(UnavailableKind.RateLimited, outcome.Result.UnavailableKind);
            Assert.Null(outcome.Result.StartTlsOffered);
            // The rate limit, and (the reply names 127.0.0.1) the echoed address; nothing about STARTTLS.
            Assert.Equal(new[] { FindingAnalyzer.ServerRateLimited, FindingAnalyzer.ClientAddressEchoed }, outcome.Result.Findings.Select(f => f.Id));
            Assert.Equal(new[] { "QUIT" }, outcome.ClientLines); // nothing but goodbye to a server that said no
            Assert.Null(outcome.Result.TlsRequired);
        }

        [Fact]
        public async Task A_greeting_of_554_with_a_dnsbl_name_is_a_block_list()
        {
            var outcome = await HostileCase.RunAsync(async (client, cancel) =>
            {
                await client.SendAsync("554 5.7.1 Service unavailable; Client host [127.0.0.1] blocked using bl.spamcop.net; see https://www.spamcop.net/bl.shtml?127.0.0.1\r\n", cancel);
                await TlsSmtpScript.AnswerQuitAsync(client, cancel);
            });

            outcome.AssertFinished(StartTlsStatus.Unavailable, "block list", "bl.spamcop.net");
            Assert.Equal(UnavailableKind.BlockListed, outcome.Result.UnavailableKind);
            Assert.Equal("bl.spamcop.net", outcome.Result.BlockList);
            var finding = Assert.Single(outcome.Result.Findings, f => f.Severity > FindingSeverity.Info || f.Id != FindingAnalyzer.ClientAddressEchoed);
            Assert.Equal(FindingAnalyzer.ClientBlockListed, finding.Id);
            Assert.Contains("bl.spamcop.net", finding.Detail);
            Assert.DoesNotContain(outcome.Result.Findings, f => f.Id == FindingAnalyzer.ServerRateLimited);
            // The refusal names the client's address in plaintext, too.
            Assert.Equal("127.0.0.1", outcome.Result.EchoedClientAddress);
        }

        [Fact]
        public async Task A_421_in_the_middle_of_the_dialogue_is_unavailable_not_refused()
        {
            var outcome = await HostileCase.RunAsync(async (client, cancel) =>
            {
                await client.SendAsync("220 mx.example ESMTP\r\n", cancel);
                if (await client.ReadLineAsync(cancel) == null) return;
                await client.SendAsync("421 4.3.2 Service shutting down, closing transmission channel\r\n", cancel);
                await TlsSmtpScript.AnswerQuitAsync(client, cancel);
            });

            outcome.AssertFinished(StartTlsStatus.Unavailable, "in answer to EHLO", "shutting down");
            Assert.Equal(UnavailableKind.Closing, outcome.Result.UnavailableKind);
            Assert.Equal(FindingAnalyzer.ServerUnavailable, Assert.Single(outcome.Result.Findings).Id);
            Assert.DoesNotContain(outcome.Result.Findings, f => f.Id == FindingAnalyzer.StartTlsRefused || f.Id == FindingAnalyzer.StartTlsNotOffered);
        }

        [Fact]
        public async Task A_greeting_delayed_20_seconds_is_waited_for_with_the_default_greeting_timeout()
        {
            // A tarpit: the greeting comes late on purpose. The step timeout (2 s) must not apply to it.
            _ = Certificate.Value;
            var outcome = await HostileCase.RunAsync(async (client, cancel) =>
            {
                await Task.Delay(TimeSpan.FromSeconds(20), cancel);
                await TlsSmtpScript.RunAsync(client, cancel, Certificate.Value);
            }, greetingTimeout: TimeSpan.FromSeconds(TargetOptions.DefaultGreetingTimeoutSeconds));

            outcome.AssertFinished(StartTlsStatus.Success, "STARTTLS upgraded");
            Assert.Equal("mx.example ESMTP", outcome.Result.Banner);
        }

        [Fact]
        public async Task A_greeting_later_than_the_greeting_timeout_names_the_greeting_and_its_parameter()
        {
            var outcome = await HostileCase.RunAsync((client, cancel) => Task.Delay(Timeout.Infinite, cancel),
                timeout: TimeSpan.FromSeconds(1), greetingTimeout: TimeSpan.FromSeconds(2));

            outcome.AssertFinished(StartTlsStatus.Timeout, "the greeting", "-GreetingTimeoutSeconds", "--greeting-timeout", "RFC 5321");
        }

        [Fact]
        public async Task A_silent_reply_after_the_greeting_names_the_step_and_the_step_timeout()
        {
            var outcome = await HostileCase.RunAsync(async (client, cancel) =>
            {
                await client.SendAsync("220 mx.example ESMTP\r\n", cancel);
                await Task.Delay(Timeout.Infinite, cancel);
            }, timeout: TimeSpan.FromSeconds(1), greetingTimeout: TimeSpan.FromSeconds(30));

            outcome.AssertFinished(StartTlsStatus.Timeout, "the reply to EHLO", "-TimeoutSeconds", "--timeout");
            Assert.DoesNotContain("Greeting", outcome.Result.Reason);
        }

        [Fact]
        public async Task An_exim_style_greeting_that_repeats_the_client_address_is_recorded_with_an_info_finding()
        {
            _ = Certificate.Value;
            string? address = null;
            var outcome = await HostileCase.RunAsync(async (client, cancel) =>
            {
                address = ((IPEndPoint)client.Socket.RemoteEndPoint!).Address.ToString();
                await TlsSmtpScript.RunAsync(client, cancel, Certificate.Value,
                    greeting: "220 mx.example.net ESMTP Exim 4.96 Tue, 01 Dec 2026 10:00:00 +0000\r\n",
                    ehlo: $"250-mx.example.net Hello client.test [{address}]\r\n250-SIZE 52428800\r\n250 STARTTLS\r\n");
            });

            outcome.AssertFinished(StartTlsStatus.Success);
            StartTlsResult result = outcome.Result;
            Assert.Equal(address, result.EchoedClientAddress);
            var finding = Assert.Single(result.Findings, f => f.Id == FindingAnalyzer.ClientAddressEchoed);
            Assert.Equal(FindingSeverity.Info, finding.Severity);
            Assert.Contains(address!, finding.Detail);
            Assert.Equal("mx.example.net", result.BannerHostName);
            Assert.Equal("Exim", result.BannerSoftware);
            Assert.Equal("4.96", result.BannerSoftwareVersion);
        }

        [Fact]
        public async Task A_server_that_does_not_repeat_the_address_has_no_echo()
        {
            _ = Certificate.Value;
            var outcome = await HostileCase.RunAsync((client, cancel) => TlsSmtpScript.RunAsync(client, cancel, Certificate.Value,
                ehlo: "250-mx.example Hello client.test [127.0.0.10]\r\n250 STARTTLS\r\n"));

            outcome.AssertFinished(StartTlsStatus.Success);
            // 127.0.0.10 is another address, not ours with something appended.
            Assert.Null(outcome.Result.EchoedClientAddress);
            Assert.DoesNotContain(outcome.Result.Findings, f => f.Id == FindingAnalyzer.ClientAddressEchoed);
        }
    }
}
