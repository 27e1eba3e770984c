using System.Net;
using System.Net.Sockets;
using System.Text;

namespace VeloZ.Bench;

/// <summary>
/// Many concurrent SSE subscribers of <c>GET /api/stream</c>, each one plain TCP connection speaking
/// HTTP/1.1 as <c>EventSource</c> does (chunked response). Each receive is parsed in place (no strings, no
/// per-event allocation): for every <c>market</c> event the latency is the wall clock at receipt minus the
/// event's <c>ts_ns</c> (the simulated venue's trade time, same machine clock). Ids are checked for gaps, so
/// a lost or dropped event shows.
/// </summary>
internal sealed class SseSwarm : IAsyncDisposable
{
    private readonly IPEndPoint _endpoint;
    private readonly byte[] _request;
    private readonly List<Subscriber> _subscribers = [];
    private readonly List<Task> _running = [];
    private readonly CancellationTokenSource _stop = new();
    private LatencyHistogram? _recorder;

    public SseSwarm(Uri apiBase)
    {
        ArgumentNullException.ThrowIfNull(apiBase);
        _endpoint = new IPEndPoint(IPAddress.Parse(apiBase.Host), apiBase.Port);
        _request = Encoding.ASCII.GetBytes($"GET /api/stream HTTP/1.1\r\nHost: {apiBase.Authority}\r\nAccept: text/event-stream\r\nCache-Control: no-cache\r\n\r\n");
    }

    public int Count => _subscribers.Count;

    /// <summary>Subscribers whose response ended (the server dropped them, or the connection failed).</summary>
    public int Ended => _subscribers.Count(s => s.Ended);

    /// <summary>Events missing between consecutive ids, over all subscribers.</summary>
    public long Gaps => _subscribers.Sum(s => Interlocked.Read(ref s.Gaps));

    /// <summary>Events received (any type), over all subscribers.</summary>
    public long Events => _subscribers.Sum(s => Interlocked.Read(ref s.Events));

    /// <summary>Starts (or, with null, stops) recording market event latencies.</summary>
    public void Record(LatencyHistogram? histogram) => Volatile.Write(ref _recorder, histogram);

    /// <summary>Opens subscribers until there are <paramref name="total"/>, <paramref name="parallel"/> handshakes at a time.</summary>
    public async Task GrowToAsync(int total, int parallel = 64)
    {
        using var gate = new SemaphoreSlim(parallel);
        var opening = new List<Task>();
        for (var i = _subscribers.Count; i < total; i++)
        {
            await gate.WaitAsync();
            opening.Add(OpenOneAsync(gate));
        }

        await Task.WhenAll(opening);
    }

    private async Task OpenOneAsync(SemaphoreSlim gate)
    {
        try
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(_endpoint, _stop.Token);
            await socket.SendAsync(_request, SocketFlags.None, _stop.Token);
            var subscriber = new Subscriber(socket, this);
            var run = subscriber.RunAsync(_stop.Token);
            await subscriber.Headers.Task.WaitAsync(TimeSpan.FromSeconds(60));
            lock (_subscribers)
            {
                _subscribers.Add(subscriber);
                _running.Add(run);
            }
        }
        finally
        {
            gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        foreach (var s in _subscribers)
        {
            s.Socket.Dispose();
        }

        await Task.WhenAll(_running).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }

    private static long NowUnixNs() => (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) * 100;

    /// <summary>One subscriber: HTTP/1.1 response head, chunked transfer decoding, SSE frames.</summary>
    private sealed class Subscriber(Socket socket, SseSwarm swarm)
    {
        private static readonly byte[] s_headEnd = "\r\n\r\n"u8.ToArray();
        private static readonly byte[] s_frameEnd = "\n\n"u8.ToArray();
        private static readonly byte[] s_tsNs = "\"ts_ns\":"u8.ToArray();

        private readonly byte[] _receive = new byte[8192];
        private byte[] _text = new byte[8192];
        private int _textLength;
        private State _state = State.Head;
        private bool _chunked;
        private long _chunkLeft;
        private int _crlfLeft;
        private long _lastId = -1;

        public long Gaps;
        public long Events;

        private enum State
        {
            Head,
            ChunkSize,
            ChunkData,
            ChunkEnd,
            Body,
        }

        public Socket Socket => socket;

        public TaskCompletionSource Headers { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool Ended { get; private set; }

        public async Task RunAsync(CancellationToken stop)
        {
            try
            {
                while (true)
                {
                    var read = await socket.ReceiveAsync(_receive.AsMemory(), SocketFlags.None, stop);
                    if (read == 0)
                    {
                        break;
                    }

                    Consume(_receive.AsSpan(0, read), NowUnixNs());
                }
            }
            catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException or InvalidDataException)
            {
                Headers.TrySetException(ex);
            }
            finally
            {
                Ended = !stop.IsCancellationRequested;
                Headers.TrySetException(new IOException("The stream ended before its headers."));
            }
        }

