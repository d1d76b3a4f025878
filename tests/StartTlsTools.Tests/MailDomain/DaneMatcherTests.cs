using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using StartTlsTools.MailDomain;
using StartTlsTools.Resolution;
using StartTlsTools.Tests.Support;

namespace StartTlsTools.Tests.MailDomain
{
    /// <summary>TLSA matching (RFC 6698/7671/7672) against chains made on the fly, and against vectors computed by openssl.</summary>
    public sealed class DaneMatcherTests
    {
        private static readonly X509Certificate2 Ca = TestCertificates.CreateCa("CN=DANE Test CA");
        private static readonly X509Certificate2 Leaf = TestCertificates.CreateLeaf("mx.dane.test", Ca);
        private static readonly X509Certificate2[] Chain = { Leaf, Ca };
        private static readonly string[] Names = { "mx.dane.test" };
        private static DateTime Now => DateTime.UtcNow;

        private static byte[] Select(X509Certificate2 cert, byte selector) => selector == 0 ? cert.RawData : DaneMatcher.SubjectPublicKeyInfo(cert)!;

        private static byte[] Digest(byte[] data, byte matchingType) =>
            matchingType == 0 ? data : matchingType == 1 ? SHA256.HashData(data) : SHA512.HashData(data);

        private static TlsaRecord Record(byte usage, byte selector, byte matchingType, X509Certificate2 cert) =>
            new TlsaRecord(usage, selector, matchingType, Digest(Select(cert, selector), matchingType));

        public static IEnumerable<object[]> AllSelectorsAndMatchingTypes() =>
            from s in new byte[] { 0, 1 } from m in new byte[] { 0, 1, 2 } select new object[] { s, m };

        [Theory]
        [MemberData(nameof(AllSelectorsAndMatchingTypes))]
        public void Dane_ee_matches_the_leaf_at_depth_zero_for_every_selector_and_matching_type(byte selector, byte matchingType)
        {
            var verdict = DaneMatcher.Match(new[] { Record(3, selector, matchingType, Leaf) }, Chain, Names, smtpRules: true, pkixValid: false, Now);
            Assert.Equal(DaneStatus.Matched, verdict.Status);
            Assert.Equal(0, verdict.MatchedDepth);
            Assert.Contains("DANE-EE(3)", verdict.Reason);
        }

        [Theory]
        [MemberData(nameof(AllSelectorsAndMatchingTypes))]
        public void Dane_ta_matches_the_issuer_at_depth_one_for_every_selector_and_matching_type(byte selector, byte matchingType)
        {
            var verdict = DaneMatcher.Match(new[] { Record(2, selector, matchingType, Ca) }, Chain, Names, smtpRules: true, pkixValid: false, Now);
            Assert.Equal(DaneStatus.Matched, verdict.Status);
            Assert.Equal(1, verdict.MatchedDepth);
        }

        [Theory]
        [MemberData(nameof(AllSelectorsAndMatchingTypes))]
        public void A_record_for_another_certificate_is_a_mismatch(byte selector, byte matchingType)
        {
            var other = TestCertificates.CreateLeaf("mx.dane.test", Ca);
            var verdict = DaneMatcher.Match(new[] { Record(3, selector, matchingType, other), Record(2, selector, matchingType, other) }, Chain, Names, true, false, Now);
            Assert.Equal(DaneStatus.Mismatch, verdict.Status);
            Assert.Equal(2, verdict.UsableRecords);
            Assert.Null(verdict.MatchedRecord);
        }

        [Theory]
        [InlineData(0)]
        [InlineData(1)]
        public void Pkix_usages_are_unusable_for_smtp(byte usage)
        {
            X509Certificate2 target = usage == 1 ? Leaf : Ca;
            var verdict = DaneMatcher.Match(new[] { Record(usage, 1, 1, target) }, Chain, Names, smtpRules: true, pkixValid: true, Now);
            Assert.Equal(DaneStatus.NoUsableRecords, verdict.Status);
            Assert.Equal(1, verdict.UnusableRecords);
            Assert.Contains("RFC 7672 section 3.1.3", verdict.Reason);
        }

        [Theory]
        [InlineData(0, true, DaneStatus.Matched)]
        [InlineData(0, false, DaneStatus.Mismatch)]
        [InlineData(1, true, DaneStatus.Matched)]
        [InlineData(1, false, DaneStatus.Mismatch)]
        public void Pkix_usages_outside_smtp_need_pkix_validation(byte usage, bool pkixValid, DaneStatus expected)
        {
            X509Certificate2 target = usage == 1 ? Leaf : Ca;
            var verdict = DaneMatcher.Match(new[] { Record(usage, 0, 1, target) }, Chain, Names, smtpRules: false, pkixValid, Now);
            Assert.Equal(expected, verdict.Status);
        }

