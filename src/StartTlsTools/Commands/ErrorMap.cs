using System.Management.Automation;

namespace StartTlsTools.Commands
{
    /// <summary>The one map from a result status to a stable error id and category. Ids never change once shipped.</summary>
    internal static class ErrorMap
    {
        public const string InvalidParameterId = "InvalidParameter";

        public static (string Id, ErrorCategory Category)? For(StartTlsStatus status)
        {
            switch (status)
            {
                case StartTlsStatus.Success: return null;
                case StartTlsStatus.NotOffered: return ("StartTlsNotOffered", ErrorCategory.NotEnabled);
                case StartTlsStatus.Refused: return ("StartTlsRefused", ErrorCategory.ResourceUnavailable);
                // The server turned the session away (421/554, a block list, a rate limit): not a STARTTLS verdict at all.
                case StartTlsStatus.Unavailable: return ("ServerUnavailable", ErrorCategory.ConnectionError);
                case StartTlsStatus.HandshakeFailed: return ("TlsHandshakeFailed", ErrorCategory.SecurityError);
                case StartTlsStatus.NameResolutionFailed: return ("NameResolutionFailed", ErrorCategory.ObjectNotFound);
                case StartTlsStatus.ConnectFailed: return ("ConnectFailed", ErrorCategory.ConnectionError);
                case StartTlsStatus.Timeout: return ("ConnectionTimeout", ErrorCategory.OperationTimeout);
                case StartTlsStatus.Cancelled: return ("OperationCancelled", ErrorCategory.OperationStopped);
                default: return ("ServerProtocolError", ErrorCategory.ProtocolError);
            }
        }
        /// <summary>Invoke-SmtpAuthPlain: the AUTH outcome; failures before AUTH use the TLS status's id.</summary>
        public static (string Id, ErrorCategory Category)? For(SmtpAuthStatus status, StartTlsStatus tlsStatus)
        {
            switch (status)
            {
                case SmtpAuthStatus.Succeeded: return null;
                case SmtpAuthStatus.Cancelled: return null;
                case SmtpAuthStatus.Timeout: return For(StartTlsStatus.Timeout);
                case SmtpAuthStatus.AuthenticationFailed: return ("SmtpAuthenticationFailed", ErrorCategory.AuthenticationError);
                case SmtpAuthStatus.MechanismTooWeak: return ("SmtpAuthMechanismTooWeak", ErrorCategory.SecurityError);
                case SmtpAuthStatus.EncryptionRequired: return ("SmtpAuthEncryptionRequired", ErrorCategory.SecurityError);
                case SmtpAuthStatus.TemporaryFailure: return ("SmtpAuthTemporaryFailure", ErrorCategory.ResourceUnavailable);
                case SmtpAuthStatus.Rejected: return ("SmtpAuthRejected", ErrorCategory.ProtocolError);
                case SmtpAuthStatus.AuthNotOffered: return ("SmtpAuthNotOffered", ErrorCategory.NotEnabled);
                case SmtpAuthStatus.PlainNotOffered: return ("SmtpAuthPlainNotOffered", ErrorCategory.NotEnabled);
                case SmtpAuthStatus.RefusedWithoutTls: return ("RefusedWithoutTls", ErrorCategory.SecurityError);
                case SmtpAuthStatus.RefusedInvalidCertificate: return ("RefusedInvalidCertificate", ErrorCategory.SecurityError);
                default: return For(tlsStatus == StartTlsStatus.Success ? StartTlsStatus.ProtocolError : tlsStatus);
            }
        }

        /// <summary>Get-TlsCapability's statuses; the shared ones keep Test-StartTls's ids.</summary>
        public static (string Id, ErrorCategory Category)? For(TlsCapabilityStatus status)
        {
            switch (status)
            {
                case TlsCapabilityStatus.Success: return null;
                case TlsCapabilityStatus.Incomplete: return ("TlsCapabilityIncomplete", ErrorCategory.LimitsExceeded);
                case TlsCapabilityStatus.NoTls: return ("TlsNotAccepted", ErrorCategory.NotEnabled);
                case TlsCapabilityStatus.NotOffered: return For(StartTlsStatus.NotOffered);
                case TlsCapabilityStatus.Refused: return For(StartTlsStatus.Refused);
                case TlsCapabilityStatus.Unavailable: return For(StartTlsStatus.Unavailable);
                case TlsCapabilityStatus.NameResolutionFailed: return For(StartTlsStatus.NameResolutionFailed);
                case TlsCapabilityStatus.ConnectFailed: return For(StartTlsStatus.ConnectFailed);
                case TlsCapabilityStatus.Timeout: return For(StartTlsStatus.Timeout);
                case TlsCapabilityStatus.Cancelled: return For(StartTlsStatus.Cancelled);
                default: return For(StartTlsStatus.ProtocolError);
            }
        }
    }
}
