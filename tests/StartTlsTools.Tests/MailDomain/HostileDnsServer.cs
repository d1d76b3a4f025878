using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace StartTlsTools.Tests.MailDomain
{
    /// <summary>What the hostile DNS server does with each query.</summary>
    public enum DnsMisbehaviour
    {
        /// <summary>Never answers, over UDP or TCP.</summary>
        Silent,
        /// <summary>UDP: TC bit and no records; TCP: the whole answer (three A records).</summary>
        TruncatedThenTcp,
        /// <summary>UDP: TC bit; TCP: accepts and closes at once.</summary>
        TruncatedTcpCloses,
        ServFail,
        /// <summary>a CNAME b, b CNAME a, and no address.</summary>
        CnameLoop,
        /// <summary>NOERROR with no records.</summary>
        Empty,
        /// <summary>UDP: TC bit; TCP: 1,500 TXT records (over 60 KB).</summary>
        Oversized,
        /// <summary>Random bytes instead of a DNS message.</summary>
        Garbage,
    }

    /// <summary>
    /// A DNS server on 127.0.0.1 (UDP and TCP on one port) that misbehaves in one chosen way: what no real resolver in
    /// the lab can be made to do on demand. It writes the few message forms it needs by hand (RFC 1035 section 4).
    /// </summary>
    internal sealed class HostileDnsServer : IDisposable
    {
        private readonly DnsMisbehaviour _mode;
        private readonly UdpClient _udp;
        private readonly TcpListener _tcp;
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();
        private readonly List<TcpClient> _held = new List<TcpClient>();

        public HostileDnsServer(DnsMisbehaviour mode)
        {
            _mode = mode;
            // UDP and TCP must share the port: DnsClient retries a truncated answer over TCP on the same endpoint.
            for (int attempt = 0; ; attempt++)
            {
                var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
                int port = ((IPEndPoint)udp.Client.LocalEndPoint!).Port;
                try
                {
                    var tcp = new TcpListener(IPAddress.Loopback, port);
                    tcp.Start();
                    _udp = udp;
                    _tcp = tcp;
                    Port = port;
                    break;
                }
                catch (SocketException) when (attempt < 20)
                {
                    udp.Dispose();
                }
            }
            _ = ServeUdpAsync();
            _ = ServeTcpAsync();
        }

        public int Port { get; }
        public IPEndPoint EndPoint => new IPEndPoint(IPAddress.Loopback, Port);
        public int Queries;

        private async Task ServeUdpAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                UdpReceiveResult received;
                try { received = await _udp.ReceiveAsync(); }
                catch (Exception) { return; }
                Interlocked.Increment(ref Queries);
                byte[]? answer = Answer(received.Buffer, tcp: false);
                if (answer != null) try { await _udp.SendAsync(answer, answer.Length, received.RemoteEndPoint); } catch (Exception) { return; }
            }
        }

        private async Task ServeTcpAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                TcpClient client;
                try { client = await _tcp.AcceptTcpClientAsync(); }
                catch (Exception) { return; }
                _ = HandleTcpAsync(client);
            }
        }

        private async Task HandleTcpAsync(TcpClient client)
        {
            if (_mode == DnsMisbehaviour.TruncatedTcpCloses) { client.Dispose(); return; }
            lock (_held) _held.Add(client);
            try
            {
                NetworkStream stream = client.GetStream();
                var length = new byte[2];
                if (!await ReadExactly(stream, length)) return;
                var query = new byte[length[0] << 8 | length[1]];
                if (!await ReadExactly(stream, query)) return;
                Interlocked.Increment(ref Queries);
                byte[]? answer = Answer(query, tcp: true);
                if (answer == null) return;   // silent: keep the connection open and say nothing
                await stream.WriteAsync(new[] { (byte)(answer.Length >> 8), (byte)answer.Length });
                await stream.WriteAsync(answer);
            }
            catch (Exception)
            {
                // the client gave up; nothing to do
            }
        }

        private static async Task<bool> ReadExactly(NetworkStream stream, byte[] buffer)
        {
            int read = 0;
            while (read < buffer.Length)
            {
                int n = await stream.ReadAsync(buffer.AsMemory(read));
                if (n == 0) return false;
                read += n;
            }
            return true;
        }

        private byte[]? Answer(byte[] query, bool tcp)
        {
            if (query.Length < 12) return null;
            int end = 12;
            while (end < query.Length && query[end] != 0) end += query[end] + 1;
            end += 5;   // the root label, QTYPE, QCLASS
            if (end > query.Length) return null;
            byte[] question = query[12..end];
            switch (_mode)
            {
                case DnsMisbehaviour.Silent: return null;
                case DnsMisbehaviour.Garbage:
                    var junk = new byte[64];
                    new Random(7).NextBytes(junk);
                    return junk;
                case DnsMisbehaviour.ServFail: return Message(query, question, rcode: 2, truncated: false, new List<byte[]>());
                case DnsMisbehaviour.Empty: return Message(query, question, 0, false, new List<byte[]>());
                case DnsMisbehaviour.CnameLoop:
                    return Message(query, question, 0, false, new List<byte[]>
                    {
                        Record(Pointer, 5, Name("loop-b.test")),
                        Record(Name("loop-b.test"), 5, Pointer),
                    });
                case DnsMisbehaviour.TruncatedThenTcp:
                case DnsMisbehaviour.TruncatedTcpCloses:
                    if (!tcp) return Message(query, question, 0, truncated: true, new List<byte[]>());
                    return Message(query, question, 0, false, new List<byte[]>
                    {
                        Record(Pointer, 1, new byte[] { 127, 0, 0, 1 }), Record(Pointer, 1, new byte[] { 127, 0, 0, 2 }), Record(Pointer, 1, new byte[] { 127, 0, 0, 3 }),
                    });
                case DnsMisbehaviour.Oversized:
                    if (!tcp) return Message(query, question, 0, truncated: true, new List<byte[]>());
                    var many = new List<byte[]>();
                    for (int i = 0; i < 1500; i++) many.Add(Record(Pointer, 16, Txt($"record {i} " + new string('x', 20))));
                    return Message(query, question, 0, false, many);
                default: return null;
            }
        }

        private static readonly byte[] Pointer = { 0xC0, 12 };

        private static byte[] Message(byte[] query, byte[] question, int rcode, bool truncated, List<byte[]> answers)
        {
            var m = new List<byte> { query[0], query[1], (byte)(0x81 | (truncated ? 0x02 : 0)), (byte)(0x80 | rcode), 0, 1, (byte)(answers.Count >> 8), (byte)answers.Count, 0, 0, 0, 0 };
            m.AddRange(question);
            foreach (byte[] a in answers) m.AddRange(a);
            return m.ToArray();
        }

        private static byte[] Record(byte[] owner, int type, byte[] data)
        {
            var r = new List<byte>(owner) { (byte)(type >> 8), (byte)type, 0, 1, 0, 0, 0, 60, (byte)(data.Length >> 8), (byte)data.Length };
            r.AddRange(data);
            return r.ToArray();
        }

        private static byte[] Name(string name)
        {
            var bytes = new List<byte>();
            foreach (string label in name.Split('.'))
            {
                bytes.Add((byte)label.Length);
                bytes.AddRange(Encoding.ASCII.GetBytes(label));
            }
            bytes.Add(0);
            return bytes.ToArray();
        }

        private static byte[] Txt(string text)
        {
            var b = new List<byte> { (byte)text.Length };
            b.AddRange(Encoding.ASCII.GetBytes(text));
            return b.ToArray();
        }

        public void Dispose()
        {
            _stop.Cancel();
            _udp.Dispose();
            _tcp.Stop();
            lock (_held) foreach (TcpClient c in _held) c.Dispose();
            _stop.Dispose();
        }
    }
}
