using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace StartTlsTools.Transport
{
    public enum TranscriptDirection { Client, Server }

    public enum TranscriptPhase { Plain, Tls }

    public sealed class TranscriptEntry
    {
        public TranscriptEntry(TimeSpan elapsed, TranscriptDirection direction, TranscriptPhase phase, string text)
        {
            Elapsed = elapsed;
            Direction = direction;
            Phase = phase;
            Text = text;
        }

        public TimeSpan Elapsed { get; }
        public TranscriptDirection Direction { get; }
        public TranscriptPhase Phase { get; }
        public string Text { get; }

        public override string ToString() => string.Format(CultureInfo.InvariantCulture, "+{0,8:0.0}ms {1} {2,-5} {3}",
            Elapsed.TotalMilliseconds, Direction == TranscriptDirection.Client ? "C" : "S", Phase == TranscriptPhase.Plain ? "plain" : "tls", Text);
    }

    /// <summary>Records the dialogue. Callers pass redacted text for anything secret; the raw bytes never come here.</summary>
    public sealed class TranscriptRecorder
    {
        // A hostile server must not be able to grow the transcript without bound.
        public const int MaxEntries = 2000;
        private readonly List<TranscriptEntry> _entries = new List<TranscriptEntry>();
        private readonly Stopwatch _clock;

        public TranscriptRecorder(Stopwatch clock) => _clock = clock;

        public IReadOnlyList<TranscriptEntry> Entries => _entries;

        public void Add(TranscriptDirection direction, TranscriptPhase phase, string text)
        {
            // Server text (and anything else) is inert in the transcript: it is shown on consoles and written to files.
            if (_entries.Count < MaxEntries) _entries.Add(new TranscriptEntry(_clock.Elapsed, direction, phase, ServerText.Inert(text)));
        }

        public override string ToString()
        {
            var sb = new StringBuilder();
            foreach (var entry in _entries) sb.Append(entry).Append('\n');
            if (_entries.Count >= MaxEntries) sb.Append("(transcript truncated)\n");
            return sb.ToString();
        }
    }
}
