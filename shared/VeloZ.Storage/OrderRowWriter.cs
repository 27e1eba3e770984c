using Azure.Data.Tables;

namespace VeloZ.Storage;

/// <summary>
/// Group commit for order rows. Every insert and ETag-checked merge of an order row goes through here,
/// one lane per order shard (one table and partition, <see cref="OrderKeys"/>), and so do the rows of the venue
/// order id index (<see cref="UpsertAsync"/>, one lane per symbol), which every order writes once. A lane with nothing in flight writes a row at once,
/// with a single-entity request; writes that arrive while a lane's request is in flight wait for it and then
/// go together, up to <see cref="MaxBatch"/>, as one entity-group transaction. Under light load nothing waits
/// for company; under heavy load one storage round trip carries many orders, which is what lets the order
/// path outrun the storage account's per-request cost.
/// <para>
/// Each write keeps its own answer: a transaction is all-or-nothing, so when one of its rows fails its
/// condition (the client order id exists: 409; the row changed since it was read: 412), storage names that
/// row, its writer alone gets the conflict, and the others are sent again without it; after a second
/// conflict in the same group the rest go one row per request, all at once, so a burst of duplicates costs
/// two extra rounds, not one per duplicate. A storage failure
/// fails every write of the request with <see cref="StorageUnavailableException"/>. A row appears at most
/// once per transaction; a second write of the same row waits for the next one.
/// </para>
/// <para>
/// Nothing is re-sent blindly (the row writer, <see cref="TableRowClient"/>, has no automatic retries). When a request's
/// outcome is unknown (timeout, lost connection, server error), the rows are read back: an insert carries a
/// random <see cref="WriteIdColumn"/>, so a row found with this write's id is this write (stored, with the
/// ETag read), a row with another id belongs to someone else (the id exists), and no row means the request
/// did not land (a transaction is all-or-nothing): those writes fail with <see cref="StorageUnavailableException"/>.
/// A merge with an unknown outcome answers "changed meanwhile", so its caller reads the row again and
/// re-applies its events through the state machine, which is idempotent.
/// </para>
/// </summary>
public sealed class OrderRowWriter(TableStore store, TimeProvider? clock = null)
{
    /// <summary>Table storage's limit of operations in one entity-group transaction.</summary>
    public const int MaxBatch = 100;

    /// <summary>
    /// How long an unhurried write (the venue's answer, stored behind the reply) may wait for company: it rides in
    /// the next request that carries a write somebody waits for, instead of costing a request of its own, and an
    /// insert never queues behind a request of answers only. It waits only when company is expected that soon
    /// (the lane's inserts have been coming at shorter intervals than this); otherwise it goes at once, when its
    /// lane is idle or as soon as its lane's request is answered: waiting would only store it later.
    /// </summary>
    public static readonly TimeSpan HoldBack = TimeSpan.FromMilliseconds(15);

    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    /// <summary>The column an insert carries with a random id of that write, read back when its outcome is unknown.</summary>
    public const string WriteIdColumn = "WriteId";

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Lane> _lanes = new(StringComparer.Ordinal);
    private long _requests;
    private long _rows;
    private long _upsertRequests;
    private long _upsertRows;

    /// <summary>Order-row storage requests sent so far, and the row writes they carried (their ratio is the grouping achieved).</summary>
    public (long Requests, long Rows) Counters => (Interlocked.Read(ref _requests), Interlocked.Read(ref _rows));

    /// <summary>The same for the rows written by <see cref="UpsertAsync"/> (the venue order id index).</summary>
    public (long Requests, long Rows) UpsertCounters => (Interlocked.Read(ref _upsertRequests), Interlocked.Read(ref _upsertRows));

    /// <summary>Inserts a row; its ETag, or null when a row with these keys exists already.</summary>
    public Task<RowVersion?> AddAsync(TableEntity entity) => SubmitAsync(OrderTableOf(entity), new PendingWrite(new RowOperation(entity, null, WriteIdColumn, Guid.NewGuid().ToString("N"))));

