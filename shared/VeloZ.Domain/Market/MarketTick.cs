namespace VeloZ.Domain.Market;

/// <summary>The price of a symbol at one moment.</summary>
/// <param name="Symbol">Binance symbol, upper case.</param>
/// <param name="Price">Last price.</param>
/// <param name="TsNs">When the venue (or simulator) produced the price, nanoseconds since the Unix epoch.</param>
/// <param name="ReceivedTsNs">When VeloZ received it, nanoseconds since the Unix epoch.</param>
public sealed record MarketTick(string Symbol, decimal Price, long TsNs, long ReceivedTsNs);
