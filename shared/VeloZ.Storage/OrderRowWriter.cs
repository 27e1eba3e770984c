using Azure;
using Azure.Data.Tables;

namespace VeloZ.Storage;

/// <summary>
/// Group commit for order rows. Every insert and ETag-checked replace of an order row goes through here,
/// one lane per order partition (<see cref="OrderKeys"/>). A lane with nothing in flight writes a row at once,
/// with a single-entity request; writes that arrive while a lane's request is in flight wait for it and then
/// go together, up to <see cref="MaxBatch"/>, as one entity-group transaction. Under light load nothing waits
/// for company; under heavy load one storage round trip carries many orders, which is what lets the order
/// path outrun the storage account's per-request cost.
/// <para>
/// Each write keeps its own answer: a transaction is all-or-nothing, so when one of its rows fails its
/// condition (the client order id exists: 409; the row changed since it was read: 412), storage names that
/// row, its writer alone gets the conflict, and the others are sent again without it. A storage failure
/// fails every write of the request with <see cref="StorageUnavailableException"/>. A row appears at most
/// once per transaction; a second write of the same row waits for the next one.
/// </para>
/// </summary>
public sealed class OrderRowWriter(TableStore store)
{
    /// <summary>Table storage's limit of operations in one entity-group transaction.</summary>
    public const int MaxBatch = 100;

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Lane> _lanes = new(StringComparer.Ordinal);
    private long _requests;
    private long _rows;

    /// <summary>Storage requests sent so far, and the row writes they carried (their ratio is the grouping achieved).</summary>
    public (long Requests, long Rows) Counters => (Interlocked.Read(ref _requests), Interlocked.Read(ref _rows));

    private TableClient Table => store.Table(TableStore.OrdersTable);

    /// <summary>Inserts a row; its ETag, or null when a row with these keys exists already.</summary>
    public Task<ETag?> AddAsync(TableEntity entity) =>
        SubmitAsync(new TableTransactionAction(TableTransactionActionType.Add, entity));

    /// <summary>Replaces a row if it still has <paramref name="etag"/>; the new ETag, or null when it changed meanwhile.</summary>
    public Task<ETag?> ReplaceAsync(TableEntity entity, ETag etag) =>
        SubmitAsync(new TableTransactionAction(TableTransactionActionType.UpdateReplace, entity, etag));

    private Task<ETag?> SubmitAsync(TableTransactionAction action)
    {
        var lane = _lanes.GetOrAdd(action.Entity.PartitionKey, static _ => new Lane());
        var write = new PendingWrite(action);
        bool start;
        lock (lane.Gate)
        {
            lane.Queue.Add(write);
            start = !lane.Flushing;
            lane.Flushing = true;
        }

        if (start)
        {
            _ = FlushAsync(lane);
        }

        return write.Done.Task;
    }

    private async Task FlushAsync(Lane lane)
    {
        try
        {
            while (true)
            {
                List<PendingWrite> batch;
                lock (lane.Gate)
                {
                    if (lane.Queue.Count == 0)
                    {
                        lane.Flushing = false;
                        return;
                    }

                    batch = TakeBatch(lane.Queue);
                }

                await WriteAsync(batch).ConfigureAwait(false);
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
            if (batch.Count < MaxBatch && rows.Add(write.Action.Entity.RowKey))
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

    private async Task WriteAsync(List<PendingWrite> batch)
    {
        while (batch.Count > 0)
        {
            Interlocked.Increment(ref _requests);
            Interlocked.Add(ref _rows, batch.Count);
            try
            {
                if (batch.Count == 1)
                {
                    batch[0].Done.TrySetResult(await WriteOneAsync(batch[0].Action).ConfigureAwait(false));
                    return;
                }

                var actions = batch.Select(w => w.Action).ToList();
                var response = await store.WriteAsync(TableStore.OrdersTable, () => Table.SubmitTransactionAsync(actions), CancellationToken.None).ConfigureAwait(false);
                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].Done.TrySetResult(response.Value[i].Headers.ETag);
                }

                return;
            }
            catch (TableTransactionFailedException ex) when (ex.Status is 409 or 412 && ex.FailedTransactionActionIndex is { } failed && failed >= 0 && failed < batch.Count)
            {
                // One row failed its condition: that write alone is answered, the others go again.
                batch[failed].Done.TrySetResult(null);
                batch.RemoveAt(failed);
            }
            catch (Exception ex)
            {
                var failure = ex is StorageUnavailableException ? ex : new StorageUnavailableException($"Table storage refused a write of order rows ({Describe(ex)}).", ex);
                foreach (var write in batch)
                {
                    write.Done.TrySetException(failure);
                }

                return;
            }
        }
    }

    private async Task<ETag?> WriteOneAsync(TableTransactionAction action)
    {
        try
        {
            var response = action.ActionType == TableTransactionActionType.Add
                ? await store.WriteAsync(TableStore.OrdersTable, () => Table.AddEntityAsync(action.Entity), CancellationToken.None).ConfigureAwait(false)
                : await TableStore.Guard(() => Table.UpdateEntityAsync(action.Entity, action.ETag, TableUpdateMode.Replace)).ConfigureAwait(false);
            return response.Headers.ETag;
        }
        catch (RequestFailedException ex) when (ex.Status == (action.ActionType == TableTransactionActionType.Add ? 409 : 412))
        {
            return null;
        }
    }

    private static string Describe(Exception ex) => ex is RequestFailedException r ? $"HTTP {r.Status}, {r.ErrorCode ?? "no error code"}" : ex.GetType().Name;

    private sealed class Lane
    {
        public readonly Lock Gate = new();
        public readonly List<PendingWrite> Queue = [];
        public bool Flushing;
    }

    private sealed class PendingWrite(TableTransactionAction action)
    {
        public TableTransactionAction Action { get; } = action;

        public TaskCompletionSource<ETag?> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