    /// <summary>
    /// Stores <paramref name="entity"/>'s columns into the row (a merge: columns it does not carry keep their values)
    /// if the row still has <paramref name="etag"/>; the new ETag, or null when it changed meanwhile (or may have).
    /// </summary>
    /// <remarks>An <paramref name="unhurried"/> merge may wait up to <see cref="HoldBack"/> to share a request.</remarks>
    public Task<RowVersion?> MergeAsync(TableEntity entity, RowVersion etag, bool unhurried = false) => SubmitAsync(OrderTableOf(entity), new PendingWrite(new RowOperation(entity, etag.Value), unhurried));

    /// <summary>
    /// Inserts the row into <paramref name="table"/> (a short table name of <see cref="TableStore"/>), or merges its
    /// columns into the row there: for rows whose content follows from their keys (the venue order id index), which
    /// ride in the same group commit as the order rows, one lane per table and partition.
    /// </summary>
    /// <exception cref="StorageUnavailableException">The row could not be written, or whether it was is not known and it is not there.</exception>
    public async Task UpsertAsync(string table, TableEntity entity, bool unhurried = false)
    {
        ArgumentNullException.ThrowIfNull(entity);
        await SubmitAsync(table, new PendingWrite(new RowOperation(entity, null, Upsert: true), unhurried)).ConfigureAwait(false);
    }

    private static string OrderTableOf(TableEntity entity) => OrderKeys.TableOfPartition(entity.PartitionKey);

    private Task<RowVersion?> SubmitAsync(string table, PendingWrite write)
    {
        var lane = _lanes.GetOrAdd(table + "/" + write.Entity.PartitionKey, static (_, state) => state.Writer.NewLane(state.Table), (Writer: this, Table: table));
        bool start;
        lock (lane.Gate)
        {
            lane.Queue.Add(write);
            if (!write.Unhurried)
            {
                lane.NoteHurried();
            }

            // A busy lane sends what waits when its request is answered; an idle one decides now.
            start = !lane.Flushing;
            lane.Flushing = true;
        }

        if (start)
        {
            _ = FlushAsync(lane);
        }

        return write.Done.Task;
    }

    private Lane NewLane(string table) => new(store, table, _clock);

    /// <summary>Sends what an unhurried write left waiting, unless a flush took it meanwhile.</summary>
    private async Task FlushLaterAsync(Lane lane)
    {
        await Task.Delay(HoldBack, _clock).ConfigureAwait(false);
        bool start;
        lock (lane.Gate)
        {
            lane.HeldBack = false;
            start = !lane.Flushing && lane.Queue.Count > 0;
            lane.Flushing |= start;
        }

        if (start)
        {
            await FlushAsync(lane, sendUnhurried: true).ConfigureAwait(false);
        }
    }

