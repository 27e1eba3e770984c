using Azure.Data.Tables;
using VeloZ.Domain.Orders;

namespace VeloZ.Storage;

/// <summary>
/// Where an order stands in history order: newest created first (<see cref="OrderState.CreatedTsNs"/>, which never
/// changes), orders created in the same nanosecond by client order id, descending (ordinal). A page continues
/// strictly after the position of its predecessor's last order, so orders created later never shift it.
/// </summary>
public readonly record struct OrderPosition(long CreatedTsNs, string ClientOrderId)
{
    /// <summary>Negative when <paramref name="a"/> comes before <paramref name="b"/> in history order (is newer).</summary>
    public static int Compare(OrderPosition a, OrderPosition b)
    {
        var byTime = b.CreatedTsNs.CompareTo(a.CreatedTsNs);
        return byTime != 0 ? byTime : string.CompareOrdinal(b.ClientOrderId, a.ClientOrderId);
    }

    public static OrderPosition Of(OrderState order)
    {
        ArgumentNullException.ThrowIfNull(order);
        return new(order.CreatedTsNs, order.ClientOrderId);
    }

    /// <summary>True when this position comes strictly after <paramref name="other"/> (is older).</summary>
    public bool IsAfter(OrderPosition other) => Compare(this, other) > 0;
}

/// <summary>
/// Where a page of fills stopped: the order of the last fill given and that fill (<see cref="OrderHistory.NewestFills"/>
/// order: newest fill first, then trade id descending). The next page gives that order's remaining fills first.
/// </summary>
public readonly record struct FillPosition(OrderPosition Order, long FillTsNs, long TradeId)
{
    /// <summary>True when <paramref name="fill"/> comes strictly after this position's fill within its order.</summary>
    public bool IsBefore(OrderFill fill)
    {
        ArgumentNullException.ThrowIfNull(fill);
        return fill.TsNs < FillTsNs || (fill.TsNs == FillTsNs && fill.TradeId < TradeId);
    }
}

/// <summary>
/// Which orders a history query looks at; every condition is sent to storage as part of the query's <c>$filter</c>.
/// </summary>
public sealed record OrderHistoryFilter
{
    /// <summary>Only orders of this symbol (upper case, as stored); null = every symbol.</summary>
    public string? Symbol { get; init; }

    /// <summary>Only orders in one of these statuses; empty = every status.</summary>
    public IReadOnlyCollection<OrderStatus> Statuses { get; init; } = [];

    /// <summary>Only orders created at or after this time (ns since the Unix epoch); null = no bound.</summary>
    public long? SinceTsNs { get; init; }

    /// <summary>Only orders with at least one fill.</summary>
    public bool WithFillsOnly { get; init; }

    /// <summary>True when <paramref name="order"/> as it is now passes the conditions (its status may have changed since a scan).</summary>
    public bool Matches(OrderState order)
    {
        ArgumentNullException.ThrowIfNull(order);
        return (Symbol is null || order.Symbol == Symbol)
            && (Statuses.Count == 0 || Statuses.Contains(order.Status))
            && (SinceTsNs is not { } since || order.CreatedTsNs >= since)
            && (!WithFillsOnly || order.Fills.Count > 0);
    }

    /// <summary>The OData <c>$filter</c> of these conditions and of "strictly after <paramref name="after"/>"; null when there is none.</summary>
    public string? ToQueryFilter(OrderPosition? after)
    {
        var parts = new List<string>(5);
        if (Symbol is { } symbol)
        {
            parts.Add(TableClient.CreateQueryFilter($"Symbol eq {symbol}"));
        }

        if (Statuses.Count > 0)
        {
            parts.Add(string.Join(" or ", Statuses.Distinct().Select(s => TableClient.CreateQueryFilter($"Status eq {s.ToWire()}"))));
        }

        if (SinceTsNs is { } since)
        {
            parts.Add(TableClient.CreateQueryFilter($"CreatedTsNs ge {since}"));
        }

        if (after is { } position)
        {
            parts.Add(TableClient.CreateQueryFilter(
                $"CreatedTsNs lt {position.CreatedTsNs} or (CreatedTsNs eq {position.CreatedTsNs} and RowKey lt {position.ClientOrderId})"));
        }

        if (WithFillsOnly)
        {
            // A row without fills stores the empty JSON array (OrderRepository.ToEntity).
            parts.Add("Fills ne '[]'");
        }

        return parts.Count == 0 ? null : string.Join(" and ", parts.Select(p => "(" + p + ")"));
    }
}

/// <summary>
/// Order history newest first, in pages, without holding every order: each shard is queried with the filter
/// evaluated by storage and only the key and creation-time columns selected (<see cref="OrderHistoryFilter.ToQueryFilter"/>),
/// the rows are streamed page by page through a heap that keeps only the best <c>count</c> positions per shard, and
/// only the rows of the page are then read in full (point reads). Memory per query is O(count); storage reads are
/// proportional to the rows that match the filter (the table has no index on the creation time; <c>since</c> and the
/// position narrow what matches), plus one point read per order on the page. See docs/design-decisions.md.
/// </summary>
public sealed class OrderHistory(TableStore store, OrderRepository orders)
{
    /// <summary>How many point reads of one page run at once.</summary>
    private const int ReadParallelism = 16;

    private static readonly string[] s_rankColumns = ["RowKey", "CreatedTsNs"];

