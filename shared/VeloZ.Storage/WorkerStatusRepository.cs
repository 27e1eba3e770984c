using VeloZ.Domain.Configuration;
using Azure.Data.Tables;

namespace VeloZ.Storage;

/// <summary>
/// The worker status rows (PartitionKey <c>worker</c>): RowKey <c>status</c> is the leader's, the one the API
/// reads for liveness, the venue and hub addresses; RowKey <c>standby</c> is the last standby's. A standby never
/// writes the leader's row, so it cannot hide the leader's addresses.
/// </summary>
public sealed class WorkerStatusRepository(TableStore store)
{
    private const string Partition = "worker";
    private const string Row = "status";
    private const string StandbyRow = "standby";

    private TableClient Table => store.Table(TableStore.StatusTable);

    public Task WriteAsync(WorkerStatus status, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(status);
        var entity = new TableEntity(Partition, status.Role == WorkerRoles.Standby ? StandbyRow : Row)
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
            ["Role"] = status.Role,
            ["HubTokenKey"] = status.HubTokenKey?.Reveal(),
        };
        return store.WriteAsync(TableStore.StatusTable, () => Table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken), cancellationToken);
    }

    /// <summary>The last status the leader wrote, or null if no worker has led against this store.</summary>
    public Task<WorkerStatus?> ReadAsync(CancellationToken cancellationToken) => ReadRowAsync(Row, cancellationToken);

    /// <summary>The last status a standby wrote, or null if no standby has run against this store.</summary>
    public Task<WorkerStatus?> ReadStandbyAsync(CancellationToken cancellationToken) => ReadRowAsync(StandbyRow, cancellationToken);

    private async Task<WorkerStatus?> ReadRowAsync(string row, CancellationToken cancellationToken)
    {
        if (await TableStore.GetIfExistsAsync(Table, Partition, row, cancellationToken).ConfigureAwait(false) is not { } e)
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
            e.GetInt64("LastEventId"),
            e.GetString("Role") ?? WorkerRoles.Leader,
            e.GetString("HubTokenKey") is { Length: > 0 } key ? new Secret(key) : null);
    }
}
