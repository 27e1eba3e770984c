using Azure;
using Azure.Data.Tables;

namespace VeloZ.Storage;

/// <summary>
/// The event id high-water mark (status table, PartitionKey <c>sequencer</c>, RowKey <c>ids</c>). The
/// sequencer reserves ids in blocks before it uses them, with an ETag-checked write, so ids survive restarts
/// and failover: a new process starts above everything any earlier one may have handed out, and two
/// processes can never both reserve the same block (the loser's write fails with a conflict).
/// </summary>
/// <remarks>
/// A reservation is a conditional write, so it is never re-sent blindly (<see cref="TableStore.ConditionalTable"/>):
/// when its outcome is unknown (no answer, a timeout, a server error) or it meets a changed row, the row is read
/// back. Each row names the writer that moved it last (<c>Owner</c>), so a write of this owner that landed
/// without an answer is told apart from another writer's: only another owner's write counts as being fenced.
/// </remarks>
public sealed class SequencerRepository(TableStore store)
{
    private const string Partition = "sequencer";
    private const string Row = "ids";
    private const int MaxAttempts = 3;

    private TableClient Table => store.Table(TableStore.StatusTable);

    private TableClient Conditional => store.ConditionalTable(TableStore.StatusTable);

    /// <summary>The current reservation: the highest id reserved so far (0 if none) and the row's ETag (null if no row).</summary>
    public async Task<(long ReservedThrough, ETag? ETag)> ReadAsync(CancellationToken cancellationToken)
    {
        var (reserved, etag, _) = await ReadRowAsync(cancellationToken).ConfigureAwait(false);
        return (reserved, etag);
    }

    /// <summary>
    /// Moves the reservation to <paramref name="reservedThrough"/> if the row is still at <paramref name="etag"/>
    /// (null = the row must not exist yet) or was last moved by <paramref name="owner"/> itself (an earlier write
    /// of this owner whose answer was lost). Returns the new ETag, or null if another owner changed it.
    /// </summary>
    /// <exception cref="StorageUnavailableException">Storage did not answer; whether the write landed is not known yet (asking again finds out).</exception>
    public async Task<ETag?> TryReserveAsync(long reservedThrough, ETag? etag, string owner, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(owner);
        var expected = etag;
        for (var attempt = 1; ; attempt++)
        {
            var entity = new TableEntity(Partition, Row) { ["ReservedThrough"] = reservedThrough, ["Owner"] = owner };
            try
            {
                var response = expected is { } tag
                    ? await TableStore.Guard(() => Conditional.UpdateEntityAsync(entity, tag, TableUpdateMode.Replace, cancellationToken)).ConfigureAwait(false)
                    : await store.WriteAsync(TableStore.StatusTable, () => Conditional.AddEntityAsync(entity, cancellationToken), cancellationToken).ConfigureAwait(false);
                return response.Headers.ETag;
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412)
            {
                // The row is not at the expected ETag: another owner's write, or this owner's own one that
                // landed without an answer (then the call was asked again).
            }
            catch (Exception ex) when (ex is StorageUnavailableException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                // Unknown outcome: the write may have landed. The read below tells.
                if (attempt >= MaxAttempts)
                {
                    throw ex as StorageUnavailableException ?? new StorageUnavailableException("Table storage did not answer in time.", ex);
                }
            }

            var (current, currentETag, currentOwner) = await ReadRowAsync(cancellationToken).ConfigureAwait(false);
            if (currentETag is { } now && now != expected && currentOwner != owner)
            {
                return null;
            }

            if (currentETag is { } landed && landed != expected && current == reservedThrough)
            {
                // This owner's write landed; its answer was lost.
                return landed;
            }

            if (attempt >= MaxAttempts)
            {
                throw new StorageUnavailableException("Table storage did not settle the id reservation.");
            }

            // Unchanged (the write did not land), or last moved by this owner to another value: write on top.
            expected = currentETag;
        }
    }

    private async Task<(long ReservedThrough, ETag? ETag, string? Owner)> ReadRowAsync(CancellationToken cancellationToken)
    {
        if (await TableStore.GetIfExistsAsync(Table, Partition, Row, cancellationToken).ConfigureAwait(false) is not { } entity)
        {
            return (0, null, null);
        }

        return (entity.GetInt64("ReservedThrough") ?? 0, entity.ETag, entity.GetString("Owner"));
    }
}
