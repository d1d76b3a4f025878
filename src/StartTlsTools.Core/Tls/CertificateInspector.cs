using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace StartTlsTools.Tls
{
    /// <summary>Fills the certificate fields of a result and validates chain, dates and name, recording every step.</summary>
    public static class CertificateInspector
    {
        public static void Inspect(X509Certificate2 leaf, X509Certificate2Collection presentedChain,
            X509Certificate2Collection trustedRoots, string host, DateTime nowUtc, StartTlsResult result)
        {
            result.CertificateSubject = leaf.Subject;
            result.CertificateIssuer = leaf.Issuer;
            result.CertificateThumbprint = leaf.Thumbprint;
            result.CertificateNotBefore = leaf.NotBefore.ToUniversalTime();
            result.CertificateNotAfter = leaf.NotAfter.ToUniversalTime();
            result.CertificateDaysToExpiry = (int)Math.Floor((leaf.NotAfter.ToUniversalTime() - nowUtc).TotalDays);
            result.CertificateSignatureAlgorithm = leaf.SignatureAlgorithm.FriendlyName ?? leaf.SignatureAlgorithm.Value;
            (result.CertificateKeyAlgorithm, result.CertificateKeySize) = DescribeKey(leaf);
            result.CertificateSubjectAlternativeNames = string.Join(StartTlsResult.ListSeparator, HostnameMatcher.ReadSubjectAltNames(leaf).Describe());

            bool nameOk = HostnameMatcher.Matches(leaf, host);
            result.HostnameMatches = nameOk;
            var (chainOk, chainStatus, chainError) = ValidateChain(leaf, presentedChain, trustedRoots, nowUtc);
            result.CertificateChainValid = chainOk;
            result.CertificateChainStatus = chainStatus;
            bool inDates = nowUtc >= leaf.NotBefore.ToUniversalTime() && nowUtc <= leaf.NotAfter.ToUniversalTime();

            var problems = new List<string>();
            if (!chainOk) problems.Add(chainError);
            if (!inDates) problems.Add(nowUtc < leaf.NotBefore.ToUniversalTime() ? "the certificate is not yet valid" : "the certificate has expired");
            if (!nameOk) problems.Add($"the name '{host}' is not in the certificate's subject alternative names");
            result.CertificateValid = problems.Count == 0;
            result.CertificateError = problems.Count == 0 ? null : Capitalize(string.Join("; ", problems.Distinct())) + ".";
        }

        private static (string Algorithm, int? Size) DescribeKey(X509Certificate2 certificate)
        {
            try
            {
                using (RSA? rsa = certificate.GetRSAPublicKey()) if (rsa != null) return ("RSA", rsa.KeySize);
                using (ECDsa? ec = certificate.GetECDsaPublicKey()) if (ec != null) return ("ECDSA", ec.KeySize);
            }
            catch (CryptographicException)
            {
                // An algorithm this runtime cannot load (e.g. Ed25519 on older runtimes): fall back to the OID.
            }
            var oid = certificate.PublicKey.Oid;
            return (oid.FriendlyName ?? oid.Value ?? "unknown", null);
        }

        /// <summary>
        /// Builds the chain against the OS store; when that fails only for trust and the user gave extra roots,
        /// builds again with those roots and accepts the chain only if it ends in one of them.
        /// </summary>
        private static (bool Ok, string Status, string Error) ValidateChain(X509Certificate2 leaf, X509Certificate2Collection presented,
            X509Certificate2Collection trustedRoots, DateTime nowUtc)
        {
            using (var chain = NewChain(presented, nowUtc))
            {
                if (chain.Build(leaf)) return (true, Describe(chain), "");
                if (trustedRoots.Count == 0 || !OnlyTrustProblems(chain)) return (false, Describe(chain), Summarize(chain));
            }
            using (var chain = NewChain(presented, nowUtc))
            {
                chain.ChainPolicy.ExtraStore.AddRange(trustedRoots);
                chain.ChainPolicy.VerificationFlags = X509VerificationFlags.AllowUnknownCertificateAuthority;
                bool built = chain.Build(leaf);
                var root = chain.ChainElements.Count > 0 ? chain.ChainElements[chain.ChainElements.Count - 1].Certificate : null;
                bool anchored = root != null && trustedRoots.Cast<X509Certificate2>().Any(t => t.Thumbprint == root.Thumbprint);
                string status = Describe(chain);
                if (built && anchored && OnlyTrustProblems(chain)) return (true, status + " (anchored in a trusted root given by the user)", "");
                return (false, status, anchored ? Summarize(chain) : "the chain does not end in the OS store or in a trusted root given by the user");
            }
        }

        private static X509Chain NewChain(X509Certificate2Collection presented, DateTime nowUtc)
        {
            var chain = new X509Chain();
            // Revocation would reach out to the network; this tool only talks to the server under test.
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            chain.ChainPolicy.VerificationTime = nowUtc.ToLocalTime();
            chain.ChainPolicy.ExtraStore.AddRange(presented);
            return chain;
        }

        private static bool OnlyTrustProblems(X509Chain chain) =>
            chain.ChainStatus.All(s => s.Status == X509ChainStatusFlags.UntrustedRoot || s.Status == X509ChainStatusFlags.PartialChain || s.Status == X509ChainStatusFlags.NoError);

        private static string Describe(X509Chain chain)
        {
            var parts = new List<string>();
            for (int i = 0; i < chain.ChainElements.Count; i++)
            {
                var element = chain.ChainElements[i];
                string flags = element.ChainElementStatus.Length == 0
                    ? "NoError"
                    : string.Join(",", element.ChainElementStatus.Select(s => s.Status.ToString()));
                parts.Add($"[{i}] {element.Certificate.Subject}: {flags}");
            }
            if (parts.Count == 0) parts.Add(string.Join(",", chain.ChainStatus.Select(s => s.Status.ToString())));
            return string.Join(" | ", parts);
        }

        private static string Summarize(X509Chain chain)
        {
            var flags = chain.ChainStatus.Select(s => s.Status).Where(s => s != X509ChainStatusFlags.NoError).Distinct().ToList();
            if (flags.Contains(X509ChainStatusFlags.UntrustedRoot) || flags.Contains(X509ChainStatusFlags.PartialChain))
                return "the chain does not end in a trusted root (" + string.Join(", ", flags) + ")";
            return "the chain did not validate (" + string.Join(", ", flags) + ")";
        }

        private static string Capitalize(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text.Substring(1);
    }
}
