using VeloZ.Domain.Configuration;
using VeloZ.Domain.Orders;
using VeloZ.Testing;

namespace VeloZ.Storage.Tests;

/// <summary>
/// Order history in pages over 10,000 stored orders (inserted through the order path's group commit): newest first,
/// no duplicate and no gap across all pages, filters by symbol, status and creation time evaluated by storage, fills
/// paged across orders (also in the middle of an order), and a cursor that stays exact when orders arrive or change
/// between pages. What the pages should hold is computed from the generated orders, independently of the query.
/// </summary>
public sealed class OrderHistoryTests(AzuriteFixture azurite)
{
    private const int OrderCount = 10_000;
    private const long T0 = 1_780_000_000_000_000_000;

    private static readonly SemaphoreSlim s_seedLock = new(1, 1);
    private static (TableStore Store, OrderState[] Orders)? s_seeded;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>
    /// Order i: created at T0 + (i / 3) µs (three orders share each creation time, so ties are ordered by id), every
    /// third ETHUSDT, the others BTCUSDT; by i % 4 PENDING, ACCEPTED, FILLED in one fill, or PARTIALLY_FILLED in two.
    /// </summary>
    private static OrderState Generate(int i, long createdTsNs, string prefix = "h")
    {
        var id = $"{prefix}-{i:D5}";
        var symbol = i % 3 == 0 ? "ETHUSDT" : "BTCUSDT";
        var order = OrderStateMachine.New(id, symbol, i % 2 == 0 ? OrderSide.Buy : OrderSide.Sell, 0.004m, 40_000m + i, createdTsNs);
        var venueId = (100_000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var t = createdTsNs + 10;
        OrderFill Fill(long trade, decimal qty) => new(trade, qty, 40_000m + i, t + trade, qty * 0.001m, symbol[..3]);
        switch (i % 4)
        {
            case 1:
                order = OrderStateMachine.Apply(order, new OrderAcknowledged(t, venueId)).State;
                break;
            case 2:
                order = OrderStateMachine.Apply(order, new OrderAcknowledged(t, venueId)).State;
                order = OrderStateMachine.Apply(order, new OrderFilled(t + 1, venueId, Fill(2L * i, 0.004m))).State;
                break;
            case 3:
                order = OrderStateMachine.Apply(order, new OrderAcknowledged(t, venueId)).State;
                order = OrderStateMachine.Apply(order, new OrderFilled(t + 1, venueId, Fill(2L * i, 0.001m))).State;
                order = OrderStateMachine.Apply(order, new OrderFilled(t + 2, venueId, Fill((2L * i) + 1, 0.002m))).State;
                break;
        }

        return order;
    }

    private static long CreatedAt(int i) => T0 + ((i / 3) * 1_000L);

    /// <summary>The 10,000 orders, stored once for this class (the tests only read them, or add orders under another prefix of ids).</summary>
    private async Task<(TableStore Store, OrderState[] Orders)> Seeded()
    {
        await s_seedLock.WaitAsync(Ct);
        try
        {
            if (s_seeded is { } done)
            {
                return done;
            }

            var store = await NewStore();
            var orders = Enumerable.Range(0, OrderCount).Select(i => Generate(i, CreatedAt(i))).ToArray();
            var repository = new OrderRepository(store);
            var inserted = await Task.WhenAll(orders.Select(o => repository.TryInsertAsync(o, Ct)));
            Assert.All(inserted, Assert.True);
            s_seeded = (store, orders);
            return s_seeded.Value;
        }
        finally
        {
            s_seedLock.Release();
        }
    }

    private async Task<TableStore> NewStore()
    {
        var store = new TableStore(new StorageOptions { StorageConnectionString = new Secret(azurite.ConnectionString), StoragePrefix = AzuriteFixture.NewStoragePrefix() });
        await store.EnsureCreatedAsync(Ct);
        return store;
    }

    private static IEnumerable<OrderState> NewestFirst(IEnumerable<OrderState> orders) =>
        orders.OrderByDescending(o => o.CreatedTsNs).ThenByDescending(o => o.ClientOrderId, StringComparer.Ordinal);

    private static async Task<List<List<OrderState>>> WalkOrders(OrderHistory history, OrderHistoryFilter filter, int limit, Func<int, OrderState, Task>? betweenPages = null)
    {
        var pages = new List<List<OrderState>>();
        OrderPosition? after = null;
        do
        {
            var (items, next) = await history.OrdersAsync(filter, after, limit, Ct);
            pages.Add([.. items]);
            after = next;
            if (betweenPages is not null && after is not null)
            {
                await betweenPages(pages.Count, items[^1]);
            }
        }
        while (after is not null);

        return pages;
    }

    [Fact]
    public async Task Ten_thousand_orders_page_newest_first_with_no_duplicate_and_no_gap()
    {
        var (store, orders) = await Seeded();
        var history = new OrderHistory(store, new OrderRepository(store));

        var pages = await WalkOrders(history, new OrderHistoryFilter(), limit: 1000);

        Assert.Equal(10, pages.Count);
        Assert.All(pages, p => Assert.Equal(1000, p.Count));
        Assert.Equal(NewestFirst(orders).Select(o => o.ClientOrderId), pages.SelectMany(p => p).Select(o => o.ClientOrderId));
        Assert.Equal(orders.OrderBy(o => o.ClientOrderId, StringComparer.Ordinal), pages.SelectMany(p => p).OrderBy(o => o.ClientOrderId, StringComparer.Ordinal));
    }

    [Fact]
    public async Task Symbol_status_and_since_filter_the_pages()
    {
        var (store, orders) = await Seeded();
        var history = new OrderHistory(store, new OrderRepository(store));
        var since = CreatedAt(4_000);
        var filter = new OrderHistoryFilter { Symbol = "ETHUSDT", Statuses = [OrderStatus.Filled, OrderStatus.Pending], SinceTsNs = since };

        var pages = await WalkOrders(history, filter, limit: 300);

        var expected = NewestFirst(orders.Where(o => o.Symbol == "ETHUSDT" && o.Status is OrderStatus.Filled or OrderStatus.Pending && o.CreatedTsNs >= since)).ToList();
        Assert.InRange(expected.Count, 901, 1200);
        Assert.Equal(expected.Select(o => o.ClientOrderId), pages.SelectMany(p => p).Select(o => o.ClientOrderId));
        Assert.All(pages.SkipLast(1), p => Assert.Equal(300, p.Count));
        Assert.All(pages.SelectMany(p => p), o => Assert.Contains(o.Status, new[] { OrderStatus.Filled, OrderStatus.Pending }));
    }

    [Fact]
    public async Task A_cursor_stays_exact_when_orders_arrive_and_change_between_pages()
    {
        var store = await NewStore();
        var repository = new OrderRepository(store);
        var history = new OrderHistory(store, repository);
        var orders = Enumerable.Range(0, 1_200).Select(i => Generate(i, CreatedAt(i))).ToArray();
        await Task.WhenAll(orders.Select(o => repository.TryInsertAsync(o, Ct)));
        var arrived = 0;

        var pages = await WalkOrders(history, new OrderHistoryFilter(), limit: 250, async (page, last) =>
        {
            // Newer orders arrive, one of them in the same nanosecond as the last order given (ordered before it by its id).
            var newer = Enumerable.Range(0, 20).Select(i => Generate(i, CreatedAt(1_199) + 1 + i, prefix: $"new{page}")).Append(Generate(0, last.CreatedTsNs, prefix: $"z{page}"));
            await Task.WhenAll(newer.Select(o => repository.TryInsertAsync(o, Ct)));
            arrived += 21;
            // An order not yet given changes: it stays where it was created.
            var pending = orders.Where(o => o.Status == OrderStatus.Pending).ElementAt(page * 10);
            await repository.ApplyAsync(pending.ClientOrderId, new OrderAcknowledged(pending.CreatedTsNs + 5, "777" + page), Ct);
        });

        Assert.True(arrived > 0);
        Assert.Equal(NewestFirst(orders).Select(o => o.ClientOrderId), pages.SelectMany(p => p).Select(o => o.ClientOrderId));
        Assert.Equal(4, pages.Select(p => p.Count(o => o.Status == OrderStatus.Accepted && o.VenueOrderId!.StartsWith("777", StringComparison.Ordinal))).Sum());
    }

    [Fact]
    public async Task Fills_page_across_orders_and_within_an_order_newest_first()
    {
        var (store, orders) = await Seeded();
        var history = new OrderHistory(store, new OrderRepository(store));
        var filter = new OrderHistoryFilter { Symbol = "BTCUSDT", SinceTsNs = CreatedAt(6_000) };
        var given = new List<(OrderState Order, OrderFill Fill)>();
        FillPosition? after = null;
        var pages = 0;
        do
        {
            // 333 fills a page: orders with two fills are split across pages.
            var (items, next) = await history.FillsAsync(filter, after, 333, Ct);
            Assert.True(next is null || items.Count == 333);
            given.AddRange(items);
            after = next;
            pages++;
        }
        while (after is not null);

        var expected = NewestFirst(orders.Where(o => o.Symbol == "BTCUSDT" && o.CreatedTsNs >= CreatedAt(6_000)))
            .SelectMany(o => o.Fills.Reverse().Select(f => (o.ClientOrderId, f)))
            .ToList();
        Assert.True(expected.Count > 1_000);
        Assert.Equal((expected.Count + 332) / 333, pages);
        Assert.Equal(expected, given.Select(g => (g.Order.ClientOrderId, g.Fill)));
        Assert.All(given, g => Assert.Equal(g.Fill.Qty * 0.001m, g.Fill.Commission));
        Assert.All(given, g => Assert.Equal("BTC", g.Fill.CommissionAsset));
    }

    [Fact]
    public async Task Orders_without_fills_give_no_fills_and_an_empty_history_has_one_empty_page()
    {
        var store = await NewStore();
        var repository = new OrderRepository(store);
        var history = new OrderHistory(store, repository);
        var (none, end) = await history.OrdersAsync(new OrderHistoryFilter(), null, 10, Ct);
        Assert.Empty(none);
        Assert.Null(end);

        await repository.TryInsertAsync(Generate(0, T0), Ct);
        await repository.TryInsertAsync(Generate(1, T0 + 1), Ct);
        var (fills, next) = await history.FillsAsync(new OrderHistoryFilter(), null, 10, Ct);

        Assert.Empty(fills);
        Assert.Null(next);
        Assert.Equal(["h-00001", "h-00000"], (await history.OrdersAsync(new OrderHistoryFilter(), null, 10, Ct)).Items.Select(o => o.ClientOrderId));
    }

    public static TheoryData<OrderHistoryFilter, string?, string?> QueryFilters => new()
    {
        { new OrderHistoryFilter(), null, null },
        { new OrderHistoryFilter { Symbol = "BTCUSDT" }, null, "(Symbol eq 'BTCUSDT')" },
        { new OrderHistoryFilter { Statuses = [OrderStatus.Filled, OrderStatus.PartiallyFilled, OrderStatus.Filled] }, null, "(Status eq 'FILLED' or Status eq 'PARTIALLY_FILLED')" },
        { new OrderHistoryFilter { SinceTsNs = 1_780_000_000_000_000_000 }, null, "(CreatedTsNs ge 1780000000000000000L)" },
        { new OrderHistoryFilter { WithFillsOnly = true }, null, "(Fills ne '[]')" },
        {
            new OrderHistoryFilter { Symbol = "ETHUSDT", SinceTsNs = 5 }, "7|my-id",
            "(Symbol eq 'ETHUSDT') and (CreatedTsNs ge 5L) and (CreatedTsNs lt 7L or (CreatedTsNs eq 7L and RowKey lt 'my-id'))"
        },
    };

    [Theory]
    [MemberData(nameof(QueryFilters))]
    public void The_filter_sent_to_storage_holds_every_condition(OrderHistoryFilter filter, string? after, string? expected)
    {
        OrderPosition? position = after is null ? null : new OrderPosition(long.Parse(after.Split('|')[0], System.Globalization.CultureInfo.InvariantCulture), after.Split('|')[1]);

        Assert.Equal(expected, filter.ToQueryFilter(position));
    }

    [Theory]
    [InlineData(10, "a", 9, "z", -1)]
    [InlineData(9, "z", 10, "a", 1)]
    [InlineData(10, "b", 10, "a", -1)]
    [InlineData(10, "a", 10, "b", 1)]
    [InlineData(10, "a", 10, "a", 0)]
    [InlineData(10, "B", 10, "a", 1)]
    public void Positions_order_newest_first_then_by_id_descending(long aTs, string aId, long bTs, string bId, int expected)
    {
        Assert.Equal(expected, Math.Sign(OrderPosition.Compare(new(aTs, aId), new(bTs, bId))));
        Assert.Equal(expected > 0, new OrderPosition(aTs, aId).IsAfter(new(bTs, bId)));
    }
}