    /// <param name="lane">The lane to send.</param>
    /// <param name="sendUnhurried">Send the first batch even if nobody waits for it (the hold-back is over).</param>
    private async Task FlushAsync(Lane lane, bool sendUnhurried = false)
    {
        try
        {
            while (true)
            {
                List<PendingWrite>? batch = null;
                var later = false;
                lock (lane.Gate)
                {
                    if (lane.Queue.Count == 0 || (!sendUnhurried && lane.WaitsForCompany()))
                    {
                        // Nothing, or only writes that can wait: they go with the next write somebody waits for,
                        // or after the hold-back.
                        lane.Flushing = false;
                        later = lane.Queue.Count > 0 && !lane.HeldBack;
                        lane.HeldBack |= later;
                    }
                    else
                    {
                        batch = TakeBatch(lane.Queue);
                    }
                }

                if (batch is null)
                {
                    if (later)
                    {
                        _ = FlushLaterAsync(lane);
                    }

                    return;
                }

                sendUnhurried = false;
                await WriteAsync(lane, batch).ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            // Never leave a lane marked busy with writes nobody will send: fail what waits, free the lane.
            List<PendingWrite> stranded;
            lock (lane.Gate)
            {
                stranded = [.. lane.Queue];
                lane.Queue.Clear();
                lane.Flushing = false;
            }

            var failure = new StorageUnavailableException($"Order rows could not be written ({ex.GetType().Name}).", ex);
            foreach (var write in stranded)
            {
                write.Done.TrySetException(failure);
            }
        }
    }

    /// <summary>The oldest writes, up to <see cref="MaxBatch"/>, at most one per row; the rest stay queued in order.</summary>
    private static List<PendingWrite> TakeBatch(List<PendingWrite> queue)
    {
        var batch = new List<PendingWrite>(Math.Min(queue.Count, MaxBatch));
        var rows = new HashSet<string>(StringComparer.Ordinal);
        var kept = 0;
        for (var i = 0; i < queue.Count; i++)
        {
            var write = queue[i];
            if (batch.Count < MaxBatch && rows.Add(write.Entity.RowKey))
            {
                batch.Add(write);
            }
            else
            {
                queue[kept++] = write;
            }
        }

        queue.RemoveRange(kept, queue.Count - kept);
        return batch;
    }

    private async Task WriteAsync(Lane lane, List<PendingWrite> batch)
    {
        var tableCreated = false;
        var conflicts = 0;
        try
        {
            while (batch.Count > 0)
            {
                if (batch[0].Operation.Upsert)
                {
                    Interlocked.Increment(ref _upsertRequests);
                    Interlocked.Add(ref _upsertRows, batch.Count);
                }
                else
                {
                    Interlocked.Increment(ref _requests);
                    Interlocked.Add(ref _rows, batch.Count);
                }

                var result = batch.Count == 1
                    ? await store.Rows.WriteAsync(lane.TableName, batch[0].Operation, CancellationToken.None).ConfigureAwait(false)
                    : await store.Rows.SubmitAsync(lane.TableName, [.. batch.Select(w => w.Operation)], CancellationToken.None).ConfigureAwait(false);
                switch (result.Outcome)
                {
                    case RowWriteOutcome.Written:
                        for (var i = 0; i < batch.Count; i++)
                        {
                            batch[i].Done.TrySetResult(new RowVersion(result.ETags[i] ?? string.Empty));
                        }

                        return;

                    case RowWriteOutcome.ConditionFailed when result.FailedIndex >= 0 && result.FailedIndex < batch.Count:
                        // One row failed its condition: that write alone is answered, the others go again.
                        batch[result.FailedIndex].Done.TrySetResult(null);
                        batch.RemoveAt(result.FailedIndex);
                        if (++conflicts >= 2 && batch.Count > 1)
                        {
                            // Several conflicts in one group (a client resending many ids) would cost a round per
                            // conflict: the rest go one row per request, all at once, each answered for itself.
                            await Task.WhenAll(batch.Select(w => WriteAsync(lane, [w]))).ConfigureAwait(false);
                            return;
                        }

                        break;

                    case RowWriteOutcome.TableMissing when !tableCreated:
                        // Nothing was written: create the table (a process wrote before start-up created it) and send again.
                        tableCreated = true;
                        await TableStore.Guard(() => store.Table(lane.Table).CreateIfNotExistsAsync(CancellationToken.None)).ConfigureAwait(false);
                        break;

                    case RowWriteOutcome.Unknown:
                        await ResolveUnknownAsync(lane.Table, batch, result.Detail).ConfigureAwait(false);
                        return;

                    default:
                        Fail(batch, new StorageUnavailableException($"Table storage refused a write of order rows ({result.Detail ?? result.Outcome.ToString()})."));
                        return;
                }
            }
        }
        catch (Exception ex)
        {
            Fail(batch, ex is StorageUnavailableException ? ex : new StorageUnavailableException($"Order rows could not be written ({ex.GetType().Name}).", ex));
        }
    }

    /// <summary>Settles writes whose request got no answer by reading their rows, never by sending them again.</summary>
    private async Task ResolveUnknownAsync(string table, List<PendingWrite> batch, string? detail)
    {
        var rows = new List<(PendingWrite Write, TableEntity? Row)>();
        // Inserts and upserts: the row tells whether they landed.
        foreach (var write in batch.Where(w => w.ETag is null))
        {
            // A storage failure here fails the writes (caught by the caller): still nothing re-sent.
            rows.Add((write, await TableStore.GetIfExistsAsync(store.Table(table), write.Entity.PartitionKey, write.Entity.RowKey, CancellationToken.None).ConfigureAwait(false)));
        }

        foreach (var (write, row) in rows)
        {
            if (row is null)
            {
                write.Done.TrySetException(new StorageUnavailableException($"Table storage did not answer a write of order rows ({detail}); the row was not stored."));
            }
            else
            {
                // This write's id: it landed. Another id: the client order id was someone else's first. An upsert's
                // row is there: whichever write put it there, it holds what this one would.
                write.Done.TrySetResult(write.Operation.Upsert || row.GetString(WriteIdColumn) == write.Operation.WriteId ? RowVersion.Of(row.ETag) : null);
            }
        }

        // A merge whose outcome is unknown: its caller reads the row again and re-applies (idempotent).
        foreach (var write in batch.Where(w => w.ETag is not null))
        {
            write.Done.TrySetResult(null);
        }
    }

    private static void Fail(List<PendingWrite> batch, Exception failure)
    {
        foreach (var write in batch)
        {
            write.Done.TrySetException(failure);
        }
    }

    private sealed class Lane(TableStore store, string table, TimeProvider clock)
    {
        /// <summary>The moving average of the time between inserts below which company is expected within <see cref="HoldBack"/>.</summary>
        private readonly double _holdBackTicks = HoldBack.TotalSeconds * clock.TimestampFrequency;

        private long _lastHurried = -1;
        private double _interval = double.PositiveInfinity;

        /// <summary>The short name of the lane's table.</summary>
        public readonly string Table = table;

        /// <summary>The lane's table as the account knows it (with the prefix).</summary>
        public readonly string TableName = store.TableName(table);

        public readonly Lock Gate = new();
        public readonly List<PendingWrite> Queue = [];
        public bool Flushing;

        /// <summary>A delayed flush is scheduled for writes that can wait.</summary>
        public bool HeldBack;

        /// <summary>Keeps a moving average of the time between the lane's writes somebody waits for (under <see cref="Gate"/>).</summary>
        public void NoteHurried()
        {
            var now = clock.GetTimestamp();
            if (_lastHurried >= 0)
            {
                double gap = now - _lastHurried;
                _interval = double.IsPositiveInfinity(_interval) ? gap : (0.75 * _interval) + (0.25 * gap);
            }

            _lastHurried = now;
        }

        /// <summary>
        /// Whether what is queued should wait for company (under <see cref="Gate"/>): nobody waits for any of it,
        /// it does not fill a transaction, and the next write somebody waits for is expected within <see cref="HoldBack"/>.
        /// </summary>
        public bool WaitsForCompany() =>
            Queue.Count < MaxBatch && _interval < _holdBackTicks && Queue.TrueForAll(static w => w.Unhurried);
    }

    private sealed class PendingWrite(RowOperation operation, bool unhurried = false)
    {
        /// <summary>An insert (no ETag, with a random write id), an ETag-checked merge, or an upsert.</summary>
        public RowOperation Operation { get; } = operation;

        /// <summary>Nobody waits for this write: it may wait up to <see cref="HoldBack"/> to share a request.</summary>
        public bool Unhurried { get; } = unhurried;

        public TableEntity Entity => Operation.Entity;

        /// <summary>The ETag a merge requires; null for an insert.</summary>
        public string? ETag => Operation.ETag;

        public TaskCompletionSource<RowVersion?> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
