using System.Collections.Concurrent;
using Azure;
using Azure.Data.Tables;

namespace VeloZ.Storage;

/// <summary>
/// Order-row writes on the Azure SDK (<c>Azure.Data.Tables</c>): Add Entity, Update Entity in merge mode with
/// the row's ETag, and entity-group transactions (<see cref="TableClient.SubmitTransactionAsync"/>), whose
/// failed row <see cref="TableTransactionFailedException.FailedTransactionActionIndex"/> names. The table
/// clients come from <see cref="TableStore.ConditionalTable"/>, whose pipeline has retries off: a general
/// client would re-send an insert whose answer was lost and meet its own row as "exists". Here an answer
/// that never came (no response, timeout, server error) is an unknown outcome, settled by reading the rows.
/// Authentication is the SDK's: shared key or SAS from the connection string (Azurite included), or the
/// managed identity's token credential.
/// </summary>
internal sealed class SdkRowClient(Func<string, TableClient> tableOf) : IRowWriteClient
{
    private readonly ConcurrentDictionary<string, TableClient> _tables = new(StringComparer.Ordinal);

    private TableClient Table(string table) => _tables.GetOrAdd(table, tableOf);

    public async Task<RowWriteResult> WriteAsync(string table, RowOperation operation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        try
        {
            var client = Table(table);
            using var response = operation.Upsert
                ? await client.UpsertEntityAsync(operation.Entity, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false)
                : operation.ETag is null
                ? await client.AddEntityAsync(operation.InsertedEntity(), cancellationToken).ConfigureAwait(false)
                : await client.UpdateEntityAsync(operation.Entity, new ETag(operation.ETag), TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
            return RowWriteResult.Succeeded([response.Headers.ETag?.ToString()]);
        }
        catch (RequestFailedException ex)
        {
            // A single write's failed condition is its own (index 0).
            return RowWriteResult.FromStatus(ex.Status, ex.ErrorCode, 0, ex.Message);
        }
        catch (Exception ex) when (RowWriteResult.IsNoAnswer(ex, cancellationToken))
        {
            return RowWriteResult.Unknown(ex.GetType().Name);
        }
    }

    public async Task<RowWriteResult> SubmitAsync(string table, IReadOnlyList<RowOperation> operations, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operations);
        var actions = new List<TableTransactionAction>(operations.Count);
        foreach (var op in operations)
        {
            actions.Add(op.Upsert
                ? new TableTransactionAction(TableTransactionActionType.UpsertMerge, op.Entity)
                : op.ETag is null
                ? new TableTransactionAction(TableTransactionActionType.Add, op.InsertedEntity())
                : new TableTransactionAction(TableTransactionActionType.UpdateMerge, op.Entity, new ETag(op.ETag)));
        }

        try
        {
            var response = await Table(table).SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
            var parts = response.Value;
            if (parts.Count != operations.Count)
            {
                return RowWriteResult.Unknown($"{parts.Count} answers for {operations.Count} operations");
            }

            var etags = new string?[parts.Count];
            for (var i = 0; i < parts.Count; i++)
            {
                etags[i] = parts[i].Headers.ETag?.ToString();
            }

            return RowWriteResult.Succeeded(etags);
        }
        catch (TableTransactionFailedException ex)
        {
            // Storage names the operation that failed; a whole transaction refused names none.
            return RowWriteResult.FromStatus(ex.Status, ex.ErrorCode, ex.FailedTransactionActionIndex ?? -1, ex.Message);
        }
        catch (RequestFailedException ex)
        {
            return RowWriteResult.FromStatus(ex.Status, ex.ErrorCode, -1, ex.Message);
        }
        catch (Exception ex) when (RowWriteResult.IsNoAnswer(ex, cancellationToken))
        {
            return RowWriteResult.Unknown(ex.GetType().Name);
        }
    }
}
