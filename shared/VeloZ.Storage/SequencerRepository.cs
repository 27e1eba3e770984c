using Azure;
using Azure.Data.Tables;

namespace VeloZ.Storage;

/// <summary>
/// The event id high-water mark (status table, PartitionKey <c>sequencer</c>, RowKey <c>ids</c>). The
/// sequencer reserves ids in blocks before it uses them, with an ETag-checked write, so ids survive restarts
/// and failover: a new process starts above everything any earlier one may have handed out, and two
/// processes can never both reserve the same block (the loser's write fails with a conflict).
/// </summary>
public sealed class SequencerRepository(TableStore store)
{
    private const string Partition = "sequencer";
    private const string Row = "ids";

    private TableClient Table => store.Table(TableStore.StatusTable);

    /// <summary>The current reservation: the highest id reserved so far (0 if none) and the row's ETag (null if no row).</summary>
    public async Task<(long ReservedThrough, ETag? ETag)> ReadAsync(CancellationToken cancellationToken)
    {
        if (await TableStore.GetIfExistsAsync(Table, Partition, Row, cancellationToken).ConfigureAwait(false) is not { } entity)
        {
            return (0, null);
        }

        return (entity.GetInt64("ReservedThrough") ?? 0, entity.ETag);
    }

    /// <summary>
    /// Moves the reservation to <paramref name="reservedThrough"/> if the row is still at <paramref name="etag"/>
    /// (null = the row must not exist yet). Returns the new ETag, or null if someone else changed it.
    /// </summary>
    public async Task<ETag?> TryReserveAsync(long reservedThrough, ETag? etag, string owner, CancellationToken cancellationToken)
    {
        var entity = new TableEntity(Partition, Row) { ["ReservedThrough"] = reservedThrough, ["Owner"] = owner };
        try
        {
            var response = etag is { } tag
                ? await TableStore.Guard(() => Table.UpdateEntityAsync(entity, tag, TableUpdateMode.Replace, cancellationToken)).ConfigureAwait(false)
                : await store.WriteAsync(TableStore.StatusTable, () => Table.AddEntityAsync(entity, cancellationToken), cancellationToken).ConfigureAwait(false);
            return response.Headers.ETag;
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            return null;
        }
    }
}
