namespace VeloZ.Domain.Configuration;

/// <summary>
/// Where prices come from: the market source, the symbols followed, Binance's market data URLs and the simulated
/// market's price path. Each property is named after its variable (<see cref="ConfigurationVariables"/>).
/// </summary>
public sealed record MarketOptions
{
    /// <summary>The most symbols VeloZ follows: REST polling costs 2 weight per symbol per second, so 20 symbols use 40 % of the 6000 per minute budget.</summary>
    public const int MaxSymbols = 20;

    private const string DefaultSymbol = "BTCUSDT";
    private readonly string? _marketSymbol;
    private readonly IReadOnlyList<string>? _marketSymbols;
    private IReadOnlyList<string>? _resolvedSymbols;

    /// <summary><c>VELOZ_MARKET_SOURCE</c>.</summary>
    public MarketSource MarketSource { get; init; } = MarketSource.Sim;

    /// <summary>
    /// The default symbol, upper case: <c>VELOZ_MARKET_SYMBOL</c>, or the first of <c>VELOZ_MARKET_SYMBOLS</c>
    /// (always the first of <see cref="MarketSymbols"/>).
    /// </summary>
    public string MarketSymbol
    {
        get => _marketSymbol ?? (_marketSymbols is [var first, ..] ? first : DefaultSymbol);
        init
        {
            _marketSymbol = value;
            _resolvedSymbols = null;
        }
    }

    /// <summary>
    /// <c>VELOZ_MARKET_SYMBOLS</c> (or <c>VELOZ_MARKET_SYMBOL</c> as a list of one): every symbol the worker follows,
    /// upper case, each once, <see cref="MarketSymbol"/> first.
    /// </summary>
    public IReadOnlyList<string> MarketSymbols
    {
        // Resolved once: /api/market reads it on every request.
        get => _resolvedSymbols ??= _marketSymbols is not { Count: > 0 } symbols ? [MarketSymbol]
            : _marketSymbol is null || symbols[0] == _marketSymbol ? symbols
            : [_marketSymbol, .. symbols.Where(s => s != _marketSymbol)];
        init
        {
            _marketSymbols = value;
            _resolvedSymbols = null;
        }
    }

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

    /// <summary>Equal settings, the symbols compared as lists (not as list instances, nor by how they were given).</summary>
    public bool Equals(MarketOptions? other) =>
        other is not null
        && MarketSource == other.MarketSource
        && MarketSymbols.SequenceEqual(other.MarketSymbols, StringComparer.Ordinal)
        && BinanceBaseUrl == other.BinanceBaseUrl
        && BinanceWsBaseUrl == other.BinanceWsBaseUrl
        && SimStartPrice == other.SimStartPrice
        && SimSeed == other.SimSeed
        && SimTickMs == other.SimTickMs;

    public override int GetHashCode() => HashCode.Combine(MarketSource, MarketSymbol, MarketSymbols.Count, BinanceBaseUrl, BinanceWsBaseUrl, SimStartPrice, SimSeed, SimTickMs);
}
