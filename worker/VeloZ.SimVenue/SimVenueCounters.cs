namespace VeloZ.SimVenue;

/// <summary>Live counters of one venue, readable by tests at any time (thread-safe).</summary>
public sealed class SimVenueCounters
{
    private long _ordersReceived;
    private long _ordersExecuted;
    private long _ordersRejected;
    private long _cancelsReceived;
    private long _ordersCanceled;
    private long _trades;
    private long _faultsInjected;
    private long _webSocketsAccepted;
    private long _webSocketsOpen;
    private long _requestsRateLimited;
    private long _restRequests;

    /// <summary>Order placement requests that reached the venue (REST and WebSocket API, rejected ones included).</summary>
    public long OrdersReceived => Interlocked.Read(ref _ordersReceived);

    /// <summary>Orders the matching engine accepted (they rested, filled or expired).</summary>
    public long OrdersExecuted => Interlocked.Read(ref _ordersExecuted);

    /// <summary>Placement requests answered with an error.</summary>
    public long OrdersRejected => Interlocked.Read(ref _ordersRejected);

    /// <summary>Cancel requests that reached the venue.</summary>
    public long CancelsReceived => Interlocked.Read(ref _cancelsReceived);

    /// <summary>Orders actually canceled.</summary>
    public long OrdersCanceled => Interlocked.Read(ref _ordersCanceled);

    /// <summary>Fills of account orders (each has a trade id).</summary>
    public long Trades => Interlocked.Read(ref _trades);

    /// <summary>Order answers replaced by an injected fault.</summary>
    public long FaultsInjected => Interlocked.Read(ref _faultsInjected);

    /// <summary>WebSocket connections accepted since start (streams and WebSocket API).</summary>
    public long WebSocketsAccepted => Interlocked.Read(ref _webSocketsAccepted);

    /// <summary>WebSocket connections open now.</summary>
    public long WebSocketsOpen => Interlocked.Read(ref _webSocketsOpen);

    /// <summary>Every REST request that reached the venue (any path, answered or refused).</summary>
    public long RestRequests => Interlocked.Read(ref _restRequests);

    /// <summary>Requests answered 429.</summary>
    public long RequestsRateLimited => Interlocked.Read(ref _requestsRateLimited);

    internal void OrderReceived() => Interlocked.Increment(ref _ordersReceived);

    internal void OrderExecuted() => Interlocked.Increment(ref _ordersExecuted);

    internal void OrderRejected() => Interlocked.Increment(ref _ordersRejected);

    internal void CancelReceived() => Interlocked.Increment(ref _cancelsReceived);

    internal void OrderCanceled() => Interlocked.Increment(ref _ordersCanceled);

    internal void Trade() => Interlocked.Increment(ref _trades);

    internal void FaultInjected() => Interlocked.Increment(ref _faultsInjected);

    internal void RateLimited() => Interlocked.Increment(ref _requestsRateLimited);

    internal void RestRequest() => Interlocked.Increment(ref _restRequests);

    internal void WebSocketOpened()
    {
        Interlocked.Increment(ref _webSocketsAccepted);
        Interlocked.Increment(ref _webSocketsOpen);
    }

    internal void WebSocketClosed() => Interlocked.Decrement(ref _webSocketsOpen);
}
