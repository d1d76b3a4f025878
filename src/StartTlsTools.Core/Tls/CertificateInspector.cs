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
            result.CertificateSubjectAlternativeNames = new TextList(HostnameMatcher.ReadSubjectAltNames(leaf).Describe());

            bool nameOk = HostnameMatcher.Matches(leaf, host);
            result.HostnameMatches = nameOk;
            ChainVerdict chain = ValidateChain(leaf, presentedChain, trustedRoots, nowUtc);
            result.CertificateChainValid = chain.Ok;
            result.CertificateChainStatus = chain.Elements;
            result.CertificateChainProblems = chain.Problems;
            string chainError = chain.Error;
            bool chainOk = chain.Ok;
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

        /// <summary>What chain building concluded: typed flags for the findings, element descriptions for people.</summary>
        private sealed class ChainVerdict
        {
            public bool Ok { get; set; }
            public X509ChainStatusFlags Problems { get; set; }
            public TextList Elements { get; set; } = TextList.Empty;
            public string Error { get; set; } = "";
        }

        /// <summary>Trust problems (the chain ends nowhere we trust) and the dates, which the date checks report on their own.</summary>
        private const X509ChainStatusFlags TrustOrTime =
            X509ChainStatusFlags.UntrustedRoot | X509ChainStatusFlags.PartialChain | X509ChainStatusFlags.NotTimeValid;

        /// <summary>
        /// Builds the chain against the OS store. When that fails only for trust or dates and the user gave extra roots,
        /// builds again with those roots: a chain that ends in one of them is trusted (its root's UntrustedRoot is then
        /// no problem), and only what remains (an expired leaf, say) counts against it.
        /// </summary>
        private static ChainVerdict ValidateChain(X509Certificate2 leaf, X509Certificate2Collection presented,
            X509Certificate2Collection trustedRoots, DateTime nowUtc)
        {
            ChainVerdict osStore;
            using (var chain = NewChain(presented, nowUtc))
            {
                bool built = chain.Build(leaf);
                X509ChainStatusFlags problems = Flags(chain, anchoredInUserRoot: false);
                if (built) return Verdict(chain, true, problems, "", "");
                osStore = Verdict(chain, false, problems, Summarize(problems), "");
                if (trustedRoots.Count == 0 || (problems & ~TrustOrTime) != 0) return osStore;
            }
            using (var chain = NewChain(presented, nowUtc))
            {
                chain.ChainPolicy.ExtraStore.AddRange(trustedRoots);
                chain.ChainPolicy.VerificationFlags = X509VerificationFlags.AllowUnknownCertificateAuthority;
                chain.Build(leaf);
                var root = chain.ChainElements.Count > 0 ? chain.ChainElements[chain.ChainElements.Count - 1].Certificate : null;
                bool anchored = root != null && trustedRoots.Cast<X509Certificate2>().Any(t => t.Thumbprint == root.Thumbprint);
                if (!anchored)
                {
                    // Not through the user's roots either: the OS store's view stands.
                    osStore.Error = "the chain does not end in the OS store or in a trusted root given by the user";
                    return osStore;
                }
                X509ChainStatusFlags problems = Flags(chain, anchoredInUserRoot: true);
                const string note = " (anchored in a trusted root given by the user)";
                return problems == X509ChainStatusFlags.NoError
                    ? Verdict(chain, true, problems, "", note)
                    : Verdict(chain, false, problems, Summarize(problems), note);
            }
        }

        /// <summary>Every flag on the chain and its elements; a user-given root's UntrustedRoot is dropped when the chain ends in it.</summary>
        private static X509ChainStatusFlags Flags(X509Chain chain, bool anchoredInUserRoot)
        {
            X509ChainStatusFlags flags = X509ChainStatusFlags.NoError;
            foreach (X509ChainStatus status in chain.ChainStatus) flags |= status.Status;
            foreach (X509ChainElement element in chain.ChainElements)
                foreach (X509ChainStatus status in element.ChainElementStatus) flags |= status.Status;
            if (anchoredInUserRoot) flags &= ~(X509ChainStatusFlags.UntrustedRoot | X509ChainStatusFlags.PartialChain);
            return flags;
        }

        private static ChainVerdict Verdict(X509Chain chain, bool ok, X509ChainStatusFlags problems, string error, string note) => new ChainVerdict
        {
            Ok = ok,
            Problems = problems,
            Elements = Describe(chain, note),
            Error = error,
        };

        private static X509Chain NewChain(X509Certificate2Collection presented, DateTime nowUtc)
        {
            var chain = new X509Chain();
            // Revocation would reach out to the network; this tool only talks to the server under test.
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            chain.ChainPolicy.VerificationTime = nowUtc.ToLocalTime();
            chain.ChainPolicy.ExtraStore.AddRange(presented);
            return chain;
        }

        /// <summary>"[0] CN=mail.example.com: NoError", one item per element, leaf first.</summary>
        private static TextList Describe(X509Chain chain, string note)
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
            if (note.Length > 0 && parts.Count > 0) parts[parts.Count - 1] += note;
            return new TextList(parts);
        }

        private static string Summarize(X509ChainStatusFlags problems)
        {
            if ((problems & (X509ChainStatusFlags.UntrustedRoot | X509ChainStatusFlags.PartialChain)) != 0)
                return "the chain does not end in a trusted root (" + problems + ")";
            return "the chain did not validate (" + problems + ")";
        }

        private static string Capitalize(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text.Substring(1);
    }
}
