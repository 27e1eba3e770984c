using VeloZ.Domain.Market;

namespace VeloZ.Storage;

/// <summary>Where the worker stores the latest tick of a symbol (Table storage in production).</summary>
public interface IMarketTickStore
{
    Task UpsertLatestAsync(MarketTick tick, CancellationToken cancellationToken);
}
