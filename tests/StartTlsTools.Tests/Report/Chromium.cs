using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;

namespace StartTlsTools.Tests.Report
{
    /// <summary>
    /// Debian's headless Chromium driven over the DevTools protocol with a plain ClientWebSocket: no driver, no npm.
    /// The browser listens on 127.0.0.1 only (port chosen by the OS), uses a throwaway profile, and is stopped by its
    /// own process id when disposed. Every call has a timeout. A missing Chromium is a failure with the install
    /// command, never a skip.
    /// </summary>
    internal sealed class Chromium : IAsyncDisposable
    {
        public const string Executable = "/usr/bin/chromium";
        public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(30);
        private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

        private readonly Process _process;
        private readonly string _profile;
        private readonly ClientWebSocket _socket = new ClientWebSocket();
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();
        private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonElement>> _pending = new ConcurrentDictionary<int, TaskCompletionSource<JsonElement>>();
        private readonly List<JsonElement> _events = new List<JsonElement>();
        private readonly SemaphoreSlim _sendLock = new SemaphoreSlim(1, 1);
        private Task? _receiving;
        private int _nextId;

        private Chromium(Process process, string profile)
        {
            _process = process;
            _profile = profile;
        }

        public static async Task<Chromium> StartAsync()
        {
            if (!File.Exists(Executable))
                throw new InvalidOperationException($"Chromium is not installed ({Executable} is missing). Install it with: apt-get -o DPkg::Lock::Timeout=600 install -y chromium (tests/run-all.sh does this).");
            string profile = Directory.CreateTempSubdirectory("starttls-chromium-").FullName;
            var start = new ProcessStartInfo(Executable)
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
                UseShellExecute = false,
            };
            foreach (string argument in new[]
            {
                "--headless", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--no-default-browser-check", "--disable-extensions", "--mute-audio", "--user-data-dir=" + profile,
                "--remote-debugging-port=0", "--window-size=1280,800", "about:blank",
            }) start.ArgumentList.Add(argument);
            // Chromium refuses to run as root with its sandbox on; the tests and CI run as root.
            if (Environment.UserName == "root") start.ArgumentList.Insert(0, "--no-sandbox");

            Process process = Process.Start(start) ?? throw new InvalidOperationException("Chromium did not start.");
            var chromium = new Chromium(process, profile);
            try
            {
                var listening = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
                var log = new ConcurrentQueue<string>();
                process.ErrorDataReceived += (_, e) =>
                {
                    if (e.Data == null) { listening.TrySetException(new InvalidOperationException("Chromium exited before it listened:\n" + string.Join("\n", log))); return; }
                    if (log.Count < 200) log.Enqueue(e.Data);
                    Match match = Regex.Match(e.Data, @"DevTools listening on (ws://127\.0\.0\.1:\d+/devtools/browser/[\w-]+)");
                    if (match.Success) listening.TrySetResult(match.Groups[1].Value);
                };
                process.OutputDataReceived += (_, _) => { };
                process.BeginErrorReadLine();
                process.BeginOutputReadLine();
                string url = await listening.Task.WaitAsync(StartTimeout);
                using var connectTimeout = new CancellationTokenSource(CallTimeout);
                await chromium._socket.ConnectAsync(new Uri(url), connectTimeout.Token);
                chromium._receiving = Task.Run(chromium.ReceiveAsync);
                return chromium;
            }
            catch
            {
                await chromium.DisposeAsync();
                throw;
            }
        }

        /// <summary>A new tab with its own session: Runtime, Log, Page, Network and DOM events recorded from the start.</summary>
        public async Task<string> NewPageAsync(int width, int height, bool scriptsDisabled = false)
        {
            JsonElement target = await SendAsync("Target.createTarget", new { url = "about:blank" });
            JsonElement attached = await SendAsync("Target.attachToTarget", new { targetId = target.GetProperty("targetId").GetString(), flatten = true });
            string session = attached.GetProperty("sessionId").GetString()!;
            foreach (string domain in new[] { "Runtime", "Log", "Page", "Network", "DOM" }) await SendAsync(domain + ".enable", null, session);
            await SendAsync("Emulation.setDeviceMetricsOverride", new { width, height, deviceScaleFactor = 1, mobile = false }, session);
            if (scriptsDisabled) await SendAsync("Emulation.setScriptExecutionDisabled", new { value = true }, session);
            return session;
        }

        public async Task NavigateAsync(string session, string url)
        {
            JsonElement navigated = await SendAsync("Page.navigate", new { url }, session);
            if (navigated.TryGetProperty("errorText", out JsonElement error)) throw new InvalidOperationException($"Chromium could not open {url}: {error}");
            await WaitForEventAsync("Page.loadEventFired", session);
        }

