using VeloZ.Binance.Rest;
using VeloZ.Domain.Configuration;
using VeloZ.Worker.Venue;

namespace VeloZ.Worker.MarketData;

/// <summary>
/// Picks the market source of <c>VELOZ_MARKET_SOURCE</c>. <c>sim</c> is the very same WebSocket feed as
/// <c>binance_ws</c>, pointed at the simulated venue the worker hosts, so the default mode runs the code
/// that talks to the real exchange.
/// </summary>
internal sealed class MarketFeedSelector(
    MarketOptions options,
    SimVenueHost simVenue,
    BinanceClientPool clients,
    TimeProvider clock,
    ILoggerFactory loggers)
{
    /// <summary>Called once the hosted services have started (the simulated venue is up by then).</summary>
    public IMarketFeed Create() => options.MarketSource switch
    {
        MarketSource.Sim => new BinanceWsMarketFeed("sim", simVenue.Handle.StreamBaseUri, clients.For(simVenue.Handle.RestBaseUri), options.MarketSymbols, clock, loggers.CreateLogger<BinanceWsMarketFeed>()),
        MarketSource.BinanceRest => new BinanceRestPollingFeed(clients.For(options.BinanceBaseUrl), options.MarketSymbols, clock),
        MarketSource.BinanceWs => new BinanceWsMarketFeed("binance_ws", options.BinanceWsBaseUrl, clients.For(options.BinanceBaseUrl), options.MarketSymbols, clock, loggers.CreateLogger<BinanceWsMarketFeed>()),
        _ => throw new InvalidOperationException($"Unhandled market source {options.MarketSource}."),
    };
}
