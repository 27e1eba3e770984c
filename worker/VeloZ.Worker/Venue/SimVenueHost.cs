using VeloZ.Domain.Configuration;
using VeloZ.SimVenue;

namespace VeloZ.Worker.Venue;

/// <summary>
/// Hosts the simulated Binance venue inside the worker on a loopback port when the market source is
/// <c>sim</c> or the execution mode is <c>sim_engine</c>. It lists every followed symbol
/// (<see cref="MarketOptions.MarketSymbols"/>), each with its own seeded price path (seed <c>VELOZ_SIM_SEED</c>
/// and the symbol's place in the list): the first starts at <c>VELOZ_SIM_START_PRICE</c>, the others at their own
/// price (<see cref="VenueSymbol"/>). Every path steps every <c>VELOZ_SIM_TICK_MS</c> (250 ms by default); each
/// step is one trade per symbol on the venue's stream, so one <c>market</c> event per symbol.
/// </summary>
internal sealed partial class SimVenueHost(GatewayOptions options, TimeProvider clock, ILoggerFactory loggers, ILogger<SimVenueHost> logger) : IHostedService, IAsyncDisposable
{
    private SimVenueHandle? _handle;

    /// <summary>True when this configuration uses the simulated venue.</summary>
    public bool Enabled => options.Market.MarketSource == MarketSource.Sim || options.Venue.ExecutionMode == ExecutionMode.SimEngine;

    /// <summary>The running venue; only valid after start when <see cref="Enabled"/>.</summary>
    public SimVenueHandle Handle => _handle ?? throw new InvalidOperationException("The simulated venue is not running.");

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!Enabled)
        {
            return;
        }

        _handle = await SimVenueServer.StartAsync(
            new SimVenueOptions
            {
                Port = 0,
                Seed = options.Market.SimSeed,
                PriceTickInterval = TimeSpan.FromMilliseconds(options.Market.SimTickMs),
                Symbols = [.. options.Market.MarketSymbols.Select((symbol, i) => VenueSymbol(symbol, i == 0 ? options.Market.SimStartPrice : null))],
                TimeProvider = clock,
                LoggerFactory = loggers,
            },
            cancellationToken);
        LogStarted(logger, _handle.RestBaseUri.ToString());
    }

    /// <summary>Where a symbol without a preset starts when it is not the first.</summary>
    public const decimal OtherStartPrice = 100m;

    /// <summary>
    /// A followed symbol as the venue lists it: the venue's preset when it has one (Binance-like filters and price,
    /// <see cref="SimSymbolOptions.Preset"/>), otherwise default filters split into base and quote asset by
    /// <see cref="SplitSymbol"/>, starting at <see cref="OtherStartPrice"/> in steps of at most 0.10. The first
    /// symbol starts at <paramref name="startPrice"/> (<c>VELOZ_SIM_START_PRICE</c>).
    /// </summary>
    public static SimSymbolOptions VenueSymbol(string symbol, decimal? startPrice)
    {
        ArgumentNullException.ThrowIfNull(symbol);
        if (SimSymbolOptions.Preset(symbol) is { } preset)
        {
            return startPrice is { } start ? preset.StartingAt(start) : preset;
        }

        var (baseAsset, quote) = SplitSymbol(symbol);
        return startPrice is { } first
            ? new SimSymbolOptions { Symbol = symbol, BaseAsset = baseAsset, QuoteAsset = quote, StartPrice = first }
            : new SimSymbolOptions { Symbol = symbol, BaseAsset = baseAsset, QuoteAsset = quote, StartPrice = OtherStartPrice, MaxStepTicks = 10 };
    }

    /// <summary>Base and quote asset of a symbol, by the longest known quote-asset suffix (USDT when none fits).</summary>
    public static (string Base, string Quote) SplitSymbol(string symbol)
    {
        ArgumentNullException.ThrowIfNull(symbol);
        string[] quotes = ["FDUSD", "USDT", "USDC", "TUSD", "BUSD", "EUR", "TRY", "BTC", "ETH", "BNB"];
        var quote = quotes.Where(q => symbol.Length > q.Length && symbol.EndsWith(q, StringComparison.Ordinal)).MaxBy(q => q.Length);
        return quote is null ? (symbol, "USDT") : (symbol[..^quote.Length], quote);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_handle is not null)
        {
            await _handle.DisposeAsync();
            _handle = null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_handle is not null)
        {
            await _handle.DisposeAsync();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Simulated venue listening on {Url}")]
    private static partial void LogStarted(ILogger logger, string url);
}