        [Fact]
        public void Dane_ee_ignores_the_name_and_the_expiry()
        {
            var expiredOtherName = TestCertificates.CreateLeaf("someone-else.test", Ca, Now.AddYears(-2), Now.AddYears(-1));
            var verdict = DaneMatcher.Match(new[] { Record(3, 1, 1, expiredOtherName) }, new[] { expiredOtherName, Ca }, Names, true, false, Now);
            Assert.Equal(DaneStatus.Matched, verdict.Status);
        }

        [Fact]
        public void Dane_ta_requires_the_name_check_against_the_mx_name()
        {
            var otherName = TestCertificates.CreateLeaf("someone-else.test", Ca);
            var verdict = DaneMatcher.Match(new[] { Record(2, 0, 1, Ca) }, new[] { otherName, Ca }, Names, true, false, Now);
            Assert.Equal(DaneStatus.Mismatch, verdict.Status);
            Assert.Contains("not valid for mx.dane.test", verdict.Reason);
        }

        [Fact]
        public void Dane_ta_accepts_a_name_from_the_cname_expansion()
        {
            var verdict = DaneMatcher.Match(new[] { Record(2, 0, 1, Ca) }, Chain, new[] { "alias.dane.test", "mx.dane.test" }, true, false, Now);
            Assert.Equal(DaneStatus.Matched, verdict.Status);
        }

        [Fact]
        public void Dane_ta_checks_the_leaf_dates()
        {
            var expired = TestCertificates.CreateLeaf("mx.dane.test", Ca, Now.AddYears(-2), Now.AddYears(-1));
            var verdict = DaneMatcher.Match(new[] { Record(2, 1, 1, Ca) }, new[] { expired, Ca }, Names, true, false, Now);
            Assert.Equal(DaneStatus.Mismatch, verdict.Status);
            Assert.Contains("validity period", verdict.Reason);
        }

        [Fact]
        public void Dane_ta_needs_the_anchor_in_the_presented_chain()
        {
            var verdict = DaneMatcher.Match(new[] { Record(2, 0, 1, Ca) }, new[] { Leaf }, Names, true, false, Now);
            Assert.Equal(DaneStatus.Mismatch, verdict.Status);
            Assert.Contains("RFC 7671 section 5.2.2", verdict.Reason);
        }

        [Fact]
        public void Dane_ta_rejects_an_anchor_that_did_not_issue_the_leaf()
        {
            var otherCa = TestCertificates.CreateCa("CN=Unrelated CA");
            var verdict = DaneMatcher.Match(new[] { Record(2, 0, 1, otherCa) }, new[] { Leaf, otherCa }, Names, true, false, Now);
            Assert.Equal(DaneStatus.Mismatch, verdict.Status);
            Assert.Contains("does not chain", verdict.Reason);
        }

        [Fact]
        public void Dane_ta_matches_an_intermediate_anchor_at_depth_one_below_the_root()
        {
            var intermediate = CreateIntermediate(Ca, "CN=DANE Intermediate");
            var leaf = TestCertificates.CreateLeaf("mx.dane.test", intermediate);
            var verdict = DaneMatcher.Match(new[] { Record(2, 1, 1, intermediate) }, new[] { leaf, intermediate, Ca }, Names, true, false, Now);
            Assert.Equal(DaneStatus.Matched, verdict.Status);
            Assert.Equal(1, verdict.MatchedDepth);
            var atRoot = DaneMatcher.Match(new[] { Record(2, 1, 2, Ca) }, new[] { leaf, intermediate, Ca }, Names, true, false, Now);
            Assert.Equal(2, atRoot.MatchedDepth);
        }

        [Fact]
        public void The_first_matching_record_wins_and_unusable_ones_are_counted()
        {
            var records = new[] { Record(1, 1, 1, Leaf), new TlsaRecord(3, 1, 1, new byte[32]), Record(3, 0, 2, Leaf) };
            var verdict = DaneMatcher.Match(records, Chain, Names, true, false, Now);
            Assert.Equal(DaneStatus.Matched, verdict.Status);
            Assert.Equal(records[2].ToString(), verdict.MatchedRecord!.ToString());
            Assert.Equal(1, verdict.UnusableRecords);
            Assert.Equal(2, verdict.UsableRecords);
        }

        [Theory]
        [InlineData(4, 1, 1, 32, "unknown certificate usage")]
        [InlineData(3, 2, 1, 32, "unknown selector")]
        [InlineData(3, 1, 3, 32, "unknown matching type")]
        [InlineData(3, 1, 1, 31, "SHA-256 digest of 31 bytes")]
        [InlineData(3, 1, 2, 32, "SHA-512 digest of 32 bytes")]
        public void Malformed_records_are_unusable(byte usage, byte selector, byte type, int length, string why)
        {
            Assert.Contains(why, DaneMatcher.WhyUnusable(new TlsaRecord(usage, selector, type, new byte[length]), smtpRules: true));
            var verdict = DaneMatcher.Match(new[] { new TlsaRecord(usage, selector, type, new byte[length]) }, Chain, Names, true, false, Now);
            Assert.Equal(DaneStatus.NoUsableRecords, verdict.Status);
        }

