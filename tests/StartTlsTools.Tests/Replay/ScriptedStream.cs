using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace StartTlsTools.Tests.Replay
{
    /// <summary>How a replayed server hands its bytes over: all at once, a line (or binary record) per read, or a byte per read.</summary>
    public enum Delivery { Whole, PerLine, PerByte }

    /// <summary>
    /// A server played from a script. It serves the server's lines in the chosen delivery, checks that each
    /// client line is the one expected, and records a violation when the client speaks before the server
    /// has finished (the postscreen rule) or sends something unexpected.
    /// </summary>
    public sealed class ScriptedStream : Stream
    {
        private readonly List<ScriptStep> _steps;
        private readonly Delivery _delivery;
        private readonly StringBuilder _clientLine = new StringBuilder();
        private List<byte>? _clientBytes;
        private int _step;
        private int _offset;

        public ScriptedStream(IEnumerable<ScriptStep> steps, Delivery delivery)
        {
            _steps = new List<ScriptStep>(steps);
            _delivery = delivery;
        }

        public List<string> Violations { get; } = new List<string>();
        public List<string> ClientLines { get; } = new List<string>();

        /// <summary>
        /// Null when every step of the script was played; otherwise what was left. A dialect that skips its goodbye
        /// (or reads less than the server sent) leaves steps unplayed, and the replay fails on that.
        /// </summary>
        public string? Unconsumed
        {
            get
            {
                if (_step >= _steps.Count) return null;
                // A stream reader (XMPP) rightly stops after the last element, before the line end the script adds.
                if (_step == _steps.Count - 1 && _steps[_step].FromServer && OnlyTrailingWhitespaceUnread()) return null;
                var step = _steps[_step];
                string where = _offset > 0 ? $" (its first {_offset} bytes were read)" : "";
                return $"{_steps.Count - _step} step(s) never played, from {(step.FromServer ? "server" : "client")} '{step.Text}'{where}";
            }
        }

        /// <summary>
        /// Takes the server bytes that remain before the client's next turn (or the end), as the engine discards
        /// plaintext that follows a STARTTLS go-ahead, and returns them.
        /// </summary>
        public byte[] DrainServer()
        {
            var drained = new List<byte>();
            while (_step < _steps.Count && _steps[_step].FromServer)
            {
                byte[] bytes = _steps[_step].Bytes;
                for (int i = _offset; i < bytes.Length; i++) drained.Add(bytes[i]);
                _step++;
                _offset = 0;
            }
            return drained.ToArray();
        }

        /// <summary>Server bytes left in the script when only server steps remain (what a client deliberately did not read).</summary>
        public int UnreadServerBytes()
        {
            int count = 0;
            for (int i = _step; i < _steps.Count; i++)
            {
                if (!_steps[i].FromServer) return -1;
                count += _steps[i].Bytes.Length - (i == _step ? _offset : 0);
            }
            return count;
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_step < _steps.Count && !_steps[_step].FromServer)
                throw new InvalidOperationException($"The client waits for the server, but the script expects the client to send '{_steps[_step].Text}'.");
            if (_step >= _steps.Count) return 0;
            int served = 0;
            while (served < count && _step < _steps.Count && _steps[_step].FromServer)
            {
                byte[] bytes = _steps[_step].Bytes;
                int n = _delivery switch
                {
                    Delivery.PerByte => 1,
                    _ => bytes.Length - _offset,
                };
                n = Math.Min(n, count - served);
                Buffer.BlockCopy(bytes, _offset, buffer, offset + served, n);
                served += n;
                _offset += n;
                if (_offset == bytes.Length)
                {
                    _step++;
                    _offset = 0;
                }
                if (_delivery != Delivery.Whole) break;
            }
            return served;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Task.FromResult(Read(buffer, offset, count));

        public override void Write(byte[] buffer, int offset, int count)
        {
            int i = offset, end = offset + count;
            while (i < end)
            {
                if (_clientLine.Length == 0 && _clientBytes == null) BeginClientMessage();
                if (_clientBytes != null)
                {
                    i += TakeClientBytes(buffer, i, end - i);
                    continue;
                }
                char c = (char)buffer[i++];
                _clientLine.Append(c);
                if (c != '\n') continue;
                string line = _clientLine.ToString();
                _clientLine.Clear();
                if (!line.EndsWith("\r\n", StringComparison.Ordinal)) Violations.Add($"Client line without CRLF: '{line.TrimEnd()}'.");
                line = line.TrimEnd('\r', '\n');
                ClientLines.Add(line);
                if (_step >= _steps.Count) Violations.Add($"The client sent '{line}' after the script ended.");
                else if (_steps[_step].Text != line) Violations.Add($"Expected the client to send '{_steps[_step].Text}' but it sent '{line}'.");
                _step++;
            }
        }

        /// <summary>
        /// The client starts a message: the server must have finished its turn (the postscreen rule). A binary
        /// step next in the script switches to byte comparison for this message.
        /// </summary>
        private void BeginClientMessage()
        {
            if (_step < _steps.Count && _steps[_step].FromServer && !OnlyTrailingWhitespaceUnread())
                Violations.Add($"The client sent before the server finished sending '{_steps[_step].Text}'.");
            while (_step < _steps.Count && _steps[_step].FromServer) { _step++; _offset = 0; }
            if (_step < _steps.Count && _steps[_step].IsBinary) _clientBytes = new List<byte>();
        }

        /// <summary>Collects up to the expected step's length, then compares the bytes exactly.</summary>
        private int TakeClientBytes(byte[] buffer, int offset, int available)
        {
            byte[] expected = _steps[_step].Bytes;
            int n = Math.Min(expected.Length - _clientBytes!.Count, available);
            for (int k = 0; k < n; k++) _clientBytes.Add(buffer[offset + k]);
            if (_clientBytes.Count == expected.Length)
            {
                string sent = Hex(_clientBytes.ToArray());
                ClientLines.Add(sent);
                if (sent != _steps[_step].Text) Violations.Add($"Expected the client to send '{_steps[_step].Text}' but it sent '{sent}'.");
                _clientBytes = null;
                _step++;
            }
            return n;
        }

        public static string Hex(byte[] bytes) => string.Join(" ", Array.ConvertAll(bytes, b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));

        /// <summary>
        /// True when all the server still has to send before the client's turn is the whitespace that ends the
        /// current step (the CRLF after an XMPP element, which a stream reader rightly does not wait for).
        /// Line-based readers always consume the CRLF, so for them this never hides an early client.
        /// </summary>
        private bool OnlyTrailingWhitespaceUnread()
        {
            if (_step + 1 < _steps.Count && _steps[_step + 1].FromServer) return false;
            byte[] bytes = _steps[_step].Bytes;
            for (int i = _offset; i < bytes.Length; i++)
                if (bytes[i] != (byte)'\r' && bytes[i] != (byte)'\n' && bytes[i] != (byte)' ' && bytes[i] != (byte)'\t') return false;
            return true;
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            Write(buffer, offset, count);
            return Task.CompletedTask;
        }

        public override void Flush() { }
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }

    public sealed class ScriptStep
    {
        private ScriptStep(bool fromServer, string text, byte[] bytes, bool isBinary = false)
        {
            FromServer = fromServer;
            Text = text;
            Bytes = bytes;
            IsBinary = isBinary;
        }

        public bool FromServer { get; }
        /// <summary>A client step compared byte for byte (binary protocols) rather than as a CRLF line.</summary>
        public bool IsBinary { get; }
        public string Text { get; }
        public byte[] Bytes { get; }

        /// <summary>A server line; CRLF is added.</summary>
        public static ScriptStep Server(string line) => new ScriptStep(true, line, Encoding.UTF8.GetBytes(line + "\r\n"));
        /// <summary>Server bytes exactly as given: no CRLF added.</summary>
        public static ScriptStep ServerRaw(byte[] bytes) => new ScriptStep(true, $"({bytes.Length} raw bytes)", bytes);
        public static ScriptStep Client(string line) => new ScriptStep(false, line, Array.Empty<byte>());
        /// <summary>The exact bytes the client must send next, for binary protocols.</summary>
        public static ScriptStep ClientRaw(byte[] bytes) => new ScriptStep(false, ScriptedStream.Hex(bytes), bytes, isBinary: true);
    }
}
