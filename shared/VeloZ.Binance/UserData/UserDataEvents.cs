namespace VeloZ.Binance.UserData;

/// <summary>
/// Everything <see cref="BinanceUserDataStream"/> publishes: the venue's user data events and the stream's own
/// connection-state changes. <see cref="ReceivedAt"/> is when VeloZ received (or observed) it, on the injected clock.
/// </summary>
public abstract record UserDataEvent(DateTimeOffset ReceivedAt);

/// <summary>A user data event sent by Binance; <see cref="EventTime"/> is its <c>E</c> field (venue clock).</summary>
public abstract record UserDataVenueEvent(DateTimeOffset EventTime, DateTimeOffset ReceivedAt) : UserDataEvent(ReceivedAt);

/// <summary>
/// <c>executionReport</c> (Binance Spot API docs, user-data-stream.md: "Order Update"): one order update. Decimals are parsed from Binance's strings with the
/// invariant culture. <see cref="Status"/> and <see cref="ExecutionType"/> are Binance's raw strings; the worker's
/// order state machine maps them in its one place.
/// </summary>
public sealed record ExecutionReport(DateTimeOffset EventTime, DateTimeOffset ReceivedAt) : UserDataVenueEvent(EventTime, ReceivedAt)
{
    /// <summary><c>s</c>.</summary>
    public required string Symbol { get; init; }

    /// <summary><c>c</c>: the order's client id; on a cancel, the cancel request's new id.</summary>
    public required string ClientOrderId { get; init; }

    /// <summary><c>C</c>: on a cancel, the canceled order's original client id; otherwise empty.</summary>
    public required string OrigClientOrderId { get; init; }

    /// <summary><c>S</c>: BUY or SELL.</summary>
    public required string Side { get; init; }

    /// <summary><c>o</c>: LIMIT, MARKET, ...</summary>
    public required string OrderType { get; init; }

    /// <summary><c>f</c>: GTC, IOC, FOK.</summary>
    public required string TimeInForce { get; init; }

    /// <summary><c>q</c>.</summary>
    public required decimal Quantity { get; init; }

    /// <summary><c>p</c>.</summary>
    public required decimal Price { get; init; }

    /// <summary><c>x</c>: NEW, CANCELED, REPLACED, REJECTED, TRADE, EXPIRED, TRADE_PREVENTION.</summary>
    public required string ExecutionType { get; init; }

    /// <summary><c>X</c>: the order status as Binance writes it (NEW, PARTIALLY_FILLED, FILLED, ...).</summary>
    public required string Status { get; init; }

    /// <summary><c>r</c>: NONE unless rejected.</summary>
    public required string RejectReason { get; init; }

    /// <summary><c>i</c>.</summary>
    public required long OrderId { get; init; }

    /// <summary><c>l</c>: quantity of this fill.</summary>
    public required decimal LastQuantity { get; init; }

    /// <summary><c>z</c>.</summary>
    public required decimal CumulativeQuantity { get; init; }

    /// <summary><c>L</c>: price of this fill.</summary>
    public required decimal LastPrice { get; init; }

    /// <summary><c>n</c>: commission of this fill.</summary>
    public required decimal Commission { get; init; }

    /// <summary><c>N</c>: null when no commission was charged.</summary>
    public string? CommissionAsset { get; init; }

    /// <summary><c>T</c>.</summary>
    public required DateTimeOffset TransactTime { get; init; }

    /// <summary><c>t</c>: -1 unless <see cref="ExecutionType"/> is TRADE. Fills are deduplicated by it.</summary>
    public required long TradeId { get; init; }

    /// <summary><c>Z</c>: cumulative quote quantity (average price = Z / z).</summary>
    public required decimal CumulativeQuoteQuantity { get; init; }

    /// <summary><c>eR</c>: why the order expired, when Binance sends it (since 2026-03-26).</summary>
    public string? ExpiryReason { get; init; }

    /// <summary>True for a fill (<c>x</c> = TRADE).</summary>
    public bool IsTrade => ExecutionType == "TRADE";
}

/// <summary>One asset of an <c>outboundAccountPosition</c> (<c>a</c>, <c>f</c>, <c>l</c>).</summary>
public sealed record AccountBalance(string Asset, decimal Free, decimal Locked);

