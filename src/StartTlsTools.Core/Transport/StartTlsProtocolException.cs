using System;

namespace StartTlsTools.Transport
{
    /// <summary>
    /// The one exception the parsers throw: the server's bytes broke the protocol (malformed, oversized,
    /// unexpected, or the connection closed mid-dialogue). The engine turns it into Status ProtocolError.
    /// </summary>
    public class StartTlsProtocolException : Exception
    {
        public StartTlsProtocolException(string message) : base(message) { }

        public StartTlsProtocolException(string message, Exception inner) : base(message, inner) { }
    }

    /// <summary>A network step ran past its timeout.</summary>
    internal sealed class StepTimeoutException : Exception
    {
        public StepTimeoutException(string step, TimeSpan timeout)
            : base($"No answer to {step} within {timeout.TotalSeconds:0.#} s.")
        {
            Step = step;
        }

        public string Step { get; }
    }

    /// <summary>The server closed or reset the connection in the middle of a step.</summary>
    public sealed class ConnectionClosedException : StartTlsProtocolException
    {
        public ConnectionClosedException(string step)
            : base($"The server closed the connection during {step}.") { }

        public ConnectionClosedException(string step, Exception inner)
            : base($"The server closed the connection during {step}.", inner) { }
    }

    /// <summary>The TLS handshake failed after the server agreed to it.</summary>
    internal sealed class TlsHandshakeFailedException : Exception
    {
        public TlsHandshakeFailedException(string message, Exception? inner) : base(message, inner) { }
    }

    /// <summary>No address of the host accepted a TCP connection.</summary>
    internal sealed class ConnectFailedException : Exception
    {
        public ConnectFailedException(string message) : base(message) { }
    }

    internal sealed class NameResolutionFailedException : Exception
    {
        public NameResolutionFailedException(string message) : base(message) { }
    }
}
