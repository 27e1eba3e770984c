namespace VeloZ.SimVenue.Engine;

/// <summary>
/// The simulated market of one symbol: last price (the seeded path), the liquidity left on each side
/// for the current tick, resting account orders and a 24 h window of trades for the mini ticker.
/// Mutated only under the engine lock.
/// </summary>
internal sealed class SymbolState(SimSymbolOptions options, int seed)
{
    public SimSymbolOptions Options { get; } = options;

    public string StreamName { get; } = options.Symbol.ToLowerInvariant();

    public Random Random { get; } = new(seed);

    public decimal Price { get; set; } = options.StartPrice;

    /// <summary>Best bid is the last price, best ask one tick above it.</summary>
    public decimal Bid => Price;

    public decimal Ask => Price + Options.TickSize;

    /// <summary>Base quantity the market still buys at the bid this tick (fills resting/taking SELL orders).</summary>
    public decimal BidLiquidity { get; set; } = options.LiquidityPerTick;

    /// <summary>Base quantity the market still sells at the ask this tick (fills resting/taking BUY orders).</summary>
    public decimal AskLiquidity { get; set; } = options.LiquidityPerTick;

    public long NextTradeId { get; set; } = 1;

    public long BookUpdateId { get; set; } = 1;

    public List<SimOrder> Resting { get; } = [];

    public Queue<(long Time, decimal Price, decimal Qty)> Window { get; } = new();
}
