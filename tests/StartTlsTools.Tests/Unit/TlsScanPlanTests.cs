using System.Collections.Generic;
using System.Linq;
using StartTlsTools.Probing;

namespace StartTlsTools.Tests.Unit
{
    /// <summary>What a capability scan offers and how it reads answers: no network needed.</summary>
    public class TlsScanPlanTests
    {
        /// <summary>A TLS 1.2-style ServerHello body: legacy version, random, empty session id, suite, no compression, no extensions.</summary>
        private static ServerHelloMessage Hello(int wireVersion, int suite)
        {
            var body = new List<byte> { (byte)(wireVersion >> 8), (byte)wireVersion };
            body.AddRange(Enumerable.Repeat((byte)7, 32));
            body.Add(0);
            body.Add((byte)(suite >> 8));
            body.Add((byte)suite);
            body.Add(0);
            return ServerHelloMessage.Parse(body.ToArray());
        }

        [Fact]
        public void Every_version_is_scanned_and_the_gate_is_not_repeated_after_it()
        {
            Assert.Equal(6, TlsScanPlan.ScannedVersions.Count);
            Assert.DoesNotContain(TlsScanPlan.GateVersion, TlsScanPlan.VersionsAfterGate);
            Assert.Equal(TlsScanPlan.ScannedVersions.Where(v => v != TlsProtocolVersion.Ssl2).OrderBy(v => v),
                TlsScanPlan.VersionsAfterGate.Append(TlsScanPlan.GateVersion).OrderBy(v => v));
        }

        [Fact]
        public void Windows_hold_at_most_one_hello_worth_and_the_reversed_window_is_the_same_suites()
        {
            var tls12 = TlsScanPlan.Candidates(TlsProtocolVersion.Tls12);
            Assert.True(tls12.Count > ClientHelloBuilder.MaxSuitesPerHello, "TLS 1.2 needs more than one window");
            var window = TlsScanPlan.Window(tls12);
            Assert.Equal(tls12.Take(ClientHelloBuilder.MaxSuitesPerHello), window);
            var reversed = TlsScanPlan.Reversed(window);
            Assert.Equal(window.Last(), reversed.First());
            Assert.Equal(window.OrderBy(s => s.Code), reversed.OrderBy(s => s.Code));
        }

        [Theory]
        [InlineData(300, 4, 3)]
        [InlineData(300, 2, 2)]
        [InlineData(10, 4, 2)]
        [InlineData(10, 1, 1)]
        [InlineData(1, 4, 1)]
        public void Client_order_split_covers_every_candidate_once_in_no_more_parts_than_needed(int count, int maxParallel, int expectedParts)
        {
            var candidates = TlsScanPlan.Candidates(TlsProtocolVersion.Tls12).Take(count).ToList();
            var parts = TlsScanPlan.SplitForClientOrder(candidates, maxParallel);
            Assert.Equal(expectedParts, parts.Count);
            Assert.Equal(candidates.Select(s => s.Code).OrderBy(c => c), parts.SelectMany(p => p).Select(s => s.Code).OrderBy(c => c));
        }

        [Fact]
        public void Suite_offers_carry_the_version_groups_and_key_shares_and_no_sni_for_bracketed_literals()
        {
            var tls13 = TlsScanPlan.SuiteOffer(TlsProtocolVersion.Tls13, TlsScanPlan.Candidates(TlsProtocolVersion.Tls13), "mail.example");
            Assert.Equal(TlsScanPlan.Tls13KeyShares, tls13.KeyShareGroups);
            Assert.Equal(TlsScanPlan.Tls13GroupCandidates(), tls13.Groups);
            Assert.Equal("mail.example", tls13.ServerName);
            var tls12 = TlsScanPlan.SuiteOffer(TlsProtocolVersion.Tls12, TlsScanPlan.Window(TlsScanPlan.Candidates(TlsProtocolVersion.Tls12)), null);
            Assert.Empty(tls12.KeyShareGroups);
            Assert.Equal(TlsScanPlan.CurveCandidates(), tls12.Groups);
            Assert.Null(TlsScanPlan.ServerName("[192.0.2.1]"));
            Assert.Equal("mail.example", TlsScanPlan.ServerName("mail.example."));
        }

        [Fact]
        public void Group_offers_ask_for_a_retry_first_and_send_shares_only_for_groups_still_offered()
        {
            var noShares = TlsScanPlan.Tls13GroupOffer(new List<int> { 0x001D, 0x0017, 0x0018 }, false, null);
            Assert.Empty(noShares.KeyShareGroups);
            var shares = TlsScanPlan.Tls13GroupOffer(new List<int> { 0x0017, 0x0018 }, true, null);
            Assert.Equal(new[] { 0x0017 }, shares.KeyShareGroups);
            var curve = TlsScanPlan.CurveOffer(TlsProtocolVersion.Tls12, 0xC02F, new List<int> { 0x0017 }, null);
            Assert.Equal(new[] { 0xC02F }, curve.CipherSuites);
        }

        [Fact]
        public void Answers_are_read_as_chosen_refused_version_off_or_stop()
        {
            var window = TlsScanPlan.Window(TlsScanPlan.Candidates(TlsProtocolVersion.Tls12));
            var offered = window[5];

            var chosen = TlsScanPlan.ReadSuiteAnswer(TlsProtocolVersion.Tls12, window, new ServerFlight { ServerHello = Hello(0x0303, offered.Code) });
            Assert.Equal(SuiteAnswerKind.Chosen, chosen.Kind);
            Assert.Same(offered, chosen.Suite);

            Assert.Equal(SuiteAnswerKind.Refused,
                TlsScanPlan.ReadSuiteAnswer(TlsProtocolVersion.Tls12, window, new ServerFlight { Alert = new TlsAlert(2, 40) }).Kind);
            Assert.Equal(SuiteAnswerKind.Refused, TlsScanPlan.ReadSuiteAnswer(TlsProtocolVersion.Tls12, window, new ServerFlight()).Kind);
            Assert.Equal(SuiteAnswerKind.VersionOff,
                TlsScanPlan.ReadSuiteAnswer(TlsProtocolVersion.Tls12, window, new ServerFlight { Alert = new TlsAlert(2, 70) }).Kind);
            Assert.Equal(SuiteAnswerKind.VersionOff,
                TlsScanPlan.ReadSuiteAnswer(TlsProtocolVersion.Tls12, window, new ServerFlight { ServerHello = Hello(0x0301, offered.Code) }).Kind);

            var stray = TlsScanPlan.ReadSuiteAnswer(TlsProtocolVersion.Tls12, window.Take(5).ToList(), new ServerFlight { ServerHello = Hello(0x0303, offered.Code) });
            Assert.Equal(SuiteAnswerKind.Stop, stray.Kind);
            Assert.Contains("not offered", stray.Problem);
        }
    }
}
