using System.Buffers;
using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace VeloZ.Binance.UserData;

/// <summary>The venue's answer to one WebSocket API request (Binance Spot API docs, web-socket-api.md: "Response format").</summary>
internal sealed record WsApiResponse(int Status, int? Code, int? SubscriptionId, long? RetryAfterMs);

/// <summary>
/// One WebSocket API connection of <see cref="BinanceUserDataStream"/>. Invariants: exactly one receive loop reads the
/// socket and only enqueues (events into the stream's channel, signals to its supervisor); sends are serialized; the
/// connection carries at most one subscription, and only that subscription's events are published. When the receive
/// loop ends, every pending request fails and the supervisor is told why.
/// </summary>
internal sealed class UserDataConnection : IAsyncDisposable
{
    private const int MaxMessageBytes = 1 << 20;

    private readonly BinanceUserDataStream _owner;
    private readonly BinanceUserDataStreamOptions _options;
    private readonly TimeProvider _time;
    private readonly ClientWebSocket _socket = new();
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<WsApiResponse>> _pending = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _subscriptionEnded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _receiveLoop = Task.CompletedTask;
    private Task _watchdog = Task.CompletedTask;
    private int _subscriptionId = -1;
    private string? _subscribeRequestId;
    private long _lastReceivedTicks;
    private long _probeSentTicks;
    private long _nextRequestId;
    private volatile string? _abortReason;
    private volatile bool _retiring;
    private volatile bool _retireConfirmed;
    private int _disposed;

    public UserDataConnection(BinanceUserDataStream owner, BinanceUserDataStreamOptions options, TimeProvider time, long id, UserStreamConnectReason reason)
    {
        _owner = owner;
        _options = options;
        _time = time;
        Id = id;
        Reason = reason;
    }

    public long Id { get; }

    public UserStreamConnectReason Reason { get; }

    /// <summary>The active subscription's id, or -1.</summary>
    public int SubscriptionId => Volatile.Read(ref _subscriptionId);

    /// <summary>Completes when the receive loop has ended (the connection is gone).</summary>
    public Task Completion => _receiveLoop;

    /// <summary>Why the receive loop ended (one of <see cref="UserStreamDisconnectReasons"/>), once it has.</summary>
    public string? EndReason { get; private set; }

