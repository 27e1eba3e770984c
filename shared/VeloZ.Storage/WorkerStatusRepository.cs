using Azure.Data.Tables;

namespace VeloZ.Storage;

/// <summary>The worker's status row (PartitionKey <c>worker</c>, RowKey <c>status</c>): written by the worker, read by the API.</summary>
public sealed class WorkerStatusRepository(TableStore store)
{
    private const string Partition = "worker";
    private const string Row = "status";

    private TableClient Table => store.Table(TableStore.StatusTable);

    public Task WriteAsync(WorkerStatus status, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(status);
        var entity = new TableEntity(Partition, Row)
        {
            ["InstanceId"] = status.InstanceId,
            ["StartedAt"] = status.StartedAt,
            ["HeartbeatAt"] = status.HeartbeatAt,
            ["MarketFeedState"] = status.MarketFeedState,
            ["MarketFeedError"] = status.MarketFeedError,
            ["LastTickTsNs"] = status.LastTickTsNs,
            ["UserStreamConnected"] = status.UserStreamConnected,
            ["TradingHaltedUntil"] = status.TradingHaltedUntil,
            ["VenueRestUrl"] = status.VenueRestUrl,
            ["HubUrl"] = status.HubUrl,
            ["LastEventId"] = status.LastEventId,
        };
        return store.WriteAsync(TableStore.StatusTable, () => Table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken), cancellationToken);
    }

    /// <summary>The last status the worker wrote, or null if no worker has run against this store.</summary>
    public async Task<WorkerStatus?> ReadAsync(CancellationToken cancellationToken)
    {
        if (await TableStore.GetIfExistsAsync(Table, Partition, Row, cancellationToken).ConfigureAwait(false) is not { } e)
        {
            return null;
        }

        return new WorkerStatus(
            e.GetString("InstanceId") ?? string.Empty,
            e.GetDateTimeOffset("StartedAt") ?? DateTimeOffset.MinValue,
            e.GetDateTimeOffset("HeartbeatAt") ?? DateTimeOffset.MinValue,
            e.GetString("MarketFeedState") ?? MarketFeedStates.Stopped,
            e.GetString("MarketFeedError"),
            e.GetInt64("LastTickTsNs"),
            e.GetBoolean("UserStreamConnected") ?? false,
            e.GetDateTimeOffset("TradingHaltedUntil"),
            e.GetString("VenueRestUrl"),
            e.GetString("HubUrl"),
            e.GetInt64("LastEventId"));
    }
}