/// <summary><c>outboundAccountPosition</c> (Binance's user-data-stream.md): the new balances of the assets that changed.</summary>
public sealed record AccountPositionUpdate(DateTimeOffset EventTime, DateTimeOffset ReceivedAt) : UserDataVenueEvent(EventTime, ReceivedAt)
{
    /// <summary><c>u</c>: time of the last account update.</summary>
    public required DateTimeOffset LastUpdateTime { get; init; }

    /// <summary><c>B</c>.</summary>
    public required IReadOnlyList<AccountBalance> Balances { get; init; }
}

/// <summary><c>balanceUpdate</c> (Binance's user-data-stream.md): a deposit, withdrawal or transfer.</summary>
public sealed record BalanceUpdate(DateTimeOffset EventTime, DateTimeOffset ReceivedAt) : UserDataVenueEvent(EventTime, ReceivedAt)
{
    /// <summary><c>a</c>.</summary>
    public required string Asset { get; init; }

    /// <summary><c>d</c>: signed change.</summary>
    public required decimal Delta { get; init; }

    /// <summary><c>T</c>: clear time.</summary>
    public required DateTimeOffset ClearTime { get; init; }
}

/// <summary>
/// <c>eventStreamTerminated</c> (Binance's user-data-stream.md): the venue ended this subscription (lifetime over, unsubscribed). The stream
/// reconnects and resubscribes on its own; events between the two are lost, so the worker reconciles.
/// </summary>
public sealed record UserStreamTerminated(DateTimeOffset EventTime, DateTimeOffset ReceivedAt) : UserDataVenueEvent(EventTime, ReceivedAt);

/// <summary>Why a subscription was (re)established.</summary>
public enum UserStreamConnectReason
{
    /// <summary>The first subscription after <see cref="BinanceUserDataStream.RunAsync"/> started.</summary>
    Initial,

    /// <summary>After the previous connection was lost: events in between may be missing.</summary>
    Reconnect,

    /// <summary>Planned make-before-break switch before the 24 h lifetime: nothing was missed.</summary>
    Rotation,

    /// <summary>Make-before-break switch after <c>serverShutdown</c>: nothing was missed.</summary>
    ServerShutdown,
}

/// <summary>
/// A subscription is active on a new connection. Every event after this one comes from it (during a
/// make-before-break switch the old connection may still deliver events the new one repeats).
/// </summary>
public sealed record UserStreamConnected(DateTimeOffset ReceivedAt, long ConnectionId, int SubscriptionId, UserStreamConnectReason Reason) : UserDataEvent(ReceivedAt)
{
    /// <summary>True when events may have been missed before this subscription: reconcile open orders, balances and trades.</summary>
    public bool MayHaveMissedEvents => Reason is UserStreamConnectReason.Initial or UserStreamConnectReason.Reconnect;
}

/// <summary>
/// The stream lost its subscription (<see cref="Reason"/> is one of <see cref="UserStreamDisconnectReasons"/>) and will
/// reconnect after <see cref="RetryIn"/>. Until the next <see cref="UserStreamConnected"/>, poll open orders.
/// </summary>
public sealed record UserStreamDisconnected(DateTimeOffset ReceivedAt, long ConnectionId, string Reason, TimeSpan RetryIn) : UserDataEvent(ReceivedAt);

/// <summary>The short, stable reasons of <see cref="UserStreamDisconnected"/> and of <c>[AUDIT] binance_ws_error</c> log lines.</summary>
public static class UserStreamDisconnectReasons
{
    /// <summary>The venue closed the connection with a close frame.</summary>
    public const string Closed = "closed";

    /// <summary>The connection broke without a close frame (network, venue restart, missed keep-alive pong).</summary>
    public const string Dropped = "dropped";

    /// <summary>The venue sent <c>eventStreamTerminated</c> for our subscription.</summary>
    public const string Terminated = "event_stream_terminated";

    /// <summary>No message at all (not even an answer to our probe) for <see cref="BinanceUserDataStreamOptions.SilenceTimeout"/>.</summary>
    public const string Silence = "silence";

    /// <summary>A message could not be read as the WebSocket API's JSON.</summary>
    public const string ProtocolError = "protocol_error";
}