    public async Task ConnectAsync(CancellationToken cancellationToken)
    {
        // Our own ping frames with a pong deadline: a half-open TCP connection is noticed within about a minute
        // (Binance Spot API docs, web-socket-api.md "General API Information": the venue pings every 20 s and expects our pong within a minute; the runtime answers those).
        _socket.Options.KeepAliveInterval = _options.KeepAliveInterval;
        if (_options.KeepAliveInterval > TimeSpan.Zero)
        {
            _socket.Options.KeepAliveTimeout = _options.KeepAliveTimeout > TimeSpan.Zero ? _options.KeepAliveTimeout : Timeout.InfiniteTimeSpan;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.ConnectTimeout);
        try
        {
            await _socket.ConnectAsync(_options.WebSocketApiUrl, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException("The WebSocket API did not accept the connection in time.");
        }

        Touch();
        _receiveLoop = Task.Run(ReceiveLoopAsync, CancellationToken.None);
        _watchdog = Task.Run(WatchdogAsync, CancellationToken.None);
    }

    /// <summary>Sends <c>session.logon</c> and waits for its answer.</summary>
    public Task<WsApiResponse> LogonAsync(Func<string, string> buildRequest, CancellationToken cancellationToken)
    {
        var id = NextRequestId("logon");
        return RequestAsync(id, buildRequest(id), cancellationToken);
    }

    /// <summary>Sends the signed subscription and waits for its answer; on 200 the subscription is active (and announced) before this returns.</summary>
    public Task<WsApiResponse> SubscribeAsync(Func<string, string> buildRequest, CancellationToken cancellationToken)
    {
        var id = NextRequestId("sub");
        Volatile.Write(ref _subscribeRequestId, id);
        return RequestAsync(id, buildRequest(id), cancellationToken);
    }

    /// <summary>
    /// Make-before-break, second half: unsubscribes, waits until the venue confirms the end of the subscription with
    /// <c>eventStreamTerminated</c> (every earlier event of this connection has then been received), then closes.
    /// </summary>
    /// <returns>True when the venue confirmed the end of the subscription before the connection closed.</returns>
    public async Task<bool> RetireAsync()
    {
        _retiring = true;
        var subscriptionId = SubscriptionId;
        using var timeout = new CancellationTokenSource(_options.RetireTimeout, _time);
        try
        {
            if (subscriptionId >= 0 && !_receiveLoop.IsCompleted)
            {
                await SendAsync(UserDataRequests.Unsubscribe(NextRequestId("unsub"), subscriptionId), timeout.Token);
                await _subscriptionEnded.Task.WaitAsync(timeout.Token);
            }

            await CloseAsync(timeout.Token);
        }
        catch (Exception exception) when (exception is OperationCanceledException or WebSocketException or ObjectDisposedException or InvalidOperationException)
        {
            // Gone already or too slow: disposing aborts it.
        }

        return _retireConfirmed;
    }

    /// <summary>Sends a close frame and waits (bounded) for the venue's, so the connection ends cleanly.</summary>
    public async Task CloseAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "VeloZ closing", cancellationToken);
            }

            await _receiveLoop.WaitAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is OperationCanceledException or WebSocketException or ObjectDisposedException or InvalidOperationException)
        {
            // Disposing aborts it.
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _abortReason ??= "stopped";
        await _stop.CancelAsync();
        _socket.Abort();
        await Task.WhenAll(_receiveLoop, _watchdog);
        _socket.Dispose();
        _sendLock.Dispose();
        _stop.Dispose();
    }

    private string NextRequestId(string prefix) =>
        $"veloz-{prefix}-{Id}-{Interlocked.Increment(ref _nextRequestId)}";

    private async Task<WsApiResponse> RequestAsync(string id, string json, CancellationToken cancellationToken)
    {
        var answer = new TaskCompletionSource<WsApiResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = answer;
        try
        {
            if (_receiveLoop.IsCompleted)
            {
                throw new WebSocketException(WebSocketError.ConnectionClosedPrematurely);
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.RequestTimeout);
            try
            {
                await SendAsync(json, timeout.Token);
                return await answer.Task.WaitAsync(timeout.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException("The WebSocket API did not answer in time.");
            }
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
    }

    private async Task SendAsync(string json, CancellationToken cancellationToken)
    {
        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            await _socket.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private void Touch() => Interlocked.Exchange(ref _lastReceivedTicks, _time.GetTimestamp());

    private async Task ReceiveLoopAsync()
    {
        var reason = UserStreamDisconnectReasons.Dropped;
        var chunk = new byte[16 * 1024];
        var message = new ArrayBufferWriter<byte>(16 * 1024);
        try
        {
            while (true)
            {
                message.ResetWrittenCount();
                ValueWebSocketReceiveResult result;
                do
                {
                    result = await _socket.ReceiveAsync(chunk.AsMemory(), _stop.Token);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        reason = UserStreamDisconnectReasons.Closed;
                        return;
                    }

                    if (message.WrittenCount + result.Count > MaxMessageBytes)
                    {
                        reason = UserStreamDisconnectReasons.ProtocolError;
                        return;
                    }

                    message.Write(chunk.AsSpan(0, result.Count));
                }
                while (!result.EndOfMessage);

                Touch();
                if (!Handle(message.WrittenMemory))
                {
                    reason = UserStreamDisconnectReasons.Terminated;
                    return;
                }
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or WebSocketException or ObjectDisposedException or InvalidOperationException)
        {
            reason = _abortReason ?? UserStreamDisconnectReasons.Dropped;
        }
        finally
        {
            EndReason = _abortReason is { } aborted && aborted != "stopped" ? aborted : reason;
            foreach (var pending in _pending.Values)
            {
                pending.TrySetException(new WebSocketException(WebSocketError.ConnectionClosedPrematurely));
            }

            _subscriptionEnded.TrySetResult();
            _owner.OnConnectionEnded(this);
        }
    }

    /// <summary>Dispatches one message. False when the subscription ended (the connection is then of no use).</summary>
    private bool Handle(ReadOnlyMemory<byte> utf8)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8);
        }
        catch (JsonException)
        {
            _owner.OnMalformedMessage(this, "invalid JSON");
            return true;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                _owner.OnMalformedMessage(this, "not an object");
                return true;
            }

            // Dispatch rule of Binance's web-socket-api.md ("User Data Stream subscriptions"): "event" = an event, "id" + "status" = a response.
            if (root.TryGetProperty("event", out var payload))
            {
                return HandleEvent(root, payload);
            }

            if (root.TryGetProperty("id", out var idElement) && root.TryGetProperty("status", out var statusElement) && statusElement.TryGetInt32(out var status))
            {
                HandleResponse(idElement, status, root);
            }

            return true;
        }
    }

    private bool HandleEvent(JsonElement root, JsonElement payload)
    {
        var type = payload.ValueKind == JsonValueKind.Object && payload.TryGetProperty("e", out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null;
        if (!root.TryGetProperty("subscriptionId", out var subscription))
        {
            // serverShutdown has neither id nor subscriptionId (Binance Spot API docs, web-socket-api.md: "User Data Stream subscriptions").
            if (type == "serverShutdown")
            {
                _owner.OnServerShutdown(this);
            }

            return true;
        }

        if (!subscription.TryGetInt32(out var subscriptionId) || subscriptionId != SubscriptionId)
        {
            return true;
        }

        var receivedAt = _time.GetUtcNow();
        if (type == "eventStreamTerminated")
        {
            _subscriptionEnded.TrySetResult();
            if (_retiring)
            {
                _retireConfirmed = true;
                // Our own unsubscribe during a make-before-break switch: expected, not news for the consumer.
                return true;
            }

            _abortReason = UserStreamDisconnectReasons.Terminated;
            _owner.Publish(UserDataEventParserSafe(payload, receivedAt) ?? new UserStreamTerminated(receivedAt, receivedAt));
            return false;
        }

        if (UserDataEventParserSafe(payload, receivedAt) is { } parsed)
        {
            _owner.Publish(parsed);
        }

        return true;
    }

    private UserDataVenueEvent? UserDataEventParserSafe(JsonElement payload, DateTimeOffset receivedAt)
    {
        try
        {
            return UserDataEventParser.Parse(payload, receivedAt);
        }
        catch (Exception exception) when (exception is FormatException or InvalidOperationException)
        {
            _owner.OnMalformedMessage(this, exception.Message);
            return null;
        }
    }

    private void HandleResponse(JsonElement idElement, int status, JsonElement root)
    {
        var id = idElement.ValueKind == JsonValueKind.String ? idElement.GetString() : idElement.GetRawText();
        if (id is null)
        {
            return;
        }

        int? code = null;
        int? subscriptionId = null;
        long? retryAfter = null;
        if (root.TryGetProperty("result", out var result) && result.ValueKind == JsonValueKind.Object
            && result.TryGetProperty("subscriptionId", out var sub) && sub.TryGetInt32(out var subValue))
        {
            subscriptionId = subValue;
        }

        if (root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
        {
            if (error.TryGetProperty("code", out var codeElement) && codeElement.TryGetInt32(out var codeValue))
            {
                code = codeValue;
            }

            if (error.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object
                && data.TryGetProperty("retryAfter", out var retry) && retry.TryGetInt64(out var retryValue))
            {
                retryAfter = retryValue;
            }
        }

        // The subscription becomes active here, in the receive loop, so that no event of it can be read before it is.
        if (status == 200 && subscriptionId is { } active && id == Volatile.Read(ref _subscribeRequestId))
        {
            Volatile.Write(ref _subscriptionId, active);
            _owner.OnSubscribed(this, active);
        }

        if (_pending.TryRemove(id, out var answer))
        {
            answer.TrySetResult(new WsApiResponse(status, code, subscriptionId, retryAfter));
        }
    }

    private async Task WatchdogAsync()
    {
        var check = TimeSpan.FromTicks(Math.Max(TimeSpan.FromMilliseconds(10).Ticks, _options.ProbeInterval.Ticks / 4));
        try
        {
            using var timer = new PeriodicTimer(check, _time);
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                var last = Interlocked.Read(ref _lastReceivedTicks);
                var idle = _time.GetElapsedTime(last);
                if (idle >= _options.SilenceTimeout)
                {
                    _abortReason = UserStreamDisconnectReasons.Silence;
                    _socket.Abort();
                    return;
                }

                // One probe per quiet spell: any message (its answer included) resets the idle time.
                if (idle >= _options.ProbeInterval && Interlocked.Read(ref _probeSentTicks) <= last)
                {
                    Interlocked.Exchange(ref _probeSentTicks, _time.GetTimestamp());
                    await SendAsync(UserDataRequests.Ping(NextRequestId("probe")), _stop.Token);
                }
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or WebSocketException or ObjectDisposedException or InvalidOperationException)
        {
            // The connection is ending; the receive loop reports why.
        }
    }
}
