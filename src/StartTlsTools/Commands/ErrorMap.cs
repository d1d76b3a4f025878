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
                case StartTlsStatus.HandshakeFailed: return ("TlsHandshakeFailed", ErrorCategory.SecurityError);
                case StartTlsStatus.NameResolutionFailed: return ("NameResolutionFailed", ErrorCategory.ObjectNotFound);
                case StartTlsStatus.ConnectFailed: return ("ConnectFailed", ErrorCategory.ConnectionError);
                case StartTlsStatus.Timeout: return ("ConnectionTimeout", ErrorCategory.OperationTimeout);
                case StartTlsStatus.Cancelled: return ("OperationCancelled", ErrorCategory.OperationStopped);
                default: return ("ServerProtocolError", ErrorCategory.ProtocolError);
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
                case TlsCapabilityStatus.NameResolutionFailed: return For(StartTlsStatus.NameResolutionFailed);
                case TlsCapabilityStatus.ConnectFailed: return For(StartTlsStatus.ConnectFailed);
                case TlsCapabilityStatus.Timeout: return For(StartTlsStatus.Timeout);
                case TlsCapabilityStatus.Cancelled: return For(StartTlsStatus.Cancelled);
                default: return For(StartTlsStatus.ProtocolError);
            }
        }
    }
}