    /// <summary>
    /// One page of orders newest first: at most <paramref name="limit"/> orders strictly after <paramref name="after"/>
    /// that match <paramref name="filter"/>, and where the next page continues (null on the last page).
    /// </summary>
    /// <remarks>
    /// An order whose status changed between the scan and the read so that it no longer matches is left out, so a page
    /// may hold fewer orders than <paramref name="limit"/>; the next position is still the last one scanned.
    /// </remarks>
    public async Task<(IReadOnlyList<OrderState> Items, OrderPosition? Next)> OrdersAsync(OrderHistoryFilter filter, OrderPosition? after, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var ranked = await RankAsync(filter, after, limit + 1, cancellationToken).ConfigureAwait(false);
        var page = ranked.Count > limit ? ranked.Take(limit).ToArray() : ranked;
        var read = await ReadAsync(page, cancellationToken).ConfigureAwait(false);
        return ([.. read.Where(filter.Matches)], ranked.Count > limit ? page[^1] : null);
    }

    /// <summary>
    /// One page of fills: the fills of the orders matching <paramref name="filter"/> (with at least one fill), orders
    /// newest first and each order's fills newest first (<see cref="NewestFills"/>), at most <paramref name="limit"/>
    /// of them, continuing strictly after <paramref name="after"/>; and where the next page continues (null on the last).
    /// </summary>
    public async Task<(IReadOnlyList<(OrderState Order, OrderFill Fill)> Items, FillPosition? Next)> FillsAsync(OrderHistoryFilter filter, FillPosition? after, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var withFills = filter with { WithFillsOnly = true };
        var items = new List<(OrderState Order, OrderFill Fill)>(limit);
        if (after is { } resume && await orders.GetAsync(resume.Order.ClientOrderId, cancellationToken).ConfigureAwait(false) is { } stopped
            && withFills.Matches(stopped.State))
        {
            // The order the previous page stopped in: its fills after the last one given (fills only ever grow).
            foreach (var fill in NewestFills(stopped.State).Where(resume.IsBefore))
            {
                if (items.Count == limit)
                {
                    return (items, PositionOf(items[^1]));
                }

                items.Add((stopped.State, fill));
            }
        }

        var position = after?.Order;
        while (true)
        {
            // Every order ranked has a fill, so need + 1 orders are enough to fill the page and know whether more follow.
            var need = limit - items.Count;
            var ranked = await RankAsync(withFills, position, need + 1, cancellationToken).ConfigureAwait(false);
            foreach (var order in await ReadAsync(ranked, cancellationToken).ConfigureAwait(false))
            {
                foreach (var fill in NewestFills(order))
                {
                    if (items.Count == limit)
                    {
                        return (items, PositionOf(items[^1]));
                    }

                    items.Add((order, fill));
                }
            }

            if (ranked.Count <= need)
            {
                return (items, null);
            }

            // Only when rows vanished between the scan and the read: the page is not full yet, so scan on.
            position = ranked[^1];
        }
    }

    /// <summary>An order's fills in history order: newest first (the venue's fill time), then trade id descending.</summary>
    public static IEnumerable<OrderFill> NewestFills(OrderState order)
    {
        ArgumentNullException.ThrowIfNull(order);
        return order.Fills.OrderByDescending(f => f.TsNs).ThenByDescending(f => f.TradeId);
    }

    private static FillPosition PositionOf((OrderState Order, OrderFill Fill) item) =>
        new(OrderPosition.Of(item.Order), item.Fill.TsNs, item.Fill.TradeId);

    /// <summary>
    /// The first <paramref name="count"/> positions in history order strictly after <paramref name="after"/> among the
    /// rows matching <paramref name="filter"/>: the shards are scanned at once, each through its own bounded heap.
    /// </summary>
    internal async Task<IReadOnlyList<OrderPosition>> RankAsync(OrderHistoryFilter filter, OrderPosition? after, int count, CancellationToken cancellationToken)
    {
        var query = filter.ToQueryFilter(after);
        var shards = await Task.WhenAll(OrderKeys.Tables.Select(t => RankShardAsync(store.Table(t), query, after, count, cancellationToken))).ConfigureAwait(false);
        var merged = shards.SelectMany(s => s).ToList();
        merged.Sort(OrderPosition.Compare);
        return merged.Count > count ? merged[..count] : merged;
    }

    private static async Task<List<OrderPosition>> RankShardAsync(TableClient table, string? query, OrderPosition? after, int count, CancellationToken cancellationToken)
    {
        // The root is the kept position that comes last in history order: the first to give way to a newer one.
        var best = new PriorityQueue<OrderPosition, OrderPosition>(count + 1, Comparer<OrderPosition>.Create((a, b) => OrderPosition.Compare(b, a)));
        await foreach (var row in TableStore.QueryAsync(table, query, s_rankColumns, cancellationToken).ConfigureAwait(false))
        {
            var position = new OrderPosition(row.GetInt64("CreatedTsNs") ?? 0, row.RowKey);
            if (after is { } bound && !position.IsAfter(bound))
            {
                // Storage already filters these; the check keeps a page exact whatever its string comparison.
                continue;
            }

            if (best.Count < count)
            {
                best.Enqueue(position, position);
            }
            else
            {
                best.EnqueueDequeue(position, position);
            }
        }

        return [.. best.UnorderedItems.Select(i => i.Element)];
    }

    /// <summary>The rows of <paramref name="positions"/> as they are now, in the same order; an order that vanished is left out.</summary>
    private async Task<IReadOnlyList<OrderState>> ReadAsync(IReadOnlyList<OrderPosition> positions, CancellationToken cancellationToken)
    {
        var read = new OrderState?[positions.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, positions.Count),
            new ParallelOptions { MaxDegreeOfParallelism = ReadParallelism, CancellationToken = cancellationToken },
            async (i, ct) => read[i] = (await orders.GetAsync(positions[i].ClientOrderId, ct).ConfigureAwait(false))?.State).ConfigureAwait(false);
        return [.. read.OfType<OrderState>()];
    }
}
