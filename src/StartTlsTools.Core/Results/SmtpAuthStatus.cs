namespace StartTlsTools
{
    /// <summary>How an SMTP AUTH PLAIN attempt ended. The Refused* and *NotOffered values mean no secret was sent.</summary>
    public enum SmtpAuthStatus
    {
        /// <summary>235: the server accepted the credentials.</summary>
        Succeeded,
        /// <summary>535: the credentials were rejected (usually 5.7.8).</summary>
        AuthenticationFailed,
        /// <summary>534: the mechanism is too weak for this server or account (5.7.9).</summary>
        MechanismTooWeak,
        /// <summary>538: the server wants encryption before this mechanism (5.7.11).</summary>
        EncryptionRequired,
        /// <summary>454: a temporary failure on the server side (4.7.0); try again later.</summary>
        TemporaryFailure,
        /// <summary>Any other refusal of AUTH (e.g. 501 or 504), or an unexpected reply.</summary>
        Rejected,
        /// <summary>The server did not offer AUTH at all; nothing was sent.</summary>
        AuthNotOffered,
        /// <summary>The server offered AUTH but not the PLAIN mechanism; nothing was sent.</summary>
        PlainNotOffered,
        /// <summary>No TLS (STARTTLS not offered or refused) and plaintext was not allowed; nothing was sent.</summary>
        RefusedWithoutTls,
        /// <summary>The certificate failed validation and the check was not skipped; nothing was sent.</summary>
        RefusedInvalidCertificate,
        /// <summary>The server could not be reached or TLS could not be set up; see TlsStatus.</summary>
        ConnectionFailed,
        /// <summary>A network step ran past its timeout.</summary>
        Timeout,
        /// <summary>The server broke the protocol.</summary>
        ProtocolError,
        /// <summary>The caller cancelled.</summary>
        Cancelled,
    }
}