        [Fact]
        public void No_presented_certificate_is_a_mismatch()
        {
            var verdict = DaneMatcher.Match(new[] { Record(3, 1, 1, Leaf) }, new X509Certificate2[0], Names, true, false, Now);
            Assert.Equal(DaneStatus.Mismatch, verdict.Status);
        }

        // An EC P-256 certificate made with openssl; the digests below were computed by openssl, not by this code:
        //   openssl x509 -outform DER | sha256sum                              (3 0 1, 3 0 2 with sha512sum)
        //   openssl x509 -noout -pubkey | openssl pkey -pubin -outform DER | sha256sum   (3 1 1, 3 1 2; 3 1 0 is the DER itself)
        private const string VectorPem = @"-----BEGIN CERTIFICATE-----
MIIBqjCCAVCgAwIBAgIUYYy99wtdKcXqecyaDH9Yr72YY5EwCgYIKoZIzj0EAwIw
GzEZMBcGA1UEAwwQdmVjdG9yLmRhbmUudGVzdDAgFw0yNjEyMDIxNTAwMTNaGA8y
MTI2MTEwODE1MDAxM1owGzEZMBcGA1UEAwwQdmVjdG9yLmRhbmUudGVzdDBZMBMG
ByqGSM49AgEGCCqGSM49AwEHA0IABFGxo0cGoH0mdYW010vmYKJwzILuiDjDpaLn
E3Zt853nJ5S7L/XMB6zbygkIXfVbjHC1KhS45TR7BVBTfTv6G7OjcDBuMB0GA1Ud
DgQWBBS88SyKhVw2m/TPBkCI3ZoYw5rPMzAfBgNVHSMEGDAWgBS88SyKhVw2m/TP
BkCI3ZoYw5rPMzAPBgNVHRMBAf8EBTADAQH/MBsGA1UdEQQUMBKCEHZlY3Rvci5k
YW5lLnRlc3QwCgYIKoZIzj0EAwIDSAAwRQIhAMyly2nNiQi7ngarr0Sclk7kCAt8
RdM/Ljms74xl8x50AiAoViZEGnkwFKWw4NIIe37x1vy/TR5RLTww/QR2Hst90A==
-----END CERTIFICATE-----";

        [Theory]
        [InlineData("3 0 1 b398365e41a984005fd60b39493119c14b55323cb75d5db8801187864e4161cc")]
        [InlineData("3 0 2 29e0c6e322e7b1b14f3f71a83e6abae169e92c4a05d3752cce95aa09d233e94d66ece2efb11587edbcf2c50f9b91adc1f3184ba63d111e6e8351cffa455cebd7")]
        [InlineData("3 1 1 7a46d73688bdf0c49e9c5133c5e7c2b49352e99c9054e22597dbe98687814970")]
        [InlineData("3 1 2 c5d921ac940da0aac4926eeb0a78b74a757f534934aa6bc72b8c9e3ac93a903fdd735b2dbc050e49966a0113be20de2bdeee773a6db09cdcbbfaa4225b30faae")]
        [InlineData("3 1 0 3059301306072a8648ce3d020106082a8648ce3d0301070342000451b1a34706a07d267585b4d74be660a270cc82ee8838c3a5a2e713766df39de72794bb2ff5cc07acdbca09085df55b8c70b52a14b8e5347b0550537d3bfa1bb3")]
        public void Openssl_vectors_match(string presentation)
        {
            var cert = X509Certificate2.CreateFromPem(VectorPem);
            TlsaRecord record = TlsaRecord.Parse(presentation)!;
            Assert.True(DaneMatcher.Matches(record, cert));
            Assert.Equal(presentation, record.ToString());
            var flipped = (byte[])record.Data.Clone();
            flipped[^1] ^= 1;
            Assert.False(DaneMatcher.Matches(new TlsaRecord(record.Usage, record.Selector, record.MatchingType, flipped), cert));
        }

        [Theory]
        [InlineData("")]
        [InlineData("3 1 1")]
        [InlineData("3 1 1 abc")]
        [InlineData("3 1 1 zz")]
        [InlineData("300 1 1 ab")]
        public void Malformed_presentation_does_not_parse(string text) => Assert.Null(TlsaRecord.Parse(text));

        private static X509Certificate2 CreateIntermediate(X509Certificate2 issuer, string name)
        {
            using var key = RSA.Create(2048);
            var request = new CertificateRequest(name, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
            request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
            using RSA issuerKey = issuer.GetRSAPrivateKey()!;
            var serial = new byte[12];
            RandomNumberGenerator.Fill(serial);
            using var issued = request.Create(issuer.SubjectName, X509SignatureGenerator.CreateForRSA(issuerKey, RSASignaturePadding.Pkcs1),
                DateTimeOffset.UtcNow.AddDays(-10), DateTimeOffset.UtcNow.AddYears(2), serial);
            return issued.CopyWithPrivateKey(key);
        }
    }
}
