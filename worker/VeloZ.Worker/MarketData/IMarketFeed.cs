using VeloZ.Domain.Market;

namespace VeloZ.Worker.MarketData;

/// <summary>
/// A source of market ticks for the followed symbols (<see cref="VeloZ.Domain.Configuration.MarketOptions.MarketSymbols"/>). The enumeration runs until cancelled or until
/// the source fails (it then throws); <see cref="MarketFeedService"/> restarts it with backoff.
/// </summary>
internal interface IMarketFeed
{
    /// <summary>Short name for status and logs, e.g. <c>sim</c>.</summary>
    string Name { get; }

    IAsyncEnumerable<MarketTick> ReadTicksAsync(CancellationToken cancellationToken);
}
