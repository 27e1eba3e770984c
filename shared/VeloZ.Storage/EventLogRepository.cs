using System.Globalization;
using Azure.Data.Tables;
using VeloZ.Domain.Events;

namespace VeloZ.Storage;

/// <summary>
/// The event log: every numbered event the sequencer decided to keep, for clients that resume by id
/// (<c>last_id</c>, <c>Last-Event-ID</c>) and for <c>GET /api/orders</c>. Rows are keyed by id, so writing the
/// same event twice (a retry after an unclear storage answer) is harmless: it replaces itself.
/// Events are written in transactions of up to 100 rows of one partition; order, fill and error events are
/// also written, newest first, to the <c>recent</c> table that <c>/api/orders</c> reads.
/// </summary>
public sealed class EventLogRepository(TableStore store)
{
    /// <summary>Ids per partition of the log.</summary>
    public const long BucketSize = 100_000;

    private const string RecentPartition = "recent";
    private const int BatchLimit = 100;

    private TableClient Events => store.Table(TableStore.EventsTable);

    private TableClient Recent => store.Table(TableStore.RecentTable);

    public static string PartitionOf(long id) => (id / BucketSize).ToString("D12", CultureInfo.InvariantCulture);

    public static string RowOf(long id) => id.ToString("D20", CultureInfo.InvariantCulture);

    private static string RecentRowOf(long id) => (long.MaxValue - id).ToString("D20", CultureInfo.InvariantCulture);

