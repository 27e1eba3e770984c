using Azure.Data.Tables;

namespace VeloZ.Storage;

/// <summary>
/// Sends order-row writes to Table storage exactly once: a single insert or ETag-checked merge, or an
/// entity-group transaction of them. Nothing is re-sent automatically; an answer that never came is reported
/// as <see cref="RowWriteOutcome.Unknown"/> and settled by <see cref="OrderRowWriter"/> reading the rows.
/// </summary>
internal interface IRowWriteClient
{
    /// <summary>
    /// Writes one row: an insert (with the extra string column <see cref="RowOperation.WriteIdColumn"/> when
    /// given) or, when the operation carries an ETag, a merge into the row if it still has that ETag.
    /// </summary>
    /// <remarks><c>table</c> is the table's full name (with the storage prefix).</remarks>
    Task<RowWriteResult> WriteAsync(string table, RowOperation operation, CancellationToken cancellationToken);

    /// <summary>
    /// Sends <paramref name="operations"/> (all of one partition, at most one per row) as one entity-group
    /// transaction: every operation is applied, or none. On success, each operation's new ETag in order; when
    /// one operation failed its condition, its index.
    /// </summary>
    /// <remarks><c>table</c> is the table's full name (with the storage prefix).</remarks>
    Task<RowWriteResult> SubmitAsync(string table, IReadOnlyList<RowOperation> operations, CancellationToken cancellationToken);
}

/// <summary>
/// One write: an insert (no ETag), or an update if the row still has <see cref="ETag"/>. An update is a
/// Merge Entity: the columns it carries are stored and columns it does not carry are kept, so a
/// writer sends only the columns it changes (order changes do, under the row's ETag; the insert's
/// <see cref="WriteIdColumn"/> survives, so a later read still knows which write created the row). Merge, not
/// Replace Entity, because Azurite's in-memory store does a replace as a remove and an insert, at a cost that
/// grows with the rows of the table; in Azure both cost the same.
/// </summary>
/// <para>An <see cref="Upsert"/> (no ETag, no write id) inserts the row or merges its columns into the row there
/// (Insert Or Merge Entity): for rows whose content is fixed by their keys, such as the venue order id index, so
/// writing one again changes nothing.</para>
internal sealed record RowOperation(TableEntity Entity, string? ETag, string? WriteIdColumn = null, string? WriteId = null, bool Upsert = false)
{
    /// <summary>What an insert stores: the entity's columns and, when given, the write id (the entity itself is left as it is).</summary>
    public TableEntity InsertedEntity() =>
        WriteIdColumn is null || WriteId is null ? Entity : new TableEntity(Entity) { [WriteIdColumn] = WriteId };
}

/// <summary>How a write ended.</summary>
public enum RowWriteOutcome
{
    /// <summary>Stored; the ETag is the row's new one.</summary>
    Written,

    /// <summary>The row exists (insert) or changed since it was read (update).</summary>
    ConditionFailed,

    /// <summary>The table does not exist yet; nothing was written.</summary>
    TableMissing,

    /// <summary>Storage refused the request; nothing was written.</summary>
    Refused,

    /// <summary>No answer (timeout, lost connection, server error): the write may or may not have landed.</summary>
    Unknown,
}

/// <summary>
/// How a write (one row, or a transaction) ended: every operation's new ETag on success, the operation that
/// failed its condition, or what storage said otherwise.
/// </summary>
internal sealed record RowWriteResult(RowWriteOutcome Outcome, IReadOnlyList<string?> ETags, int FailedIndex, string? Detail)
{
    /// <summary>The first (for a single-row write, the only) new ETag.</summary>
    public string? ETag => ETags.Count > 0 ? ETags[0] : null;

    public static RowWriteResult Succeeded(IReadOnlyList<string?> etags) => new(RowWriteOutcome.Written, etags, -1, null);

    public static RowWriteResult ConditionFailed(int index, int status) => new(RowWriteOutcome.ConditionFailed, [], index, $"HTTP {status}");

    public static RowWriteResult TableMissing() => new(RowWriteOutcome.TableMissing, [], -1, "TableNotFound");

    public static RowWriteResult Refused(string detail) => new(RowWriteOutcome.Refused, [], -1, detail);

    public static RowWriteResult Unknown(string detail) => new(RowWriteOutcome.Unknown, [], -1, detail);

    /// <summary>
    /// What a storage answer other than success means: the missing table, the operation at
    /// <paramref name="failedIndex"/> (-1: none named) failing its condition, an open outcome after a server error
    /// or timeout, or a definite refusal.
    /// </summary>
    public static RowWriteResult FromStatus(int status, string? code, int failedIndex, string? message)
    {
        if (status == 404 && code == "TableNotFound")
        {
            return TableMissing();
        }

        if (status is 409 or 412 && failedIndex >= 0)
        {
            return ConditionFailed(failedIndex, status);
        }

        // No answer, server errors and timeouts leave the outcome open; other refusals are definite.
        return status is 0 or 408 or >= 500
            ? Unknown($"HTTP {status}, {code ?? "no error code"}")
            : Refused($"HTTP {status}, {code ?? "no error code"}{(message is null ? string.Empty : ": " + FirstLine(message))}");
    }

    /// <summary>
    /// Whether <paramref name="ex"/> means the request may have landed but no answer came: a lost connection, or
    /// the network timeout (not the caller's <paramref name="cancellationToken"/>).
    /// </summary>
    public static bool IsNoAnswer(Exception ex, CancellationToken cancellationToken) =>
        ex is HttpRequestException or IOException or AggregateException
        || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested);

    private static string FirstLine(string message)
    {
        var end = message.IndexOfAny(['\r', '\n']);
        return end < 0 ? message : message[..end];
    }
}
