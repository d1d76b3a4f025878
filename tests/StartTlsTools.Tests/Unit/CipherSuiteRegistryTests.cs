using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using StartTlsTools.Probing;
using StartTlsTools.Transport;

namespace StartTlsTools.Tests.Unit
{
    public class CipherSuiteRegistryTests
    {
        [Fact]
        public void Registry_covers_the_iana_list_with_unique_codes()
        {
            var tls = CipherSuiteRegistry.All.Where(s => !s.IsSsl2Kit).ToList();
            Assert.True(tls.Count >= 320, $"only {tls.Count} suites");
            Assert.Equal(tls.Count, tls.Select(s => s.Code).Distinct().Count());
            Assert.Equal(5, tls.Count(s => s.IsTls13));
            Assert.All(tls, s => Assert.StartsWith("TLS_", s.IanaName));
        }

        [Theory]
        [InlineData(0xC02F, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "ECDHE-RSA-AES128-GCM-SHA256", CipherRating.Recommended, true)]
        [InlineData(0x1302, "TLS_AES_256_GCM_SHA384", "TLS_AES_256_GCM_SHA384", CipherRating.Recommended, true)]
        [InlineData(0x0033, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA", "DHE-RSA-AES128-SHA", CipherRating.Secure, true)]
        [InlineData(0x009C, "TLS_RSA_WITH_AES_128_GCM_SHA256", "AES128-GCM-SHA256", CipherRating.Weak, false)]
        [InlineData(0x000A, "TLS_RSA_WITH_3DES_EDE_CBC_SHA", "DES-CBC3-SHA", CipherRating.Weak, false)]
        [InlineData(0x1305, "TLS_AES_128_CCM_8_SHA256", "TLS_AES_128_CCM_8_SHA256", CipherRating.Weak, true)]
        [InlineData(0x0005, "TLS_RSA_WITH_RC4_128_SHA", "RC4-SHA", CipherRating.Insecure, false)]
        [InlineData(0x0034, "TLS_DH_anon_WITH_AES_128_CBC_SHA", "ADH-AES128-SHA", CipherRating.Insecure, true)]
        [InlineData(0x0003, "TLS_RSA_EXPORT_WITH_RC4_40_MD5", "EXP-RC4-MD5", CipherRating.Insecure, false)]
        public void Known_suites_have_their_names_and_ratings(int code, string iana, string openSsl, CipherRating rating, bool forwardSecret)
        {
            var suite = CipherSuiteRegistry.Get(code);
            Assert.Equal(iana, suite.IanaName);
            Assert.Equal(openSsl, suite.OpenSslName);
            Assert.Equal(rating, suite.Rating);
            Assert.Equal(forwardSecret, suite.ForwardSecrecy);
        }

        [Fact]
        public void Unknown_codes_are_kept_not_lost()
        {
            Assert.Equal("UNKNOWN_FAFA", CipherSuiteRegistry.Get(0xFAFA).IanaName);
            Assert.Equal("0xC02F", CipherSuiteRegistry.Get(0xC02F).CodeText);
        }

        [Fact]
        public void Version_lists_hold_only_suites_defined_for_the_version()
        {
            Assert.All(CipherSuiteRegistry.ForVersion(TlsProtocolVersion.Tls13), s => Assert.True(s.IsTls13));
            var tls10 = CipherSuiteRegistry.ForVersion(TlsProtocolVersion.Tls10);
            Assert.DoesNotContain(tls10, s => s.Code == 0xC02F);
            Assert.Contains(tls10, s => s.Code == 0xC013);
            Assert.Contains(CipherSuiteRegistry.ForVersion(TlsProtocolVersion.Tls12), s => s.Code == 0xC02F);
        }

        [Fact]
        public void Groups_registry_names_the_common_groups()
        {
            Assert.Equal("x25519", NamedGroupRegistry.Get(0x001D).Name);
            Assert.Equal("X25519MLKEM768", NamedGroupRegistry.Get(0x11EC).Name);
            Assert.Contains(NamedGroupRegistry.Tls13Candidates, g => g.Name == "ffdhe2048");
            Assert.DoesNotContain(NamedGroupRegistry.Tls12Curves, g => g.Name == "ffdhe2048");
        }

        [Fact]
        public async Task Host_limiter_never_lets_more_than_the_cap_through()
        {
            var limiter = new HostConnectionLimiter(3);
            int current = 0, peak = 0;
            var tasks = Enumerable.Range(0, 40).Select(async i =>
            {
                using (await limiter.AcquireAsync(i % 2 == 0 ? "a" : "A", CancellationToken.None))
                {
                    int now = Interlocked.Increment(ref current);
                    int seen;
                    while ((seen = Volatile.Read(ref peak)) < now && Interlocked.CompareExchange(ref peak, now, seen) != seen) { }
                    await Task.Yield();
                    await Task.Delay(1);
                    Interlocked.Decrement(ref current);
                }
            });
            await Task.WhenAll(tasks);
            Assert.True(peak <= 3, $"peak {peak}");
            Assert.True(peak >= 2, "the limiter serialised everything");
        }
    }
}
