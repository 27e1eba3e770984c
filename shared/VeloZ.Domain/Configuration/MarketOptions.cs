namespace VeloZ.Domain.Configuration;

/// <summary>
/// Where prices come from: the market source, the symbol, Binance's market data URLs and the simulated market's
/// price path. Each property is named after its variable (<see cref="ConfigurationVariables"/>).
/// </summary>
public sealed record MarketOptions
{
    /// <summary><c>VELOZ_MARKET_SOURCE</c>.</summary>
    public MarketSource MarketSource { get; init; } = MarketSource.Sim;

    /// <summary><c>VELOZ_MARKET_SYMBOL</c>, upper case.</summary>
    public string MarketSymbol { get; init; } = "BTCUSDT";

    /// <summary>
    /// <c>VELOZ_BINANCE_BASE_URL</c>: REST base for market data (and the <c>binance_ws</c> fallback), no trailing
    /// slash. Unset: the live exchange's public market data (the contract's default) with <c>binance_rest</c>; with
    /// <c>binance_ws</c>, the REST base of the market stream's market (<see cref="BinanceWsBaseUrl"/>), so the fallback
    /// never serves another market than the stream.
    /// </summary>
    public Uri BinanceBaseUrl { get; init; } = new("https://api.binance.com");

    /// <summary><c>VELOZ_BINANCE_WS_BASE_URL</c>: market stream base (today's testnet host by default).</summary>
    public Uri BinanceWsBaseUrl { get; init; } = new("wss://stream.testnet.binance.vision");

    /// <summary><c>VELOZ_SIM_START_PRICE</c>: where the simulated market starts.</summary>
    public decimal SimStartPrice { get; init; } = 42000m;

    /// <summary><c>VELOZ_SIM_SEED</c>: seed of the simulated market's random walk (same seed, same path).</summary>
    public int SimSeed { get; init; } = 42;

    /// <summary><c>VELOZ_SIM_TICK_MS</c>: how often the simulated market's price path steps (one trade, one <c>market</c> event per step).</summary>
    public int SimTickMs { get; init; } = 250;

    /// <summary>True when the market data comes from Binance (REST or WebSocket).</summary>
    public bool UsesBinanceMarketData => MarketSource is MarketSource.BinanceRest or MarketSource.BinanceWs;
}
