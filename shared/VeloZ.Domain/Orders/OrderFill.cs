namespace VeloZ.Domain.Orders;

/// <summary>
/// One trade of an order at the venue (Binance executionReport <c>x=TRADE</c> with <c>t</c>, <c>l</c>,
/// <c>L</c>, <c>n</c>, <c>N</c>; or a <c>fills</c> entry of a FULL order answer; or <c>myTrades</c>).
/// Identified by <paramref name="TradeId"/>: the same trade seen by several sources is one fill.
/// </summary>
/// <param name="TradeId">The venue's trade id (Binance <c>t</c> / <c>tradeId</c> / <c>id</c>).</param>
/// <param name="Qty">Quantity of this trade, not cumulative.</param>
/// <param name="Price">Price of this trade.</param>
/// <param name="TsNs">Trade time, ns since the Unix epoch.</param>
/// <param name="Commission">Commission charged for this trade.</param>
/// <param name="CommissionAsset">Asset the commission was charged in, when known.</param>
public sealed record OrderFill(long TradeId, decimal Qty, decimal Price, long TsNs, decimal Commission = 0m, string? CommissionAsset = null);
