using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace VeloZ.SimVenue.Tests.Support;

/// <summary>
/// A ClientWebSocket that keeps one receive pending at all times (so it answers the venue's pings) and
/// queues every text message; <see cref="Closed"/> completes with the close status (null when dropped).
/// </summary>
internal sealed class WsTestClient : IAsyncDisposable
{
    private static readonly TimeSpan s_defaultWait = TimeSpan.FromSeconds(5);
    private readonly ClientWebSocket _socket = new();
    private readonly Channel<string> _messages = Channel.CreateUnbounded<string>();
    private readonly TaskCompletionSource<WebSocketCloseStatus?> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _receiveLoop;

    public Task<WebSocketCloseStatus?> Closed => _closed.Task;

    public static async Task<WsTestClient> ConnectAsync(Uri uri)
    {
        var client = new WsTestClient();
        client._socket.Options.KeepAliveInterval = TimeSpan.Zero;
        await client._socket.ConnectAsync(uri, TestContext.Current.CancellationToken);
        client._receiveLoop = client.ReceiveLoopAsync();
        return client;
    }

    public Task SendAsync(string text) =>
        _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, TestContext.Current.CancellationToken);

    public Task SendAsync(JsonNode message) => SendAsync(message.ToJsonString());

    public async Task<JsonNode> NextAsync(TimeSpan? wait = null)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(wait ?? s_defaultWait);
        try
        {
            return JsonNode.Parse(await _messages.Reader.ReadAsync(timeout.Token))!;
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException("No WebSocket message arrived in time.");
        }
        catch (ChannelClosedException)
        {
            throw new InvalidOperationException("The WebSocket closed before the expected message.");
        }
    }

    /// <summary>Skips messages until one matches.</summary>
    public async Task<JsonNode> NextMatchingAsync(Func<JsonNode, bool> predicate, TimeSpan? wait = null)
    {
        var deadline = DateTime.UtcNow + (wait ?? s_defaultWait);
        while (true)
        {
            var left = deadline - DateTime.UtcNow;
            var message = await NextAsync(left > TimeSpan.Zero ? left : TimeSpan.FromMilliseconds(1));
            if (predicate(message))
            {
                return message;
            }
        }
    }

    /// <summary>The next response to a request id (events in between are skipped).</summary>
    public Task<JsonNode> ResponseAsync(string id) => NextMatchingAsync(m => m["id"] is JsonValue v && v.ToJsonString() == $"\"{id}\"");

    /// <summary>The next user data event of the given type.</summary>
    public Task<JsonNode> EventAsync(string type, Func<JsonNode, bool>? predicate = null) =>
        NextMatchingAsync(m => (string?)m["event"]?["e"] == type && (predicate is null || predicate(m["event"]!)));

    public async Task AssertNoMessageAsync(TimeSpan? wait = null)
    {
        using var timeout = new CancellationTokenSource(wait ?? TimeSpan.FromMilliseconds(300));
        try
        {
            var message = await _messages.Reader.ReadAsync(timeout.Token);
            Assert.Fail($"Unexpected WebSocket message: {message}");
        }
        catch (OperationCanceledException)
        {
            // Nothing came, as expected.
        }
        catch (ChannelClosedException)
        {
            // Closed: nothing came either.
        }
    }

    public async Task<WebSocketCloseStatus?> WaitClosedAsync(TimeSpan? wait = null) =>
        await Closed.WaitAsync(wait ?? s_defaultWait, TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token);
            }
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException)
        {
            // Already gone.
        }

        _socket.Abort();
        if (_receiveLoop is not null)
        {
            await _receiveLoop;
        }

        _socket.Dispose();
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[64 * 1024];
        var message = new MemoryStream();
        try
        {
            while (true)
            {
                var result = await _socket.ReceiveAsync(buffer, CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    _closed.TrySetResult(result.CloseStatus);
                    if (_socket.State == WebSocketState.CloseReceived)
                    {
                        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                        await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", timeout.Token);
                    }

                    break;
                }

                message.Write(buffer, 0, result.Count);
                if (result.EndOfMessage)
                {
                    _messages.Writer.TryWrite(Encoding.UTF8.GetString(message.ToArray()));
                    message.SetLength(0);
                }
            }
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            _closed.TrySetResult(null);
        }
        finally
        {
            _closed.TrySetResult(null);
            _messages.Writer.TryComplete();
        }
    }
}
