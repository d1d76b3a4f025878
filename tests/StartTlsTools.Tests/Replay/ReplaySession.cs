using System;
using System.Diagnostics;
using System.IO;
using System.Threading;
using StartTlsTools.Transport;

namespace StartTlsTools.Tests.Replay
{
    internal static class ReplaySession
    {
        /// <summary>A session over any stream, with the production bounds and a short step timeout.</summary>
        public static ProtocolSession Over(Stream stream, TimeSpan? timeout = null) =>
            new ProtocolSession(stream, stream.Dispose, timeout ?? TimeSpan.FromSeconds(5), CancellationToken.None,
                new TranscriptRecorder(Stopwatch.StartNew()));
    }
}
