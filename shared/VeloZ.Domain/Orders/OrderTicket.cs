namespace VeloZ.Domain.Orders;

/// <summary>
/// What a new order asks the venue for, in the shapes Binance accepts (Spot API, "New order"):
/// <list type="bullet">
/// <item><c>LIMIT</c>: <see cref="Qty"/>, <see cref="Price"/> and <see cref="TimeInForce"/>.</item>
/// <item><c>LIMIT_MAKER</c>: <see cref="Qty"/> and <see cref="Price"/>; no time in force (it rests or is rejected).</item>
/// <item><c>MARKET</c>: either <see cref="Qty"/> (base asset) or <see cref="QuoteQty"/> (quote asset to spend or
/// receive), never both; no price, no time in force.</item>
/// </list>
/// <see cref="SelfTradePrevention"/> is optional for every type (null: the symbol's default at the venue).
/// </summary>
/// <param name="Symbol">Symbol, e.g. <c>BTCUSDT</c>.</param>
/// <param name="Side">Buy or sell.</param>
/// <param name="Type">Order type.</param>
/// <param name="Qty">Base quantity; null only for a MARKET order by quote amount.</param>
/// <param name="QuoteQty">Quote amount of a MARKET order by quote amount; null otherwise.</param>
/// <param name="Price">Limit price; null for MARKET.</param>
/// <param name="TimeInForce">Time in force of a LIMIT order; null for the other types.</param>
/// <param name="SelfTradePrevention">Self-trade prevention mode, when the caller chose one.</param>
public sealed record OrderTicket(
    string Symbol,
    OrderSide Side,
    OrderType Type,
    decimal? Qty,
    decimal? QuoteQty,
    decimal? Price,
    TimeInForce? TimeInForce,
    SelfTradePrevention? SelfTradePrevention = null)
{
    /// <summary>The seed's order: LIMIT GTC.</summary>
    public static OrderTicket Limit(string symbol, OrderSide side, decimal qty, decimal price) =>
        new(symbol, side, OrderType.Limit, qty, null, price, Orders.TimeInForce.Gtc);

    /// <summary>Why the ticket is not one of the shapes above, or null when it is one.</summary>
    public string? Problem() => Type switch
    {
        _ when Qty is <= 0m || QuoteQty is <= 0m || Price is <= 0m => "quantities and prices must be positive",
        OrderType.Limit when Qty is null || Price is null || TimeInForce is null || QuoteQty is not null =>
            "a LIMIT order has a quantity, a price and a time in force",
        OrderType.LimitMaker when Qty is null || Price is null || TimeInForce is not null || QuoteQty is not null =>
            "a LIMIT_MAKER order has a quantity and a price, and no time in force",
        OrderType.Market when (Qty is null) == (QuoteQty is null) || Price is not null || TimeInForce is not null =>
            "a MARKET order has either a quantity or a quote quantity, and no price or time in force",
        OrderType.Limit or OrderType.LimitMaker or OrderType.Market => null,
        _ => $"order type {(int)Type} is not an OrderType",
    };
}
