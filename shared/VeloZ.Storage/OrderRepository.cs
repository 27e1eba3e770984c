using System.Text.Json;
using System.Text.Json.Serialization;
using Azure.Data.Tables;
using VeloZ.Domain.Numerics;
using VeloZ.Domain.Orders;

namespace VeloZ.Storage;

/// <summary>
/// Durable orders, one row per client order id (in the id's shard: table <see cref="OrderKeys.Table"/>,
/// PartitionKey <see cref="OrderKeys.Partition"/>, RowKey the id; scans visit every shard). Insert fails if
/// the id exists (so the same id can never create a second order, whichever API instance sees it first);
/// every change goes through the <see cref="OrderStateMachine"/> and is stored as an ETag-checked merge of
/// the columns it changes, retried on a concurrent change, so two writers (the API with the REST answer, the
/// worker with the user stream) can never overwrite each other. Inserts and changes are group committed by
/// an <see cref="OrderRowWriter"/>. Decimals are invariant strings.
/// <para>
/// A write the caller chose not to wait for (<see cref="WriteBehind"/>: the API answers with the venue's answer
/// in hand while storing it) is still seen by this process: a read of that order waits for it first.
/// </para>
/// </summary>
public sealed class OrderRepository(TableStore store, TimeProvider? clock = null)
{
    /// <summary>The column of <see cref="OrderState.SendByTsNs"/> (a long; absent on rows of older versions).</summary>
    public const string SendByColumn = "SendByTsNs";

    private const int MaxApplyAttempts = 20;

    private readonly OrderRowWriter _writer = new(store, clock);
    private VenueOrderIndex? _venueOrders;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Task> _writesBehind = new(StringComparer.Ordinal);

    private TableClient TableOf(string clientOrderId) => store.Table(OrderKeys.Table(clientOrderId));

    /// <summary>Venue order id → client order id, written as orders learn their venue order ids.</summary>
    /// <remarks>Its rows go through this repository's group commit (created on first use; it holds no state of its own).</remarks>
    public VenueOrderIndex VenueOrders => _venueOrders ??= new(store, _writer);

    /// <summary>Storage requests and row writes of this repository's <see cref="OrderRowWriter"/>.</summary>
    public (long Requests, long Rows) WriteCounters => _writer.Counters;

    /// <summary>Storage requests and row writes of the venue order id index, through the same group commit.</summary>
    public (long Requests, long Rows) IndexWriteCounters => _writer.UpsertCounters;

    /// <summary>Inserts a new order; false when an order with this client order id already exists.</summary>
    public async Task<bool> TryInsertAsync(OrderState state, CancellationToken cancellationToken) =>
        await InsertAsync(state, cancellationToken) is not null;

    /// <summary>Inserts a new order and returns its ETag; null when the client order id already exists.</summary>
    public async Task<RowVersion?> InsertAsync(OrderState state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.VenueOrderId is { } venueOrderId)
        {
            // New orders have none yet; a row inserted with one (an import, a test) keeps the index complete all the same.
            await VenueOrders.AddAsync(state.Symbol, venueOrderId, state.ClientOrderId, cancellationToken).ConfigureAwait(false);
        }

