using System;
using System.IO;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Threading;

namespace StartTlsTools.Transport
{
    /// <summary>
    /// The one map from what a connection can throw to a Status and a Reason, shared by every engine so that the
    /// same failure reads the same everywhere. Exceptions it does not know are bugs and are left to propagate.
    /// </summary>
    public static class FailureClassifier
    {
        public static bool TryClassify(Exception ex, CancellationToken cancel, out StartTlsStatus status, out string reason)
        {
            switch (ex)
            {
                case OperationCanceledException _ when cancel.IsCancellationRequested:
                    (status, reason) = (StartTlsStatus.Cancelled, "The test was cancelled.");
                    return true;
                case StepTimeoutException timeout:
                    (status, reason) = (StartTlsStatus.Timeout, timeout.Message);
                    return true;
                case NameResolutionFailedException unresolved:
                    (status, reason) = (StartTlsStatus.NameResolutionFailed, unresolved.Message);
                    return true;
                case ConnectFailedException refused:
                    (status, reason) = (StartTlsStatus.ConnectFailed, refused.Message);
                    return true;
                case TlsHandshakeFailedException handshake:
                    (status, reason) = (StartTlsStatus.HandshakeFailed, handshake.Message);
                    return true;
                case StartTlsProtocolException protocol:
                    (status, reason) = (StartTlsStatus.ProtocolError, protocol.Message);
                    return true;
                // Anything the network throws that a step did not already classify is still the server's doing.
                case IOException _:
                case SocketException _:
                case AuthenticationException _:
                case ObjectDisposedException _:
                    (status, reason) = (StartTlsStatus.ProtocolError, $"The connection failed: {ex.Message}");
                    return true;
                default:
                    (status, reason) = (StartTlsStatus.ProtocolError, "");
                    return false;
            }
        }
    }
}
