using Azure.Data.Tables;
using VeloZ.Domain.Market;
using VeloZ.Domain.Numerics;

namespace VeloZ.Storage;

/// <summary>
/// The latest market tick per symbol (PartitionKey <c>market</c>, RowKey symbol). The worker is the
/// only writer and writes conflated ticks; the API reads. The price is an invariant decimal string.
/// </summary>
public sealed class MarketTickRepository(TableStore store) : IMarketTickStore
{
    private const string Partition = "market";

    private TableClient Table => store.Table(TableStore.MarketTable);

    /// <summary>Replaces the stored tick of the tick's symbol.</summary>
    public Task UpsertLatestAsync(MarketTick tick, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tick);
        var entity = new TableEntity(Partition, tick.Symbol)
        {
            ["Price"] = DecimalText.Format(tick.Price),
            ["TsNs"] = tick.TsNs,
            ["ReceivedTsNs"] = tick.ReceivedTsNs,
        };
        return store.WriteAsync(TableStore.MarketTable, () => Table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken), cancellationToken);
    }

    /// <summary>The stored tick of <paramref name="symbol"/>, or null before the first one.</summary>
    public async Task<MarketTick?> GetLatestAsync(string symbol, CancellationToken cancellationToken)
    {
        if (await TableStore.GetIfExistsAsync(Table, Partition, symbol, cancellationToken).ConfigureAwait(false) is not { } entity)
        {
            return null;
        }

        return new MarketTick(
            symbol,
            DecimalText.Parse(entity.GetString("Price")),
            entity.GetInt64("TsNs") ?? 0,
            entity.GetInt64("ReceivedTsNs") ?? 0);
    }
}
