using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace VeloZ.SimVenue.Streams;

/// <summary>
/// A minimal RFC 6455 server connection over Kestrel's upgraded stream. The venue frames messages
/// itself (instead of using the framework's WebSocket) because it must send its own ping frames on
/// the venue clock, see the client's pong payloads, and drop or close connections on demand, as
/// Binance does (Binance's web-socket-api.md and web-socket-streams.md "General API Information"). Sends are serialized by a lock; only one reader calls <see cref="ReceiveAsync"/>.
/// </summary>
internal sealed class WsConnection : IDisposable
{
    private const int MaxMessageBytes = 1 << 20;
    private const string HandshakeGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private readonly HttpContext _context;
    private readonly Stream _stream;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly byte[] _header = new byte[14];
    private int _closeSent;

    private WsConnection(HttpContext context, Stream stream)
    {
        _context = context;
        _stream = stream;
    }

    /// <summary>Called with each pong payload the client sends.</summary>
    public Action<string>? PongReceived { get; set; }

    /// <summary>Called for every data, ping or pong frame received (for incoming message limits).</summary>
    public Action? FrameReceived { get; set; }

    public static bool IsWebSocketRequest(HttpContext context) =>
        context.Features.Get<IHttpUpgradeFeature>() is { IsUpgradableRequest: true }
        && string.Equals(context.Request.Headers.Upgrade.ToString(), "websocket", StringComparison.OrdinalIgnoreCase)
        && context.Request.Headers["Sec-WebSocket-Key"].ToString().Length > 0;

    /// <summary>Completes the handshake (101 Switching Protocols). Call only when <see cref="IsWebSocketRequest"/>.</summary>
    public static async Task<WsConnection> AcceptAsync(HttpContext context)
    {
        var upgrade = context.Features.Get<IHttpUpgradeFeature>()!;
        var key = context.Request.Headers["Sec-WebSocket-Key"].ToString().Trim();
#pragma warning disable CA5350 // SHA-1 is mandated by RFC 6455 for the handshake; it protects nothing.
        var accept = Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + HandshakeGuid)));
#pragma warning restore CA5350
        context.Response.Headers.Connection = "Upgrade";
        context.Response.Headers.Upgrade = "websocket";
        context.Response.Headers["Sec-WebSocket-Accept"] = accept;
        var stream = await upgrade.UpgradeAsync();
        return new WsConnection(context, stream);
    }

    /// <summary>Next text (or binary, as UTF-8) message; null once the client closed or broke the protocol.</summary>
    public async Task<string?> ReceiveAsync(CancellationToken cancellationToken)
    {
        var message = new ArrayBufferWriter<byte>();
        var inMessage = false;
        while (true)
        {
            await _stream.ReadExactlyAsync(_header.AsMemory(0, 2), cancellationToken);
            var fin = (_header[0] & 0x80) != 0;
            var opcode = _header[0] & 0x0F;
            var masked = (_header[1] & 0x80) != 0;
            long length = _header[1] & 0x7F;
            if (length == 126)
            {
                await _stream.ReadExactlyAsync(_header.AsMemory(0, 2), cancellationToken);
                length = BinaryPrimitives.ReadUInt16BigEndian(_header);
            }
            else if (length == 127)
            {
                await _stream.ReadExactlyAsync(_header.AsMemory(0, 8), cancellationToken);
                length = BinaryPrimitives.ReadInt64BigEndian(_header);
            }

            var isControl = opcode >= 0x8;
            if (!masked || length < 0 || length > MaxMessageBytes || (isControl && (length > 125 || !fin)))
            {
                await CloseQuietlyAsync(1002, "Protocol error");
                return null;
            }

            var mask = new byte[4];
            await _stream.ReadExactlyAsync(mask, cancellationToken);
            var payload = new byte[length];
            await _stream.ReadExactlyAsync(payload, cancellationToken);
            for (var i = 0; i < payload.Length; i++)
            {
                payload[i] ^= mask[i & 3];
            }

            switch (opcode)
            {
                case 0x8:
                    var code = payload.Length >= 2 ? BinaryPrimitives.ReadUInt16BigEndian(payload) : (ushort)1000;
                    await CloseQuietlyAsync(code, string.Empty);
                    return null;
                case 0x9:
                    FrameReceived?.Invoke();
                    await SendFrameAsync(0xA, payload, cancellationToken);
                    continue;
                case 0xA:
                    FrameReceived?.Invoke();
                    PongReceived?.Invoke(Encoding.UTF8.GetString(payload));
                    continue;
                case 0x1 or 0x2 when !inMessage:
                case 0x0 when inMessage:
                    inMessage = true;
                    if (message.WrittenCount + payload.Length > MaxMessageBytes)
                    {
                        await CloseQuietlyAsync(1009, "Message too big");
                        return null;
                    }

                    message.Write(payload);
                    if (fin)
                    {
                        FrameReceived?.Invoke();
                        return Encoding.UTF8.GetString(message.WrittenSpan);
                    }

                    continue;
                default:
                    await CloseQuietlyAsync(1002, "Protocol error");
                    return null;
            }
        }
    }

    public Task SendTextAsync(string text, CancellationToken cancellationToken) =>
        SendFrameAsync(0x1, Encoding.UTF8.GetBytes(text), cancellationToken);

    public Task SendPingAsync(string payload, CancellationToken cancellationToken) =>
        SendFrameAsync(0x9, Encoding.UTF8.GetBytes(payload), cancellationToken);

    /// <summary>Sends a close frame once; later calls do nothing.</summary>
    public async Task SendCloseAsync(ushort code, string reason, CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _closeSent, 1) == 1)
        {
            return;
        }

        var reasonBytes = Encoding.UTF8.GetBytes(reason);
        var payload = new byte[2 + Math.Min(reasonBytes.Length, 123)];
        BinaryPrimitives.WriteUInt16BigEndian(payload, code);
        reasonBytes.AsSpan(0, payload.Length - 2).CopyTo(payload.AsSpan(2));
        await SendFrameAsync(0x8, payload, cancellationToken);
    }

    public void Dispose() => _sendLock.Dispose();

    /// <summary>Drops the TCP connection without a close frame.</summary>
    public void Abort()
    {
        try
        {
            _context.Abort();
        }
        catch (Exception exception) when (exception is ObjectDisposedException or InvalidOperationException)
        {
            // The request has completed; the connection is gone already.
        }
    }

    private async Task CloseQuietlyAsync(ushort code, string reason)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await SendCloseAsync(code, reason, timeout.Token);
        }
        catch (Exception exception) when (exception is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The peer is gone already.
        }
    }

    private async Task SendFrameAsync(byte opcode, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            var header = new byte[10];
            header[0] = (byte)(0x80 | opcode);
            int headerLength;
            if (payload.Length < 126)
            {
                header[1] = (byte)payload.Length;
                headerLength = 2;
            }
            else if (payload.Length <= ushort.MaxValue)
            {
                header[1] = 126;
                BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(2), (ushort)payload.Length);
                headerLength = 4;
            }
            else
            {
                header[1] = 127;
                BinaryPrimitives.WriteInt64BigEndian(header.AsSpan(2), payload.Length);
                headerLength = 10;
            }

            await _stream.WriteAsync(header.AsMemory(0, headerLength), cancellationToken);
            await _stream.WriteAsync(payload, cancellationToken);
            await _stream.FlushAsync(cancellationToken);
        }
        finally
        {
            _sendLock.Release();
        }
    }
}
