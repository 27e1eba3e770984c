namespace VeloZ.SimVenue.Engine;

/// <summary>
/// An account order, owned and mutated only by <see cref="MatchingEngine"/> under its lock.
/// Invariant: <see cref="Locked"/> is what this order still holds of its account's locked balance
/// (quote asset for BUY at <see cref="LockPrice"/>, base asset for SELL).
/// </summary>
internal sealed class SimOrder
{
    public required long OrderId { get; init; }

    public required SimAccount Account { get; init; }

    public required SymbolState Symbol { get; init; }

    public required string ClientOrderId { get; set; }

    public required OrderSide Side { get; init; }

    public required OrderType Type { get; init; }

    public required TimeInForce TimeInForce { get; init; }

    /// <summary>Limit price; 0 for MARKET.</summary>
    public required decimal Price { get; init; }

    public required decimal OrigQty { get; init; }

    public decimal OrigQuoteOrderQty { get; init; }

    /// <summary>
    /// The order's <c>selfTradePreventionMode</c>, echoed in every answer and report. It never acts here: orders trade
    /// against the simulated market's liquidity, never against another order of the same account.
    /// </summary>
    public string SelfTradePreventionMode { get; init; } = "NONE";

    /// <summary>Quote per unit locked for a BUY (limit price, or the ask when a MARKET order arrived).</summary>
    public decimal LockPrice { get; init; }

    public decimal ExecutedQty { get; set; }

    public decimal CumulativeQuoteQty { get; set; }

    public OrderStatus Status { get; set; } = OrderStatus.New;

    public required long Time { get; init; }

    public long UpdateTime { get; set; }

    public long? WorkingTime { get; set; }

    public decimal Locked { get; set; }

    public string? ExpiryReason { get; set; }

    public decimal Remaining => OrigQty - ExecutedQty;

    public OrderSnapshot Snapshot() => new(
        Symbol.Options.Symbol, OrderId, ClientOrderId, Side, Type, TimeInForce, Price, OrigQty, OrigQuoteOrderQty,
        ExecutedQty, CumulativeQuoteQty, Status, Time, UpdateTime, WorkingTime, ExpiryReason, SelfTradePreventionMode);
}

/// <summary>An immutable copy of an order's state for responses.</summary>
internal sealed record OrderSnapshot(
    string Symbol,
    long OrderId,
    string ClientOrderId,
    OrderSide Side,
    OrderType Type,
    TimeInForce TimeInForce,
    decimal Price,
    decimal OrigQty,
    decimal OrigQuoteOrderQty,
    decimal ExecutedQty,
    decimal CumulativeQuoteQty,
    OrderStatus Status,
    long Time,
    long UpdateTime,
    long? WorkingTime,
    string? ExpiryReason,
    string SelfTradePreventionMode = "NONE");

/// <summary>One fill of an account order (a row of myTrades, an entry of FULL's <c>fills</c>).</summary>
internal sealed record SimTrade(
    string Symbol,
    long Id,
    long OrderId,
    decimal Price,
    decimal Qty,
    decimal QuoteQty,
    decimal Commission,
    string CommissionAsset,
    long Time,
    bool IsBuyer,
    bool IsMaker);
