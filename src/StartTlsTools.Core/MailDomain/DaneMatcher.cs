using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using StartTlsTools.Resolution;
using StartTlsTools.Tls;

namespace StartTlsTools.MailDomain
{
    /// <summary>How a DANE check of one server ended.</summary>
    public enum DaneStatus
    {
        /// <summary>DANE was not asked for, or the server was never reached over TLS.</summary>
        NotChecked = 0,
        /// <summary>No TLSA records (securely): DANE is not deployed for this service.</summary>
        NoRecords = 1,
        /// <summary>TLSA records exist but their answer is not DNSSEC-secure, so no client may use them.</summary>
        NotSecure = 2,
        /// <summary>The TLSA lookup failed (SERVFAIL, bogus, timeout): a DANE client defers delivery.</summary>
        LookupFailed = 3,
        /// <summary>Secure TLSA records, none usable (unusable usage for SMTP, unknown parameters).</summary>
        NoUsableRecords = 4,
        /// <summary>A usable record matched the chain the server presented.</summary>
        Matched = 5,
        /// <summary>Usable records, none matched: a DANE client refuses to deliver.</summary>
        Mismatch = 6,
    }

    /// <summary>The outcome of matching TLSA records against a presented chain.</summary>
    public sealed class DaneVerdict
    {
        public DaneVerdict(DaneStatus status, string reason, TlsaRecord? matched = null, int? depth = null, int usable = 0, int unusable = 0)
        {
            Status = status;
            Reason = reason;
            MatchedRecord = matched;
            MatchedDepth = depth;
            UsableRecords = usable;
            UnusableRecords = unusable;
        }

        public DaneStatus Status { get; }
        public string Reason { get; }
        public TlsaRecord? MatchedRecord { get; }
        /// <summary>0 for the server's own certificate, 1 for its issuer, ...</summary>
        public int? MatchedDepth { get; }
        public int UsableRecords { get; }
        /// <summary>Records skipped: PKIX usages for SMTP (RFC 7672 section 3.1.3), unknown parameters, malformed data.</summary>
        public int UnusableRecords { get; }
    }

    /// <summary>
    /// Matches TLSA records (RFC 6698, with the updates of RFC 7671 and the SMTP rules of RFC 7672) against the chain a
    /// server actually presented in its handshake, leaf first. DANE-EE(3) matches the leaf and ignores names and dates
    /// (RFC 7671 section 5.1); DANE-TA(2) matches a certificate above the leaf, which must then chain to it and be valid
    /// for a reference name (RFC 7672 section 3.2); PKIX-TA(0) and PKIX-EE(1) need PKIX validation too, and for SMTP
    /// they are unusable (RFC 7672 section 3.1.3).
    /// </summary>
    public static class DaneMatcher
    {
        public static DaneVerdict Match(IReadOnlyList<TlsaRecord> records, IReadOnlyList<X509Certificate2> presented,
            IReadOnlyList<string> referenceNames, bool smtpRules, bool pkixValid, DateTime nowUtc)
        {
            var usable = new List<TlsaRecord>();
            var unusableReasons = new List<string>();
            foreach (TlsaRecord record in records)
            {
                string? why = WhyUnusable(record, smtpRules);
                if (why == null) usable.Add(record);
                else unusableReasons.Add($"{Short(record)}: {why}");
            }
            int unusable = records.Count - usable.Count;
            if (usable.Count == 0)
                return new DaneVerdict(DaneStatus.NoUsableRecords,
                    $"None of the {records.Count} TLSA record(s) is usable: {string.Join("; ", unusableReasons)}.", usable: 0, unusable: unusable);
            if (presented.Count == 0)
                return new DaneVerdict(DaneStatus.Mismatch, "The server presented no certificate to match.", usable: usable.Count, unusable: unusable);

            var misses = new List<string>();
            foreach (TlsaRecord record in usable)
            {
                string? miss = TryRecord(record, presented, referenceNames, pkixValid, nowUtc, out int depth);
                if (miss == null)
                {
                    string skipped = unusable > 0 ? $" ({unusable} unusable record(s) skipped)" : "";
                    return new DaneVerdict(DaneStatus.Matched, $"TLSA {Short(record)} ({UsageName(record.Usage)}) matched the certificate at depth {depth}{skipped}.",
                        record, depth, usable.Count, unusable);
                }
                misses.Add($"{Short(record)}: {miss}");
            }
            return new DaneVerdict(DaneStatus.Mismatch,
                $"None of the {usable.Count} usable TLSA record(s) matched the {presented.Count}-certificate chain the server presented: {string.Join("; ", misses)}.",
                usable: usable.Count, unusable: unusable);
        }

        /// <summary>Null when the record can be used; otherwise why not.</summary>
        public static string? WhyUnusable(TlsaRecord record, bool smtpRules)
        {
            if (record.Usage > 3) return $"unknown certificate usage {record.Usage}";
            if (smtpRules && record.Usage < 2) return $"{UsageName(record.Usage)} is unusable for SMTP (RFC 7672 section 3.1.3)";
            if (record.Selector > 1) return $"unknown selector {record.Selector}";
            if (record.MatchingType > 2) return $"unknown matching type {record.MatchingType}";
            if (record.MatchingType == 1 && record.Data.Length != 32) return $"a SHA-256 digest of {record.Data.Length} bytes";
            if (record.MatchingType == 2 && record.Data.Length != 64) return $"a SHA-512 digest of {record.Data.Length} bytes";
            return null;
        }

