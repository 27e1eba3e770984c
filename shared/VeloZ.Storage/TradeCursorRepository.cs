using Azure.Data.Tables;

namespace VeloZ.Storage;

/// <summary>
/// The highest venue trade id reconciliation has read from <c>myTrades</c>, per symbol, so a restarted worker
/// asks only for the trades after it instead of reading the account's history again. Table
/// <see cref="TableStore.CursorsTable"/>: PartitionKey <c>mytrades</c>, RowKey the symbol, column
/// <c>LastTradeId</c> (a long).
/// </summary>
public sealed class TradeCursorRepository(TableStore store)
{
    private const string Partition = "mytrades";
    private const string LastTradeIdColumn = "LastTradeId";

    private TableClient Table => store.Table(TableStore.CursorsTable);

    /// <summary>Every stored cursor: symbol → last trade id read. Empty before the first one is written.</summary>
    public async Task<IReadOnlyDictionary<string, long>> ReadAllAsync(CancellationToken cancellationToken)
    {
        var cursors = new Dictionary<string, long>(StringComparer.Ordinal);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition}");
        await foreach (var row in TableStore.QueryAsync(Table, filter, cancellationToken).ConfigureAwait(false))
        {
            cursors[row.RowKey] = row.GetInt64(LastTradeIdColumn) ?? 0;
        }

        return cursors;
    }

    /// <summary>Stores <paramref name="lastTradeId"/> as the cursor of <paramref name="symbol"/>.</summary>
    public Task WriteAsync(string symbol, long lastTradeId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(symbol);
        ArgumentOutOfRangeException.ThrowIfNegative(lastTradeId);
        var entity = new TableEntity(Partition, symbol)
        {
            [LastTradeIdColumn] = lastTradeId,
        };
        return store.WriteAsync(TableStore.CursorsTable, () => Table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken), cancellationToken);
    }
}
