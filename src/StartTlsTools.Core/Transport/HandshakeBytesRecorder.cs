using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace StartTlsTools.Transport
{
    /// <summary>
    /// Sits between SslStream and the connection and keeps a copy of the first bytes the server sends during the
    /// handshake. After a failed handshake they show whether a TLS record came back at all, or plaintext (a
    /// middlebox that answered the go-ahead itself, a server that never switched). Everything else passes through.
    /// </summary>
    internal sealed class HandshakeBytesRecorder : Stream
    {
        /// <summary>Enough for a TLS record header or a line of text.</summary>
        public const int Capacity = 64;
        private readonly Stream _inner;
        private readonly byte[] _recorded = new byte[Capacity];
        private int _count;
        private bool _recording = true;

        public HandshakeBytesRecorder(Stream inner) => _inner = inner;

        public byte[] Recorded
        {
            get
            {
                var copy = new byte[_count];
                Buffer.BlockCopy(_recorded, 0, copy, 0, _count);
                return copy;
            }
        }

        public void StopRecording() => _recording = false;

        private int Record(byte[] buffer, int offset, int read)
        {
            if (_recording && read > 0 && _count < Capacity)
            {
                int n = Math.Min(read, Capacity - _count);
                Buffer.BlockCopy(buffer, offset, _recorded, _count, n);
                _count += n;
            }
            return read;
        }

        public override int Read(byte[] buffer, int offset, int count) => Record(buffer, offset, _inner.Read(buffer, offset, count));

        public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Record(buffer, offset, await _inner.ReadAsync(buffer, offset, count, cancellationToken).ConfigureAwait(false));

        public override void Write(byte[] buffer, int offset, int count) => _inner.Write(buffer, offset, count);

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            _inner.WriteAsync(buffer, offset, count, cancellationToken);

        public override void Flush() => _inner.Flush();
        public override Task FlushAsync(CancellationToken cancellationToken) => _inner.FlushAsync(cancellationToken);
        public override bool CanRead => _inner.CanRead;
        public override bool CanSeek => false;
        public override bool CanWrite => _inner.CanWrite;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing) _inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