        private void Consume(ReadOnlySpan<byte> data, long receivedNs)
        {
            while (data.Length > 0)
            {
                switch (_state)
                {
                    case State.Head:
                        Append(data);
                        data = [];
                        var end = _text.AsSpan(0, _textLength).IndexOf(s_headEnd);
                        if (end >= 0)
                        {
                            var head = Encoding.ASCII.GetString(_text, 0, end);
                            if (!head.StartsWith("HTTP/1.1 200", StringComparison.Ordinal))
                            {
                                throw new InvalidDataException($"GET /api/stream answered: {head.Split('\r')[0]}");
                            }

                            _chunked = head.Contains("transfer-encoding: chunked", StringComparison.OrdinalIgnoreCase);
                            var rest = _text.AsSpan(end + 4, _textLength - end - 4).ToArray();
                            _textLength = 0;
                            _state = _chunked ? State.ChunkSize : State.Body;
                            Headers.TrySetResult();
                            data = rest;
                        }

                        break;
                    case State.ChunkSize:
                        {
                            // "<hex>\r\n": read hex digits until the line feed.
                            var b = data[0];
                            data = data[1..];
                            if (b == (byte)'\n')
                            {
                                if (_chunkLeft == 0)
                                {
                                    throw new InvalidDataException("The stream's response ended.");
                                }

                                _state = State.ChunkData;
                            }
                            else if (b != (byte)'\r')
                            {
                                _chunkLeft = (_chunkLeft << 4) | (long)HexValue(b);
                            }

                            break;
                        }

                    case State.ChunkData:
                        {
                            var n = (int)Math.Min(_chunkLeft, data.Length);
                            Append(data[..n]);
                            data = data[n..];
                            _chunkLeft -= n;
                            if (_chunkLeft == 0)
                            {
                                _state = State.ChunkEnd;
                                _crlfLeft = 2;
                            }

                            break;
                        }

                    case State.ChunkEnd:
                        data = data[1..];
                        if (--_crlfLeft == 0)
                        {
                            _state = State.ChunkSize;
                        }

                        break;
                    default:
                        Append(data);
                        data = [];
                        break;
                }
            }

            if (_state != State.Head)
            {
                Frames(receivedNs);
            }
        }

        private static int HexValue(byte b) => b switch
        {
            >= (byte)'0' and <= (byte)'9' => b - '0',
            >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
            >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
            _ => throw new InvalidDataException($"Bad chunk size byte {b}."),
        };

        private void Append(ReadOnlySpan<byte> data)
        {
            if (_textLength + data.Length > _text.Length)
            {
                Array.Resize(ref _text, Math.Max(_text.Length * 2, _textLength + data.Length));
            }

            data.CopyTo(_text.AsSpan(_textLength));
            _textLength += data.Length;
        }

        /// <summary>Handles every complete SSE frame in the text buffer and keeps the incomplete rest.</summary>
        private void Frames(long receivedNs)
        {
            var start = 0;
            while (true)
            {
                var span = _text.AsSpan(start, _textLength - start);
                var end = span.IndexOf(s_frameEnd);
                if (end < 0)
                {
                    break;
                }

                Frame(span[..end], receivedNs);
                start += end + 2;
            }

            if (start > 0)
            {
                _text.AsSpan(start, _textLength - start).CopyTo(_text);
                _textLength -= start;
            }
        }

        private void Frame(ReadOnlySpan<byte> frame, long receivedNs)
        {
            if (frame.IsEmpty || frame[0] == (byte)':')
            {
                return; // a comment (keep-alive)
            }

            long id = -1;
            var market = false;
            ReadOnlySpan<byte> payload = default;
            foreach (var range in frame.Split((byte)'\n'))
            {
                var line = frame[range];
                if (line.StartsWith("id: "u8))
                {
                    id = ParseDigits(line[4..]);
                }
                else if (line.StartsWith("event: "u8))
                {
                    market = line[7..].SequenceEqual("market"u8);
                }
                else if (line.StartsWith("data: "u8))
                {
                    payload = line[6..];
                }
            }

            Interlocked.Increment(ref Events);
            if (id >= 0)
            {
                if (_lastId >= 0 && id > _lastId + 1)
                {
                    Interlocked.Add(ref Gaps, id - _lastId - 1);
                }

                _lastId = id;
            }

            if (market && Volatile.Read(ref swarm._recorder) is { } recorder)
            {
                var at = payload.IndexOf(s_tsNs);
                if (at >= 0)
                {
                    recorder.Record(receivedNs - ParseDigits(payload[(at + s_tsNs.Length)..]));
                }
            }
        }

        private static long ParseDigits(ReadOnlySpan<byte> text)
        {
            long value = 0;
            foreach (var b in text)
            {
                if (b is < (byte)'0' or > (byte)'9')
                {
                    break;
                }

                value = (value * 10) + (b - '0');
            }

            return value;
        }
    }
}