        /// <summary>Null when the record matches; otherwise what was wrong. <paramref name="depth"/> is where it matched.</summary>
        private static string? TryRecord(TlsaRecord record, IReadOnlyList<X509Certificate2> presented, IReadOnlyList<string> referenceNames,
            bool pkixValid, DateTime nowUtc, out int depth)
        {
            depth = -1;
            bool endEntity = record.Usage == 1 || record.Usage == 3;
            if (endEntity)
            {
                if (!Matches(record, presented[0])) return "does not match the server's certificate";
                depth = 0;
                if (record.Usage == 1 && !pkixValid) return "matches the server's certificate, but PKIX-EE also needs a valid PKIX chain and name";
                return null;
            }
            for (int i = 1; i < presented.Count; i++)
            {
                if (!Matches(record, presented[i])) continue;
                depth = i;
                if (record.Usage == 0) return pkixValid ? null : $"matches the certificate at depth {i}, but PKIX-TA also needs a valid PKIX chain and name";
                X509Certificate2 leaf = presented[0];
                if (!referenceNames.Any(n => HostnameMatcher.Matches(leaf, n)))
                    return $"matches the trust anchor at depth {i}, but the server's certificate is not valid for {string.Join(" or ", referenceNames)}";
                if (nowUtc < leaf.NotBefore.ToUniversalTime() || nowUtc > leaf.NotAfter.ToUniversalTime())
                    return $"matches the trust anchor at depth {i}, but the server's certificate is outside its validity period";
                if (!ChainsTo(presented, i, nowUtc)) return $"matches the certificate at depth {i}, but the server's certificate does not chain to it";
                return null;
            }
            return record.Usage == 2 && presented.Count == 1
                ? "no trust anchor to match: the server presented only its own certificate (RFC 7671 section 5.2.2 asks for the TA certificate in the chain)"
                : "matches no certificate above the server's";
        }

        /// <summary>Whether the leaf's chain, built from what the server presented, goes through the certificate at <paramref name="anchor"/>.</summary>
        private static bool ChainsTo(IReadOnlyList<X509Certificate2> presented, int anchor, DateTime nowUtc)
        {
            using (var chain = new X509Chain())
            {
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                // The anchor is trusted by its TLSA record, not by any store; its own dates do not matter (RFC 7671 section 5.2.1).
                chain.ChainPolicy.VerificationFlags = X509VerificationFlags.AllowUnknownCertificateAuthority | X509VerificationFlags.IgnoreCertificateAuthorityRevocationUnknown;
                chain.ChainPolicy.VerificationTime = nowUtc.ToLocalTime();
                for (int i = 1; i <= anchor; i++) chain.ChainPolicy.ExtraStore.Add(presented[i]);
                chain.Build(presented[0]);
                byte[] anchorDer = presented[anchor].RawData;
                for (int i = 0; i < chain.ChainElements.Count; i++)
                {
                    X509ChainElement element = chain.ChainElements[i];
                    if (element.Certificate.RawData.SequenceEqual(anchorDer)) return true;
                    // Below the anchor only trust problems are acceptable: a bad signature or an expired intermediate is not.
                    if (element.ChainElementStatus.Any(s => s.Status != X509ChainStatusFlags.NoError && s.Status != X509ChainStatusFlags.UntrustedRoot &&
                                                            s.Status != X509ChainStatusFlags.PartialChain && s.Status != X509ChainStatusFlags.NotTimeValid))
                        return false;
                }
                return false;
            }
        }

        public static bool Matches(TlsaRecord record, X509Certificate2 certificate)
        {
            byte[]? selected = record.Selector == 0 ? certificate.RawData : SubjectPublicKeyInfo(certificate);
            if (selected == null) return false;
            byte[] digest;
            switch (record.MatchingType)
            {
                case 0: digest = selected; break;
                case 1: using (var sha = SHA256.Create()) digest = sha.ComputeHash(selected); break;
                case 2: using (var sha = SHA512.Create()) digest = sha.ComputeHash(selected); break;
                default: return false;
            }
            return digest.Length == record.Data.Length && digest.SequenceEqual(record.Data);
        }

        /// <summary>The DER SubjectPublicKeyInfo (selector 1) read from the certificate's TBSCertificate; null when it cannot be read.</summary>
        public static byte[]? SubjectPublicKeyInfo(X509Certificate2 certificate)
        {
            try
            {
                byte[] der = certificate.RawData;
                var tbs = new DerReader(der).ReadNested(0x30).ReadNested(0x30);
                var (tag, offset, length) = tbs.ReadElement();
                if (tag == 0xA0) (tag, offset, length) = tbs.ReadElement();   // [0] version, then the serial number
                for (int field = 0; field < 4; field++) tbs.ReadElement();     // signature, issuer, validity, subject
                (tag, offset, length) = tbs.ReadElement();
                if (tag != 0x30) return null;
                int header = length < 0x80 ? 2 : length < 0x100 ? 3 : length < 0x10000 ? 4 : 5;
                return tbs.Bytes(offset - header, length + header);
            }
            catch (Transport.StartTlsProtocolException)
            {
                return null;
            }
        }

        public static string UsageName(byte usage)
        {
            switch (usage)
            {
                case 0: return "PKIX-TA(0)";
                case 1: return "PKIX-EE(1)";
                case 2: return "DANE-TA(2)";
                case 3: return "DANE-EE(3)";
                default: return $"usage {usage}";
            }
        }

        /// <summary>"3 1 1 2b5c3229..." with the data cut to 16 hex digits, for reasons.</summary>
        public static string Short(TlsaRecord record)
        {
            string full = record.ToString();
            string[] parts = full.Split(' ');
            return parts[3].Length > 16 ? $"{parts[0]} {parts[1]} {parts[2]} {parts[3].Substring(0, 16)}..." : full;
        }
    }
}