        return await _writer.AddAsync(ToEntity(state)).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Lets <paramref name="write"/> (a change of order <paramref name="clientOrderId"/>) finish without the
    /// caller: reads of that order in this process wait for it, and <see cref="WhenWritesBehindDoneAsync"/>
    /// waits for all of them (at shutdown).
    /// </summary>
    public void WriteBehind(string clientOrderId, Task write)
    {
        ArgumentNullException.ThrowIfNull(write);
        _writesBehind[clientOrderId] = write;
        _ = write.ContinueWith(
            (done, state) => ((OrderRepository)state!)._writesBehind.TryRemove(new KeyValuePair<string, Task>(clientOrderId, done)),
            this,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    /// <summary>Completes when every write handed to <see cref="WriteBehind"/> so far has finished (whatever its outcome).</summary>
    public Task WhenWritesBehindDoneAsync() => Task.WhenAll(_writesBehind.Values.Select(w => Task.WhenAny(w)));

    /// <summary>
    /// Applies several reports of one order (an answer with its ack and fills, a reconciliation result with
    /// several trades, an execution report with a fill) with one read and one ETag-checked merge of the changed
    /// columns, read again and re-applied when someone changed the row meanwhile. Returns one transition per
    /// event, in order, or null when the order is unknown.
    /// </summary>
    public Task<IReadOnlyList<OrderTransition>?> ApplyAllAsync(string clientOrderId, IReadOnlyList<OrderEvent> events, CancellationToken cancellationToken) =>
        ApplyAllAsync(clientOrderId, events, known: null, cancellationToken);

    /// <summary>
    /// Applies several events in order and stores the result with one write. When the caller knows the
    /// row's last state and ETag (it just inserted it), no read is needed; if the row changed meanwhile,
    /// it falls back to read-apply-replace. Returns the transitions, or null when the order is unknown.
    /// </summary>
    /// <remarks><paramref name="unhurried"/>: nobody waits for this write (it is behind a reply), so it may share a later request.</remarks>
    public async Task<IReadOnlyList<OrderTransition>?> ApplyAllAsync(string clientOrderId, IReadOnlyList<OrderEvent> events, (OrderState State, RowVersion ETag)? known, CancellationToken cancellationToken, bool unhurried = false)
    {
        ArgumentNullException.ThrowIfNull(events);
        var current = known;
        for (var attempt = 0; attempt < MaxApplyAttempts; attempt++)
        {
            current ??= await ReadRowAsync(clientOrderId, cancellationToken);
            if (current is not { } row)
            {
                return null;
            }

            var transitions = new List<OrderTransition>(events.Count);
            var state = row.State;
            foreach (var e in events)
            {
                var transition = OrderStateMachine.Apply(state, e);
                transitions.Add(transition);
                state = transition.State;
            }

            if (!transitions.Any(t => t.Changed) || await TryStoreChangeAsync(row.State, state, row.ETag, cancellationToken, unhurried))
            {
                return transitions;
            }

            current = null;
        }

        throw new StorageUnavailableException($"Order {clientOrderId} kept changing under {MaxApplyAttempts} attempts to update it.");
    }

    /// <summary>The order and its ETag, or null if unknown; waits first for a write of it this process left behind.</summary>
    public async Task<(OrderState State, RowVersion ETag)?> GetAsync(string clientOrderId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clientOrderId);
        if (_writesBehind.TryGetValue(clientOrderId, out var behind))
        {
            // Its outcome is the writer's business; this read only must not overtake it.
            await Task.WhenAny(behind).WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        return await ReadRowAsync(clientOrderId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The stored row as it is now, without waiting for writes left behind: what the read-apply-replace loops
    /// use (a write behind retries through them itself, and must not wait for itself; ETags settle any race).
    /// </summary>
    private async Task<(OrderState State, RowVersion ETag)?> ReadRowAsync(string clientOrderId, CancellationToken cancellationToken)
    {
        if (await TableStore.GetIfExistsAsync(TableOf(clientOrderId), OrderKeys.Partition(clientOrderId), clientOrderId, cancellationToken).ConfigureAwait(false) is not { } entity)
        {
            return null;
        }

        return (FromEntity(entity), RowVersion.Of(entity.ETag));
    }

    /// <summary>
    /// Stores the change from <paramref name="stored"/> (the row as it is while it has <paramref name="etag"/>) to
    /// <paramref name="next"/>; false if someone changed the row meanwhile. Only the columns that differ are sent:
    /// the ETag guarantees the others still hold <paramref name="stored"/>'s values, so the merged row is exactly
    /// <paramref name="next"/>, and storage parses only a few of the columns for a typical change.
    /// </summary>
    /// <remarks><paramref name="unhurried"/>: nobody waits for this write (it is behind a reply), so it may share a later request.</remarks>
    public async Task<bool> TryStoreChangeAsync(OrderState stored, OrderState next, RowVersion etag, CancellationToken cancellationToken, bool unhurried = false)
    {
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentNullException.ThrowIfNull(next);
        if (stored.VenueOrderId is null && next.VenueOrderId is { } venueOrderId)
        {
            // The index row first: a row that carries a venue order id then always has one, and if this change
            // is lost, whoever stores the venue order id again writes the (idempotent) index row again.
            await VenueOrders.AddAsync(next.Symbol, venueOrderId, next.ClientOrderId, cancellationToken, unhurried).ConfigureAwait(false);
        }

        return await _writer.MergeAsync(ChangedColumns(stored, next), etag, unhurried).WaitAsync(cancellationToken).ConfigureAwait(false) is not null;
    }

    /// <summary>The keys of <paramref name="next"/>'s row and those of its columns whose values differ from <paramref name="stored"/>'s.</summary>
    public static TableEntity ChangedColumns(OrderState stored, OrderState next)
    {
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentNullException.ThrowIfNull(next);
        var before = ToEntity(stored);
        var change = ToEntity(next);
        foreach (var (column, value) in before)
        {
            if (column is not ("PartitionKey" or "RowKey") && Equals(change[column], value))
            {
                change.Remove(column);
            }
        }

        return change;
    }

    /// <summary>
    /// Applies <paramref name="orderEvent"/> to the stored order through the state machine and stores the
    /// result if anything changed. Returns the transition (so the caller emits exactly the events it
    /// produced), or null when the order is unknown.
    /// </summary>
    public async Task<OrderTransition?> ApplyAsync(string clientOrderId, OrderEvent orderEvent, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxApplyAttempts; attempt++)
        {
            if (await ReadRowAsync(clientOrderId, cancellationToken) is not { } current)
            {
                return null;
            }

            var transition = OrderStateMachine.Apply(current.State, orderEvent);
            if (!transition.Changed || await TryStoreChangeAsync(current.State, transition.State, current.ETag, cancellationToken))
            {
                return transition;
            }
        }

        throw new StorageUnavailableException($"Order {clientOrderId} kept changing under {MaxApplyAttempts} attempts to update it.");
    }

    /// <summary>Every stored order (a scan of every shard).</summary>
    public IAsyncEnumerable<OrderState> ListAsync(CancellationToken cancellationToken) =>
        QueryAsync(null, cancellationToken);

    /// <summary>Orders not yet final (PENDING, ACCEPTED, PARTIALLY_FILLED): what reconciliation looks at.</summary>
    public IAsyncEnumerable<OrderState> ListOpenAsync(CancellationToken cancellationToken) =>
        QueryAsync(
            $"(Status eq '{OrderStatus.Pending.ToWire()}' or Status eq '{OrderStatus.Accepted.ToWire()}' or Status eq '{OrderStatus.PartiallyFilled.ToWire()}')",
            cancellationToken);

    /// <summary>The orders whose rows were written at or after <paramref name="since"/> (storage time), as they are now.</summary>
    public IAsyncEnumerable<OrderState> ListChangedSinceAsync(DateTimeOffset since, CancellationToken cancellationToken) =>
        QueryAsync(TableClient.CreateQueryFilter($"Timestamp ge {since.UtcDateTime}"), cancellationToken);

    private async IAsyncEnumerable<OrderState> QueryAsync(string? filter, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var entity in ScanAsync(filter, cancellationToken))
        {
            yield return FromEntity(entity);
        }
    }

    /// <summary>The rows of every shard matching <paramref name="filter"/>, shard 0 first.</summary>
    private async IAsyncEnumerable<TableEntity> ScanAsync(string? filter, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var table in OrderKeys.Tables)
        {
            await foreach (var entity in TableStore.QueryAsync(store.Table(table), filter, cancellationToken))
            {
                yield return entity;
            }
        }
    }

    /// <summary>
    /// The order's row: its keys (<see cref="OrderKeys"/>) and every field, decimals as invariant strings. Every
    /// column that can change is always present (a missing venue order id or reason is an empty string), so a
    /// change stored as a merge (<see cref="OrderRowWriter.MergeAsync"/>) leaves exactly this row; the send-by
    /// deadline, set once at creation, is absent on rows written before orders had one.
    /// </summary>
    public static TableEntity ToEntity(OrderState s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var entity = new TableEntity(OrderKeys.Partition(s.ClientOrderId), s.ClientOrderId)
        {
            ["Symbol"] = s.Symbol,
            ["Side"] = s.Side.ToWire(),
            ["OrderQty"] = DecimalText.Format(s.OrderQty),
            ["LimitPrice"] = DecimalText.Format(s.LimitPrice),
            ["VenueOrderId"] = s.VenueOrderId ?? string.Empty,
            ["Status"] = s.Status.ToWire(),
            ["Reason"] = s.Reason ?? string.Empty,
            ["Fills"] = JsonSerializer.Serialize(s.Fills.Select(StoredFill.From).ToArray(), StorageJsonContext.Default.StoredFillArray),
            ["VenueExecutedQty"] = DecimalText.Format(s.VenueExecutedQty),
            ["VenueCumQuote"] = DecimalText.Format(s.VenueCumQuote),
            ["CreatedTsNs"] = s.CreatedTsNs,
            ["LastTsNs"] = s.LastTsNs,
            ["CancelRequested"] = s.CancelRequested,
        };
        if (s.SendByTsNs is { } sendBy)
        {
            // Set once when the order is created and never changed; rows of older versions have no deadline.
            entity[SendByColumn] = sendBy;
        }

        // What the order is, set once at creation. A LIMIT GTC order (the seed's only kind, and every row written
        // before VeloZ had several) has none of these columns, so its row is as small as it always was.
        if (s.Type != OrderType.Limit)
        {
            entity["Type"] = s.Type.ToWire();
        }

        if (s.TimeInForce != TimeInForce.Gtc)
        {
            entity["TimeInForce"] = s.TimeInForce?.ToWire() ?? string.Empty;
        }

        if (s.QuoteOrderQty is { } quoteQty)
        {
            entity["QuoteOrderQty"] = DecimalText.Format(quoteQty);
        }

        if (s.SelfTradePrevention is { } selfTradePrevention)
        {
            entity["SelfTradePrevention"] = selfTradePrevention.ToWire();
        }

        return entity;
    }

    internal static OrderState FromEntity(TableEntity e)
    {
        if (!OrderWire.TryParseSide(e.GetString("Side") ?? string.Empty, out var side)
            || !OrderWire.TryParseStatus(e.GetString("Status") ?? string.Empty, out var status))
        {
            throw new InvalidDataException($"Order row {e.RowKey} has an unreadable side or status.");
        }

        var fills = JsonSerializer.Deserialize(e.GetString("Fills") ?? "[]", StorageJsonContext.Default.StoredFillArray) ?? [];
        return new OrderState(
            e.RowKey,
            e.GetString("Symbol") ?? string.Empty,
            side,
            DecimalText.Parse(e.GetString("OrderQty") ?? "0"),
            DecimalText.Parse(e.GetString("LimitPrice") ?? "0"),
            NullIfEmpty(e.GetString("VenueOrderId")),
            status,
            NullIfEmpty(e.GetString("Reason")),
            [.. fills.Select(f => f.ToFill())],
            DecimalText.Parse(e.GetString("VenueExecutedQty") ?? "0"),
            DecimalText.Parse(e.GetString("VenueCumQuote") ?? "0"),
            e.GetInt64("CreatedTsNs") ?? 0,
            e.GetInt64("LastTsNs") ?? 0,
            e.GetBoolean("CancelRequested") ?? false)
        {
            SendByTsNs = e.GetInt64(SendByColumn),
            Type = OptionalWord(e, "Type", OrderType.Limit, OrderWire.TryParseType),
            TimeInForce = e.GetString("TimeInForce") is { } tif
                ? tif.Length == 0 ? null : OptionalWord(e, "TimeInForce", TimeInForce.Gtc, OrderWire.TryParseTimeInForce)
                : TimeInForce.Gtc,
            QuoteOrderQty = e.GetString("QuoteOrderQty") is { } quoteQty ? DecimalText.Parse(quoteQty) : null,
            SelfTradePrevention = e.GetString("SelfTradePrevention") is null ? null : OptionalWord(e, "SelfTradePrevention", SelfTradePrevention.None, OrderWire.TryParseSelfTradePrevention),
        };
    }

    /// <summary>A word column written only when it differs from <paramref name="absent"/>; an unreadable one is a corrupt row.</summary>
    private static T OptionalWord<T>(TableEntity e, string column, T absent, OrderWire.WordParser<T> parse) =>
        e.GetString(column) is not { } text ? absent
        : parse(text, out var value) ? value
        : throw new InvalidDataException($"Order row {e.RowKey} has an unreadable {column}.");

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}

/// <summary>A fill as stored in the order row: decimals as invariant strings.</summary>
internal sealed record StoredFill(
    [property: JsonPropertyName("t")] long TradeId,
    [property: JsonPropertyName("q")] string Qty,
    [property: JsonPropertyName("p")] string Price,
    [property: JsonPropertyName("ts")] long TsNs,
    [property: JsonPropertyName("c")] string Commission,
    [property: JsonPropertyName("ca")] string? CommissionAsset)
{
    public static StoredFill From(OrderFill f) => new(f.TradeId, DecimalText.Format(f.Qty), DecimalText.Format(f.Price), f.TsNs, DecimalText.Format(f.Commission), f.CommissionAsset);

    public OrderFill ToFill() => new(TradeId, DecimalText.Parse(Qty), DecimalText.Parse(Price), TsNs, DecimalText.Parse(Commission), CommissionAsset);
}

[JsonSerializable(typeof(StoredFill[]))]
internal sealed partial class StorageJsonContext : JsonSerializerContext;
