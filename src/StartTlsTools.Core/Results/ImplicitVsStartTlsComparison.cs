using System;

namespace StartTlsTools
{
    /// <summary>
    /// One service measured on its STARTTLS port and its implicit-TLS port, both sides flattened into
    /// StartTls* and Implicit* columns so that Export-Csv writes one row per service.
    /// </summary>
    public sealed class ImplicitVsStartTlsComparison
    {
        public string HostName { get; set; } = "";
        public StartTlsProtocol Protocol { get; set; }
        /// <summary>Samples asked for per side.</summary>
        public int Samples { get; set; }
        public DateTimeOffset StartedAt { get; set; }

        public int StartTlsPort { get; set; }
        /// <summary>At least one sample reached a TLS channel.</summary>
        public bool StartTlsReachable { get; set; }
        public StartTlsStatus StartTlsStatus { get; set; }
        public string StartTlsReason { get; set; } = "";
        /// <summary>Samples that reached a TLS channel; sampling a side stops at its first failure.</summary>
        public int StartTlsSuccessfulSamples { get; set; }
        /// <summary>Time from the start of a sample to the end of the TLS handshake, over the successful samples.</summary>
        public double? StartTlsMedianMs { get; set; }
        public double? StartTlsMinMs { get; set; }
        public double? StartTlsMaxMs { get; set; }
        /// <summary>Client commands before the first encrypted byte (each one round trip).</summary>
        public int? StartTlsRoundTrips { get; set; }
        public long? StartTlsPlaintextBytesSent { get; set; }
        public long? StartTlsPlaintextBytesReceived { get; set; }
        /// <summary>What the plaintext exposed to anyone on the path.</summary>
        public string? StartTlsExposedBanner { get; set; }
        public string? StartTlsExposedHostName { get; set; }
        public string? StartTlsExposedSoftware { get; set; }
        public string? StartTlsExposedVersion { get; set; }
        public TextList? StartTlsExposedCapabilities { get; set; }
        public TlsProtocolVersion StartTlsTlsVersion { get; set; }
        public string? StartTlsCipherSuite { get; set; }
        public string? StartTlsCertificateThumbprint { get; set; }
        public bool? StartTlsCertificateValid { get; set; }
        public string? StartTlsCertificateError { get; set; }
        /// <summary>Whether the STARTTLS port requires TLS before anything sensitive (see StartTlsResult.TlsRequired); null when not known.</summary>
        public bool? StartTlsTlsRequired { get; set; }
        public string? StartTlsTlsRequiredEvidence { get; set; }

        public int ImplicitPort { get; set; }
        public bool ImplicitReachable { get; set; }
        public StartTlsStatus ImplicitStatus { get; set; }
        public string ImplicitReason { get; set; } = "";
        public int ImplicitSuccessfulSamples { get; set; }
        public double? ImplicitMedianMs { get; set; }
        public double? ImplicitMinMs { get; set; }
        public double? ImplicitMaxMs { get; set; }
        public int? ImplicitRoundTrips { get; set; }
        public long? ImplicitPlaintextBytesSent { get; set; }
        public long? ImplicitPlaintextBytesReceived { get; set; }
        public string? ImplicitExposedBanner { get; set; }
        public string? ImplicitExposedHostName { get; set; }
        public string? ImplicitExposedSoftware { get; set; }
        public string? ImplicitExposedVersion { get; set; }
        public TextList? ImplicitExposedCapabilities { get; set; }
        public TlsProtocolVersion ImplicitTlsVersion { get; set; }
        public string? ImplicitCipherSuite { get; set; }
        public string? ImplicitCertificateThumbprint { get; set; }
        public bool? ImplicitCertificateValid { get; set; }
        public string? ImplicitCertificateError { get; set; }
        /// <summary>True when the implicit-TLS port was reached: nothing but the handshake is plaintext there.</summary>
        public bool? ImplicitTlsRequired { get; set; }
        public string? ImplicitTlsRequiredEvidence { get; set; }

        /// <summary>Null unless both sides reached TLS.</summary>
        public bool? SameCertificate { get; set; }
        public bool? SameTlsVersion { get; set; }
        public bool? SameCipherSuite { get; set; }
        public string Recommendation { get; set; } = "";
        public double TotalMs { get; set; }
    }
}
