using System.Buffers.Binary;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Channels;

namespace VeloZ.SimVenue.Tests.Support;

/// <summary>
/// A bare-bones WebSocket client over TCP that shows every frame (pings included) and never answers
/// on its own, to observe the venue's keep-alive behaviour.
/// </summary>
internal sealed class RawWsClient : IAsyncDisposable
{
    public const byte Text = 0x1;
    public const byte Close = 0x8;
    public const byte Ping = 0x9;
    public const byte Pong = 0xA;

    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;
    private readonly Channel<(byte Opcode, byte[] Payload)> _frames = Channel.CreateUnbounded<(byte Opcode, byte[] Payload)>();
    private Task? _reader;

    private RawWsClient(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
    }

    public static async Task<RawWsClient> ConnectAsync(Uri uri)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync(uri.Host, uri.Port, TestContext.Current.CancellationToken);
        var client = new RawWsClient(tcp);
        var handshake = $"GET {uri.PathAndQuery} HTTP/1.1\r\nHost: {uri.Host}:{uri.Port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
                        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
        await client._stream.WriteAsync(Encoding.ASCII.GetBytes(handshake), TestContext.Current.CancellationToken);
        var response = new StringBuilder();
        var one = new byte[1];
        while (!response.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            await client._stream.ReadExactlyAsync(one, TestContext.Current.CancellationToken);
            response.Append((char)one[0]);
        }

        var head = response.ToString();
        Assert.StartsWith("HTTP/1.1 101", head, StringComparison.Ordinal);

        // RFC 6455's own example key/accept pair.
        Assert.Contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", head, StringComparison.Ordinal);
        return client;
    }

    /// <summary>The next frame; null when the server closed the TCP connection or nothing came in time.</summary>
    public async Task<(byte Opcode, byte[] Payload)?> ReadFrameAsync(TimeSpan? wait = null)
    {
        _reader ??= ReadLoopAsync();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(wait ?? TimeSpan.FromSeconds(5));
        try
        {
            return await _frames.Reader.ReadAsync(timeout.Token);
        }
        catch (Exception exception) when (exception is OperationCanceledException or ChannelClosedException)
        {
            return null;
        }
    }

    private async Task ReadLoopAsync()
    {
        try
        {
            while (true)
            {
                var header = new byte[2];
                await _stream.ReadExactlyAsync(header);
                long length = header[1] & 0x7F;
                if (length == 126)
                {
                    var ext = new byte[2];
                    await _stream.ReadExactlyAsync(ext);
                    length = BinaryPrimitives.ReadUInt16BigEndian(ext);
                }
                else if (length == 127)
                {
                    var ext = new byte[8];
                    await _stream.ReadExactlyAsync(ext);
                    length = BinaryPrimitives.ReadInt64BigEndian(ext);
                }

                if ((header[1] & 0x80) != 0)
                {
                    throw new InvalidOperationException("Server frames must not be masked.");
                }

                var payload = new byte[length];
                await _stream.ReadExactlyAsync(payload);
                _frames.Writer.TryWrite(((byte)(header[0] & 0x0F), payload));
            }
        }
        catch (Exception exception) when (exception is EndOfStreamException or IOException or ObjectDisposedException)
        {
            // Closed by the server (or by us on dispose).
        }
        finally
        {
            _frames.Writer.TryComplete();
        }
    }

    /// <summary>Reads frames until one with <paramref name="opcode"/> (others are skipped).</summary>
    public async Task<byte[]> ReadUntilAsync(byte opcode, TimeSpan? wait = null)
    {
        while (true)
        {
            var frame = await ReadFrameAsync(wait) ?? throw new InvalidOperationException("Connection closed.");
            if (frame.Opcode == opcode)
            {
                return frame.Payload;
            }
        }
    }

    public async Task SendFrameAsync(byte opcode, byte[] payload)
    {
        var mask = RandomNumberGenerator.GetBytes(4);
        var frame = new List<byte> { (byte)(0x80 | opcode), (byte)(0x80 | payload.Length) };
        frame.AddRange(mask);
        frame.AddRange(payload.Select((b, i) => (byte)(b ^ mask[i & 3])));
        await _stream.WriteAsync(frame.ToArray(), TestContext.Current.CancellationToken);
    }

    public Task SendTextAsync(string text) => SendFrameAsync(Text, Encoding.UTF8.GetBytes(text));

    public async ValueTask DisposeAsync()
    {
        _tcp.Dispose();
        if (_reader is not null)
        {
            await _reader;
        }
    }
}
