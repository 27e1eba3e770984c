using Azure.Data.Tables;

namespace VeloZ.Storage;

/// <summary>
/// Which client order id the venue's order id belongs to, so a trade (which names only the venue's order id)
/// finds its order with one point read instead of a scan of every order table. Table
/// <see cref="TableStore.VenueOrdersTable"/>: PartitionKey the symbol (Binance numbers orders per symbol), RowKey
/// the venue order id, column <c>ClientOrderId</c>. <see cref="OrderRepository"/> writes the row when a change
/// first gives an order its venue order id, before storing that change, so an order row that carries a venue
/// order id always has its index row. Writes are idempotent upserts: the same pair may be written again.
/// </summary>
/// <remarks>A single row goes through the order rows' group commit (<see cref="OrderRowWriter.UpsertAsync"/>): under
/// load one request carries the index rows of many orders, as it does their order rows.</remarks>
public sealed class VenueOrderIndex(TableStore store, OrderRowWriter writer)
{
    private const string ClientOrderIdColumn = "ClientOrderId";

    private TableClient Table => store.Table(TableStore.VenueOrdersTable);

    /// <summary>Records that <paramref name="venueOrderId"/> of <paramref name="symbol"/> is order <paramref name="clientOrderId"/>.</summary>
    /// <remarks><paramref name="unhurried"/>: nobody waits for it (a change stored behind a reply), so it may share a later request.</remarks>
    public Task AddAsync(string symbol, string venueOrderId, string clientOrderId, CancellationToken cancellationToken, bool unhurried = false) =>
        writer.UpsertAsync(TableStore.VenueOrdersTable, Row(symbol, venueOrderId, clientOrderId), unhurried).WaitAsync(cancellationToken);

    /// <summary>Records many pairs, one entity-group transaction per symbol and 100 rows (for a one-time back-fill).</summary>
    public async Task AddManyAsync(IEnumerable<(string Symbol, string VenueOrderId, string ClientOrderId)> entries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entries);
        foreach (var symbol in entries.GroupBy(e => e.Symbol, StringComparer.Ordinal))
        {
            foreach (var chunk in symbol.DistinctBy(e => e.VenueOrderId, StringComparer.Ordinal).Chunk(OrderRowWriter.MaxBatch))
            {
                var actions = chunk.Select(e => new TableTransactionAction(TableTransactionActionType.UpsertMerge, Row(e.Symbol, e.VenueOrderId, e.ClientOrderId))).ToList();
                await store.WriteAsync(TableStore.VenueOrdersTable, () => Table.SubmitTransactionAsync(actions, cancellationToken), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The client order id of the order the venue knows as <paramref name="venueOrderId"/> on <paramref name="symbol"/>, or null (one point read).</summary>
    public async Task<string?> FindAsync(string symbol, string venueOrderId, CancellationToken cancellationToken)
    {
        var row = await TableStore.GetIfExistsAsync(Table, symbol, venueOrderId, cancellationToken).ConfigureAwait(false);
        return row?.GetString(ClientOrderIdColumn);
    }

    private static TableEntity Row(string symbol, string venueOrderId, string clientOrderId)
    {
        ArgumentException.ThrowIfNullOrEmpty(symbol);
        ArgumentException.ThrowIfNullOrEmpty(venueOrderId);
        ArgumentException.ThrowIfNullOrEmpty(clientOrderId);
        return new TableEntity(symbol, venueOrderId) { [ClientOrderIdColumn] = clientOrderId };
    }
}
