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

    /// <summary>A network step ran past its timeout. The message names the step and the parameter that sets its limit.</summary>
    internal sealed class StepTimeoutException : Exception
    {
        public StepTimeoutException(string step, TimeSpan timeout)
            : this(step, $"Timed out after {timeout.TotalSeconds:0.#} s waiting for {step}: raise -TimeoutSeconds (CLI: --timeout), the limit for each network step.", false)
        {
        }

        private StepTimeoutException(string step, string message, bool greeting) : base(message)
        {
            Step = step;
            WhileAwaitingGreeting = greeting;
        }

        /// <summary>The server did not greet in time: a tarpit or greet-pause, or a dead service. Its own limit and advice.</summary>
        public static StepTimeoutException Greeting(string step, TimeSpan timeout) =>
            new StepTimeoutException(step,
                $"Timed out after {timeout.TotalSeconds:0.#} s waiting for {step}: the server had not greeted yet. Tarpits and greet-pause " +
                "hold the greeting back on purpose (RFC 5321 section 4.5.3.2 gives clients 5 minutes): raise -GreetingTimeoutSeconds (CLI: --greeting-timeout).",
                true);

        public string Step { get; }
        public bool WhileAwaitingGreeting { get; }
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
