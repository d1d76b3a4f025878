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
            var failures = new List<string>();
            bool allTimedOut = true;
            foreach (IPAddress address in addresses)
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
                            if (cts.IsCancellationRequested)
                            {
                                failures.Add($"{Format(address, port)}: no answer within {timeout.TotalSeconds:0.#} s");
                            }
                            else
                            {
                                allTimedOut = false;
                                failures.Add($"{Format(address, port)}: {ex.Message}");
                            }
                        }
                    }
                }
            }
            string detail = string.Join("; ", failures);
            if (allTimedOut)
                throw new StepTimeoutException("the TCP connect to " + string.Join(", ", addresses.Select(a => Format(a, port))), timeout);
            throw new ConnectFailedException("Could not connect: " + detail + ".");
        }

        public static string Format(IPAddress address, int port) =>
            address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]:{port}" : $"{address}:{port}";
    }
}
