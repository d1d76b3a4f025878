using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace StartTlsTools.Tests.Fuzz
{
    /// <summary>
    /// A "server" made of fuzz bytes: reads return the input in chunks (whole, tiny or medium, chosen per case, so
    /// that lines straddle reads the way TCP segments make them), then EOF. Writes are swallowed. Never blocks.
    /// </summary>
    public sealed class FuzzStream : Stream
    {
        private readonly byte[] _data;
        private readonly Random _random;
        private readonly int _maxChunk;
        private int _position;
        private bool _disposed;

        public FuzzStream(byte[] data, Random random)
        {
            _data = data;
            _random = random;
            int mode = random.Next(4);
            _maxChunk = mode == 0 ? 1 + random.Next(16) : mode == 1 ? 1 + random.Next(4096) : int.MaxValue;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_disposed) throw new ObjectDisposedException(nameof(FuzzStream));
            int chunk = _maxChunk == int.MaxValue ? count : 1 + _random.Next(_maxChunk);
            int n = Math.Min(Math.Min(count, chunk), _data.Length - _position);
            Buffer.BlockCopy(_data, _position, buffer, offset, n);
            _position += n;
            return n;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Task.FromResult(Read(buffer, offset, count));

        public override void Write(byte[] buffer, int offset, int count)
        {
            if (_disposed) throw new ObjectDisposedException(nameof(FuzzStream));
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            Write(buffer, offset, count);
            return Task.CompletedTask;
        }

        public override void Flush() { }
        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            _disposed = true;
            base.Dispose(disposing);
        }
    }
}
