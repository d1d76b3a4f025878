using System;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace StartTlsTools.Tests.Support
{
    /// <summary>Certificates made on the fly for tests: a throwaway CA and leaves with chosen flaws.</summary>
    internal static class TestCertificates
    {
        public static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

        /// <summary>A self-signed CA with its private key.</summary>
        public static X509Certificate2 CreateCa(string name = "CN=StartTlsTools Test CA")
        {
            using var key = RSA.Create(2048);
            var request = new CertificateRequest(name, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
            request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
            return request.CreateSelfSigned(Now.AddDays(-30), Now.AddYears(5));
        }

        /// <summary>
        /// A server certificate for <paramref name="dnsName"/> with its private key: issued by <paramref name="issuer"/>,
        /// or self-signed when that is null.
        /// </summary>
        public static X509Certificate2 CreateLeaf(string dnsName = "mail.test.example", X509Certificate2? issuer = null,
            DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null, int keyBits = 2048, string hash = "SHA256")
        {
            using var key = RSA.Create(keyBits);
            var request = new CertificateRequest("CN=" + dnsName, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            var sans = new SubjectAlternativeNameBuilder();
            sans.AddDnsName(dnsName);
            request.CertificateExtensions.Add(sans.Build());
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, false));
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(new OidCollection { new Oid("1.3.6.1.5.5.7.3.1") }, false));
            var from = notBefore ?? Now.AddDays(-1);
            var to = notAfter ?? Now.AddDays(200);
            if (issuer == null) return request.CreateSelfSigned(from, to);

            var serial = new byte[12];
            RandomNumberGenerator.Fill(serial);
            using RSA issuerKey = issuer.GetRSAPrivateKey()!;
            // .NET 10's generator refuses SHA-1, so a SHA-1 leaf is signed by a small generator of our own.
            X509SignatureGenerator generator = hash == "SHA1"
                ? new Sha1RsaSignatureGenerator(issuerKey)
                : X509SignatureGenerator.CreateForRSA(issuerKey, RSASignaturePadding.Pkcs1);
            using var issued = request.Create(issuer.SubjectName, generator, from, to, serial);
            return issued.CopyWithPrivateKey(key);
        }

        private sealed class Sha1RsaSignatureGenerator : X509SignatureGenerator
        {
            // AlgorithmIdentifier { sha1WithRSAEncryption (1.2.840.113549.1.1.5), NULL }
            private static readonly byte[] Sha1WithRsa = { 0x30, 0x0D, 0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x05, 0x05, 0x00 };
            private readonly RSA _key;

            public Sha1RsaSignatureGenerator(RSA key) => _key = key;

            public override byte[] GetSignatureAlgorithmIdentifier(HashAlgorithmName hashAlgorithm) => (byte[])Sha1WithRsa.Clone();
            public override byte[] SignData(byte[] data, HashAlgorithmName hashAlgorithm) => _key.SignData(data, HashAlgorithmName.SHA1, RSASignaturePadding.Pkcs1);
            protected override PublicKey BuildPublicKey() => new PublicKey(_key);
        }

        /// <summary>Exported and re-imported so SslStream on Linux can use the key (ephemeral keys are refused there).</summary>
        public static X509Certificate2 ForServer(X509Certificate2 certificate) =>
            X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), null);
    }
}
