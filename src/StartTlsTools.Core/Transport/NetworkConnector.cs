using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace StartTlsTools.Transport
{
    /// <summary>Name resolution and TCP connect, each bounded by a timeout and the caller's cancellation.</summary>
    internal static class NetworkConnector
    {
        /// <summary>The system resolver; tests replace it so that no lookup ever leaves the machine.</summary>
        public static readonly Func<string, Task<IPAddress[]>> SystemLookup = Dns.GetHostAddressesAsync;

        public static async Task<IPAddress[]> ResolveAsync(string host, Func<string, Task<IPAddress[]>> lookupName, TimeSpan timeout, CancellationToken cancel)
        {
            if (HostNameRules.TryParseAddress(host, out IPAddress literal)) return new[] { literal };
            string name = host.TrimEnd('.');
            Task<IPAddress[]> lookup = lookupName(name);
            // The resolver takes no token on netstandard2.0: race it against the timeout instead.
            Task finished = await Task.WhenAny(lookup, Task.Delay(timeout, cancel)).ConfigureAwait(false);
            cancel.ThrowIfCancellationRequested();
            if (finished != lookup)
            {
                _ = lookup.ContinueWith(t => t.Exception, TaskContinuationOptions.OnlyOnFaulted);
                throw new StepTimeoutException($"name resolution of {name}", timeout);
            }
            try
            {
                IPAddress[] addresses = await lookup.ConfigureAwait(false);
                if (addresses.Length == 0) throw new NameResolutionFailedException($"The name '{name}' has no addresses.");
                return addresses.Distinct().ToArray();
            }
            catch (SocketException ex)
            {
                throw new NameResolutionFailedException($"The name '{name}' did not resolve: {ex.Message}");
            }
        }

        /// <summary>Tries each address in turn; the first that accepts wins.</summary>
        public static async Task<Socket> ConnectAsync(IReadOnlyList<IPAddress> addresses, int port, TimeSpan timeout, CancellationToken cancel)
        {
            var failures = new ConnectFailures(addresses, port, timeout);
            foreach (IPAddress address in addresses)
            {
                Socket? socket = await TryConnectAsync(address, port, timeout, failures, cancel).ConfigureAwait(false);
                if (socket != null) return socket;
            }
            throw failures.ToException();
        }

        /// <summary>
        /// As <see cref="ConnectAsync(IReadOnlyList{IPAddress}, int, TimeSpan, CancellationToken)"/>, holding one of the
        /// address's slots in <paramref name="limiter"/> while the connection lives: the caller disposes the slot with
        /// the socket (<see cref="ProtocolSession.ReleaseOnDispose"/> does that for a session).
        /// </summary>
        public static async Task<(Socket Socket, IDisposable Slot)> ConnectAsync(IReadOnlyList<IPAddress> addresses, int port, TimeSpan timeout,
            HostConnectionLimiter limiter, int cap, CancellationToken cancel)
        {
            var failures = new ConnectFailures(addresses, port, timeout);
            foreach (IPAddress address in addresses)
            {
                IDisposable slot = await limiter.AcquireAsync(address.ToString(), cap, cancel).ConfigureAwait(false);
                Socket? socket;
                try { socket = await TryConnectAsync(address, port, timeout, failures, cancel).ConfigureAwait(false); }
                catch
                {
                    slot.Dispose();
                    throw;
                }
                if (socket != null) return (socket, slot);
                slot.Dispose();
            }
            throw failures.ToException();
        }

        private static async Task<Socket?> TryConnectAsync(IPAddress address, int port, TimeSpan timeout, ConnectFailures failures, CancellationToken cancel)
        {
            cancel.ThrowIfCancellationRequested();
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            using (var cts = CancellationTokenSource.CreateLinkedTokenSource(cancel))
            {
                cts.CancelAfter(timeout);
                using (cts.Token.Register(() => socket.Dispose()))
                {
                    try
                    {
                        await socket.ConnectAsync(new IPEndPoint(address, port)).ConfigureAwait(false);
                        if (cts.IsCancellationRequested) throw new ObjectDisposedException(nameof(Socket));
                        return socket;
                    }
                    catch (Exception ex) when (ex is SocketException || ex is ObjectDisposedException || ex is InvalidOperationException)
                    {
                        socket.Dispose();
                        cancel.ThrowIfCancellationRequested();
                        if (cts.IsCancellationRequested) failures.TimedOut(address);
                        else failures.Failed(address, ex.Message);
                        return null;
                    }
                }
            }
        }

        /// <summary>What every address said, for the one error a failed connect becomes.</summary>
        private sealed class ConnectFailures
        {
            private readonly IReadOnlyList<IPAddress> _addresses;
            private readonly int _port;
            private readonly TimeSpan _timeout;
            private readonly List<string> _failures = new List<string>();
            private bool _allTimedOut = true;

            public ConnectFailures(IReadOnlyList<IPAddress> addresses, int port, TimeSpan timeout)
            {
                _addresses = addresses;
                _port = port;
                _timeout = timeout;
            }

            public void TimedOut(IPAddress address) => _failures.Add($"{Format(address, _port)}: no answer within {_timeout.TotalSeconds:0.#} s");

            public void Failed(IPAddress address, string message)
            {
                _allTimedOut = false;
                _failures.Add($"{Format(address, _port)}: {message}");
            }

            public Exception ToException() => _allTimedOut
                ? new StepTimeoutException("the TCP connect to " + string.Join(", ", _addresses.Select(a => Format(a, _port))), _timeout)
                : (Exception)new ConnectFailedException("Could not connect: " + string.Join("; ", _failures) + ".");
        }

        public static string Format(IPAddress address, int port) =>
            address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]:{port}" : $"{address}:{port}";
    }
}
