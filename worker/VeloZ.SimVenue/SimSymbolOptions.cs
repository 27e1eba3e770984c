namespace VeloZ.SimVenue;

/// <summary>
/// One tradable symbol of the simulated venue: its assets, filters (published in exchangeInfo and
/// enforced on orders), starting price, volatility and the liquidity the simulated market offers per
/// price tick (which is what makes partial fills happen).
/// </summary>
public sealed class SimSymbolOptions
{
    public required string Symbol { get; init; }

    public required string BaseAsset { get; init; }

    public required string QuoteAsset { get; init; }

    /// <summary>The first price of the seeded price path.</summary>
    public required decimal StartPrice { get; init; }

    /// <summary>PRICE_FILTER tickSize; also the unit of the price path's steps.</summary>
    public decimal TickSize { get; init; } = 0.01m;

    public decimal MinPrice { get; init; } = 0.01m;

    public decimal MaxPrice { get; init; } = 1_000_000m;

    /// <summary>LOT_SIZE stepSize.</summary>
    public decimal StepSize { get; init; } = 0.00001m;

    public decimal MinQty { get; init; } = 0.00001m;

    public decimal MaxQty { get; init; } = 9000m;

    /// <summary>NOTIONAL (or MIN_NOTIONAL) minNotional.</summary>
    public decimal MinNotional { get; init; } = 5m;

    /// <summary>NOTIONAL maxNotional (not used by MIN_NOTIONAL).</summary>
    public decimal MaxNotional { get; init; } = 9_000_000m;

    /// <summary>Publish and enforce the older MIN_NOTIONAL filter instead of NOTIONAL.</summary>
    public bool UseMinNotionalFilter { get; init; }

    /// <summary>Base quantity the simulated market offers on each side per price tick.</summary>
    public decimal LiquidityPerTick { get; init; } = 1m;

    /// <summary>The seeded path moves at most this many ticks (either way) per step.</summary>
    public int MaxStepTicks { get; init; } = 500;

    /// <summary>Decimals accepted for quantities (more → -1111).</summary>
    public int BaseAssetPrecision { get; init; } = 8;

    /// <summary>Decimals accepted for prices (more → -1111).</summary>
    public int QuoteAssetPrecision { get; init; } = 8;

    /// <summary>BTCUSDT around 50,000 USDT with Binance-like filters.</summary>
    public static SimSymbolOptions BtcUsdt() => new()
    {
        Symbol = "BTCUSDT",
        BaseAsset = "BTC",
        QuoteAsset = "USDT",
        StartPrice = 50_000m,
    };

    /// <summary>ETHUSDT around 3,000 USDT with Binance's filters (tick 0.01, step 0.0001, notional 5).</summary>
    public static SimSymbolOptions EthUsdt() => UsdtPreset("ETH", 3_000m, stepSize: 0.0001m, liquidityPerTick: 10m, maxStepTicks: 40);

    /// <summary>BNBUSDT around 600 USDT with Binance's filters (tick 0.01, step 0.001, notional 5).</summary>
    public static SimSymbolOptions BnbUsdt() => UsdtPreset("BNB", 600m, stepSize: 0.001m, liquidityPerTick: 50m, maxStepTicks: 8);

    /// <summary>The preset of a symbol the simulated venue knows (<see cref="BtcUsdt"/>, <see cref="EthUsdt"/>, <see cref="BnbUsdt"/>), or null.</summary>
    public static SimSymbolOptions? Preset(string symbol) => symbol switch
    {
        "BTCUSDT" => BtcUsdt(),
        "ETHUSDT" => EthUsdt(),
        "BNBUSDT" => BnbUsdt(),
        _ => null,
    };

    // Steps and liquidity scaled to the price, so each preset moves and fills alike in quote terms.
    private static SimSymbolOptions UsdtPreset(string baseAsset, decimal startPrice, decimal stepSize, decimal liquidityPerTick, int maxStepTicks) => new()
    {
        Symbol = baseAsset + "USDT",
        BaseAsset = baseAsset,
        QuoteAsset = "USDT",
        StartPrice = startPrice,
        StepSize = stepSize,
        MinQty = stepSize,
        LiquidityPerTick = liquidityPerTick,
        MaxStepTicks = maxStepTicks,
    };

    /// <summary>A copy starting at <paramref name="startPrice"/>.</summary>
    public SimSymbolOptions StartingAt(decimal startPrice) => new()
    {
        Symbol = Symbol,
        BaseAsset = BaseAsset,
        QuoteAsset = QuoteAsset,
        StartPrice = startPrice,
        TickSize = TickSize,
        MinPrice = MinPrice,
        MaxPrice = MaxPrice,
        StepSize = StepSize,
        MinQty = MinQty,
        MaxQty = MaxQty,
        MinNotional = MinNotional,
        MaxNotional = MaxNotional,
        UseMinNotionalFilter = UseMinNotionalFilter,
        LiquidityPerTick = LiquidityPerTick,
        MaxStepTicks = MaxStepTicks,
        BaseAssetPrecision = BaseAssetPrecision,
        QuoteAssetPrecision = QuoteAssetPrecision,
    };

    internal void Validate()
    {
        static void Positive(decimal value, string name)
        {
            if (value <= 0)
            {
                throw new ArgumentException($"SimSymbolOptions.{name} must be greater than 0.", name);
            }
        }

        if (string.IsNullOrWhiteSpace(Symbol) || string.IsNullOrWhiteSpace(BaseAsset) || string.IsNullOrWhiteSpace(QuoteAsset))
        {
            throw new ArgumentException("SimSymbolOptions.Symbol, BaseAsset and QuoteAsset are required.");
        }

        Positive(StartPrice, nameof(StartPrice));
        Positive(TickSize, nameof(TickSize));
        Positive(StepSize, nameof(StepSize));
        Positive(LiquidityPerTick, nameof(LiquidityPerTick));
        if (StartPrice % TickSize != 0)
        {
            throw new ArgumentException($"SimSymbolOptions.StartPrice of {Symbol} must be a multiple of TickSize.", nameof(StartPrice));
        }

        if (LiquidityPerTick % StepSize != 0)
        {
            throw new ArgumentException($"SimSymbolOptions.LiquidityPerTick of {Symbol} must be a multiple of StepSize.", nameof(LiquidityPerTick));
        }

        if (MaxStepTicks < 0)
        {
            throw new ArgumentException("SimSymbolOptions.MaxStepTicks must be 0 or more.", nameof(MaxStepTicks));
        }
    }
}