        /// <summary>Evaluates an expression in the page and returns its value (JSON-serialisable values only).</summary>
        public async Task<JsonElement> EvaluateAsync(string session, string expression)
        {
            JsonElement result = await SendAsync("Runtime.evaluate", new { expression, returnByValue = true, awaitPromise = true }, session);
            if (result.TryGetProperty("exceptionDetails", out JsonElement exception)) throw new InvalidOperationException($"the page threw while evaluating {expression}: {exception}");
            return result.GetProperty("result").TryGetProperty("value", out JsonElement value) ? value : default;
        }

        /// <summary>A real left click (mouse moved, pressed, released) at a point in the viewport.</summary>
        public async Task ClickAsync(string session, double x, double y)
        {
            await SendAsync("Input.dispatchMouseEvent", new { type = "mouseMoved", x, y }, session);
            await SendAsync("Input.dispatchMouseEvent", new { type = "mousePressed", x, y, button = "left", clickCount = 1 }, session);
            await SendAsync("Input.dispatchMouseEvent", new { type = "mouseReleased", x, y, button = "left", clickCount = 1 }, session);
        }

        public async Task<JsonElement> SendAsync(string method, object? parameters = null, string? session = null)
        {
            int id = Interlocked.Increment(ref _nextId);
            var reply = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
            _pending[id] = reply;
            var message = new Dictionary<string, object?> { ["id"] = id, ["method"] = method, ["params"] = parameters ?? new { } };
            if (session != null) message["sessionId"] = session;
            byte[] bytes = JsonSerializer.SerializeToUtf8Bytes(message);
            using (var timeout = new CancellationTokenSource(CallTimeout))
            {
                await _sendLock.WaitAsync(timeout.Token);
                try
                {
                    await _socket.SendAsync(bytes, WebSocketMessageType.Text, true, timeout.Token);
                }
                finally
                {
                    _sendLock.Release();
                }
            }
            JsonElement response;
            try
            {
                response = await reply.Task.WaitAsync(CallTimeout);
            }
            catch (TimeoutException)
            {
                throw new TimeoutException($"Chromium did not answer {method} within {CallTimeout.TotalSeconds} s.");
            }
            finally
            {
                _pending.TryRemove(id, out _);
            }
            if (response.TryGetProperty("error", out JsonElement error)) throw new InvalidOperationException($"{method} failed: {error}");
            return response.GetProperty("result");
        }

        /// <summary>Events received so far for a session (or all when null).</summary>
        public IReadOnlyList<JsonElement> Events(string? session = null)
        {
            lock (_events)
                return _events.Where(e => session == null || (e.TryGetProperty("sessionId", out JsonElement s) && s.GetString() == session)).ToList();
        }

        public async Task<JsonElement> WaitForEventAsync(string method, string session)
        {
            var deadline = DateTime.UtcNow + CallTimeout;
            while (DateTime.UtcNow < deadline)
            {
                foreach (JsonElement e in Events(session))
                    if (e.GetProperty("method").GetString() == method) return e;
                await Task.Delay(50);
            }
            throw new TimeoutException($"Chromium sent no {method} within {CallTimeout.TotalSeconds} s.");
        }

        private async Task ReceiveAsync()
        {
            var buffer = new byte[64 * 1024];
            var message = new MemoryStream();
            try
            {
                while (!_stop.IsCancellationRequested && _socket.State == WebSocketState.Open)
                {
                    WebSocketReceiveResult received = await _socket.ReceiveAsync(buffer, _stop.Token);
                    if (received.MessageType == WebSocketMessageType.Close) break;
                    message.Write(buffer, 0, received.Count);
                    if (!received.EndOfMessage) continue;
                    using JsonDocument document = JsonDocument.Parse(message.ToArray());
                    message.SetLength(0);
                    JsonElement root = document.RootElement.Clone();
                    if (root.TryGetProperty("id", out JsonElement id) && _pending.TryGetValue(id.GetInt32(), out var waiter)) waiter.TrySetResult(root);
                    else if (root.TryGetProperty("method", out _)) lock (_events) _events.Add(root);
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException || ex is WebSocketException || ex is ObjectDisposedException)
            {
                // Closing: the browser went away or we stopped it.
            }
            foreach (var waiter in _pending.Values) waiter.TrySetException(new InvalidOperationException("The DevTools connection closed."));
        }

        public async ValueTask DisposeAsync()
        {
            if (_socket.State == WebSocketState.Open)
            {
                try
                {
                    await SendAsync("Browser.close").WaitAsync(TimeSpan.FromSeconds(5));
                }
                catch (Exception ex) when (ex is TimeoutException || ex is InvalidOperationException || ex is WebSocketException)
                {
                    // Killed below.
                }
            }
            _stop.Cancel();
            _socket.Abort();
            if (_receiving != null) await _receiving.WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { });
            if (!_process.WaitForExit(5000))
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5000);
            }
            _process.Dispose();
            _socket.Dispose();
            _stop.Dispose();
            try
            {
                Directory.Delete(_profile, recursive: true);
            }
            catch (IOException)
            {
                // A renderer may still hold a file for a moment; the temp folder is cleaned by the OS.
            }
        }
    }
}