    /// <summary>Writes numbered events (ids ascending), grouped into same-partition transactions.</summary>
    public async Task AppendAsync(IReadOnlyList<GatewayEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        foreach (var group in events.GroupBy(e => PartitionOf(e.Id)))
        {
            foreach (var chunk in group.Chunk(BatchLimit))
            {
                var actions = chunk.Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace, ToEntity(group.Key, RowOf(e.Id), e))).ToList();
                await store.WriteAsync(TableStore.EventsTable, () => Events.SubmitTransactionAsync(actions, cancellationToken), cancellationToken).ConfigureAwait(false);
            }
        }

        // Second, and not atomic with the first: a writer that dies in between leaves these events in the log
        // but not in `recent`; the sequencer repairs that at its next start (AppendRecentAsync).
        await AppendRecentAsync(events, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes the order, fill and error events among <paramref name="events"/> to the <c>recent</c> table (idempotent).</summary>
    public async Task AppendRecentAsync(IReadOnlyList<GatewayEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        foreach (var chunk in events.Where(e => e.IsOrderFeed).Chunk(BatchLimit))
        {
            var actions = chunk.Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace, ToEntity(RecentPartition, RecentRowOf(e.Id), e))).ToList();
            await store.WriteAsync(TableStore.RecentTable, () => Recent.SubmitTransactionAsync(actions, cancellationToken), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Events with ids greater than <paramref name="afterId"/>, ascending, at most <paramref name="max"/>.</summary>
    public async Task<IReadOnlyList<GatewayEvent>> ReadAfterAsync(long afterId, int max, CancellationToken cancellationToken)
    {
        var first = Math.Max(afterId, -1) + 1;
        var filter = $"PartitionKey ge '{PartitionOf(first)}' and RowKey ge '{RowOf(first)}'";
        var result = new List<GatewayEvent>();
        await foreach (var entity in TableStore.QueryAsync(Events, filter, cancellationToken).ConfigureAwait(false))
        {
            result.Add(FromEntity(long.Parse(entity.RowKey, CultureInfo.InvariantCulture), entity));
            if (result.Count >= max)
            {
                break;
            }
        }

        return result;
    }

    /// <summary>Events with ids in [<paramref name="fromId"/>, <paramref name="toId"/>], ascending.</summary>
    public async Task<IReadOnlyList<GatewayEvent>> ReadRangeAsync(long fromId, long toId, CancellationToken cancellationToken)
    {
        if (toId < fromId)
        {
            return [];
        }

        var filter = $"PartitionKey ge '{PartitionOf(fromId)}' and PartitionKey le '{PartitionOf(toId)}' and RowKey ge '{RowOf(fromId)}' and RowKey le '{RowOf(toId)}'";
        var result = new List<GatewayEvent>();
        await foreach (var entity in TableStore.QueryAsync(Events, filter, cancellationToken).ConfigureAwait(false))
        {
            result.Add(FromEntity(long.Parse(entity.RowKey, CultureInfo.InvariantCulture), entity));
        }

        return result;
    }

    /// <summary>The newest <paramref name="max"/> order, fill and error events, oldest first.</summary>
    public async Task<IReadOnlyList<GatewayEvent>> ReadRecentOrderEventsAsync(int max, CancellationToken cancellationToken)
    {
        var result = new List<GatewayEvent>(max);
        await foreach (var entity in TableStore.QueryAsync(Recent, $"PartitionKey eq '{RecentPartition}'", cancellationToken).ConfigureAwait(false))
        {
            result.Add(FromEntity(long.MaxValue - long.Parse(entity.RowKey, CultureInfo.InvariantCulture), entity));
            if (result.Count >= max)
            {
                break;
            }
        }

        result.Reverse();
        return result;
    }

    /// <summary>
    /// Every retained order, fill and error event, newest first (the sequencer's memory of which order facts
    /// were already told, rebuilt at start).
    /// </summary>
    public IAsyncEnumerable<GatewayEvent> ReadAllOrderEventsAsync(CancellationToken cancellationToken) =>
        TableStore.QueryAsync(Recent, $"PartitionKey eq '{RecentPartition}'", cancellationToken)
            .Select(entity => FromEntity(long.MaxValue - long.Parse(entity.RowKey, CultureInfo.InvariantCulture), entity));

    /// <summary>
    /// Deletes events older than <paramref name="cutoffTsNs"/>: whole log partitions whose newest event is
    /// older, and rows of the recent table older than it. Returns how many rows were deleted.
    /// </summary>
    public async Task<int> PruneAsync(long cutoffTsNs, long currentId, CancellationToken cancellationToken)
    {
        var deleted = 0;
        var currentBucket = currentId / BucketSize;
        for (var bucket = 0L; bucket < currentBucket; bucket++)
        {
            var partition = bucket.ToString("D12", CultureInfo.InvariantCulture);
            var rows = new List<TableEntity>();
            var newest = long.MinValue;
            await foreach (var e in TableStore.QueryAsync(Events, $"PartitionKey eq '{partition}'", cancellationToken).ConfigureAwait(false))
            {
                rows.Add(e);
                newest = Math.Max(newest, e.GetInt64("TsNs") ?? 0);
            }

            if (rows.Count == 0 || newest >= cutoffTsNs)
            {
                continue;
            }

            deleted += await DeleteAsync(Events, TableStore.EventsTable, rows, cancellationToken).ConfigureAwait(false);
        }

        var old = new List<TableEntity>();
        await foreach (var e in TableStore.QueryAsync(Recent, $"PartitionKey eq '{RecentPartition}' and TsNs lt {cutoffTsNs.ToString(CultureInfo.InvariantCulture)}L", cancellationToken).ConfigureAwait(false))
        {
            old.Add(e);
        }

        deleted += await DeleteAsync(Recent, TableStore.RecentTable, old, cancellationToken).ConfigureAwait(false);
        return deleted;
    }

    private async Task<int> DeleteAsync(TableClient table, string name, List<TableEntity> rows, CancellationToken cancellationToken)
    {
        foreach (var chunk in rows.Chunk(BatchLimit))
        {
            var actions = chunk.Select(e => new TableTransactionAction(TableTransactionActionType.Delete, e, Azure.ETag.All)).ToList();
            await store.WriteAsync(name, () => table.SubmitTransactionAsync(actions, cancellationToken), cancellationToken).ConfigureAwait(false);
        }

        return rows.Count;
    }

    private static TableEntity ToEntity(string partition, string row, GatewayEvent e)
    {
        var entity = new TableEntity(partition, row)
        {
            ["Type"] = e.Type,
            ["TsNs"] = e.TsNs,
            ["Data"] = e.Data,
        };
        if (e.ClientOrderId is { } id)
        {
            entity["ClientOrderId"] = id;
        }

        if (e.OrderStatus is { } status)
        {
            entity["OrderStatus"] = status;
        }

        if (e.TradeId is { } trade)
        {
            entity["TradeId"] = trade;
        }

        return entity;
    }

    private static GatewayEvent FromEntity(long id, TableEntity e) => new(
        id,
        e.GetString("Type") ?? string.Empty,
        e.GetInt64("TsNs") ?? 0,
        e.GetString("Data") ?? "{}",
        e.GetString("ClientOrderId"),
        e.GetString("OrderStatus"),
        e.GetInt64("TradeId"));
}
