using VeloZ.Domain.Configuration;
using VeloZ.SimVenue;

namespace VeloZ.Worker.Venue;

/// <summary>
/// Hosts the simulated Binance venue inside the worker on a loopback port when the market source is
/// <c>sim</c> or the execution mode is <c>sim_engine</c>. Its seeded price path starts at
/// <c>VELOZ_SIM_START_PRICE</c> with seed <c>VELOZ_SIM_SEED</c> and steps every <c>VELOZ_SIM_TICK_MS</c>
/// (250 ms by default); each step is one trade on the venue's stream, so one <c>market</c> event.
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

        var symbol = options.Market.MarketSymbol;
        var (baseAsset, quote) = SplitSymbol(symbol);
        _handle = await SimVenueServer.StartAsync(
            new SimVenueOptions
            {
                Port = 0,
                Seed = options.Market.SimSeed,
                PriceTickInterval = TimeSpan.FromMilliseconds(options.Market.SimTickMs),
                Symbols = [new SimSymbolOptions { Symbol = symbol, BaseAsset = baseAsset, QuoteAsset = quote, StartPrice = options.Market.SimStartPrice }],
                TimeProvider = clock,
                LoggerFactory = loggers,
            },
            cancellationToken);
        LogStarted(logger, _handle.RestBaseUri.ToString());
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
