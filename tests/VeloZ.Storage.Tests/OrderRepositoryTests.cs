using VeloZ.Domain.Configuration;
using VeloZ.Domain.Orders;
using VeloZ.Testing;

namespace VeloZ.Storage.Tests;

public sealed class OrderRepositoryTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<OrderRepository> NewRepository()
    {
        var store = new TableStore(new StorageOptions { StorageConnectionString = new Secret(azurite.ConnectionString), StoragePrefix = AzuriteFixture.NewStoragePrefix() });
        await store.EnsureCreatedAsync(Ct);
        return new OrderRepository(store);
    }

    private static OrderState NewOrder(string id = "my-order-001") => OrderStateMachine.New(id, "BTCUSDT", OrderSide.Buy, 0.003m, 40000.10m, 1704067200000000000);

    [Fact]
    public async Task An_order_round_trips_with_exact_decimals_and_fills()
    {
        var repository = await NewRepository();
        var order = OrderStateMachine.Apply(NewOrder(), new OrderAcknowledged(2, "123456789")).State;
        order = OrderStateMachine.Apply(order, new OrderFilled(3, "123456789", new OrderFill(77, 0.001m, 40000.10m, 3, 0.000001m, "BTC"))).State;

        Assert.True(await repository.TryInsertAsync(order, Ct));
        var read = await repository.GetAsync("my-order-001", Ct);

        Assert.Equal(order, read!.Value.State);
        Assert.Equal(OrderStatus.PartiallyFilled, read.Value.State.Status);
        Assert.Equal(0.001m, read.Value.State.ExecutedQty);
        Assert.Equal(40000.10m, read.Value.State.AvgPrice);
    }

    [Fact]
    public async Task The_send_by_deadline_is_kept_through_changes_and_rows_without_one_have_none()
    {
        var repository = await NewRepository();
        var withDeadline = NewOrder("with-deadline") with { SendByTsNs = 1704067210000000000 };
        Assert.True(await repository.TryInsertAsync(withDeadline, Ct));
        Assert.True(await repository.TryInsertAsync(NewOrder("older-row"), Ct));

        await repository.ApplyAsync("with-deadline", new OrderAcknowledged(2, "42"), Ct);
        await repository.ApplyAsync("older-row", new OrderAcknowledged(2, "43"), Ct);

        Assert.Equal(1704067210000000000, (await repository.GetAsync("with-deadline", Ct))!.Value.State.SendByTsNs);
        Assert.Null((await repository.GetAsync("older-row", Ct))!.Value.State.SendByTsNs);
    }

    [Fact]
    public async Task An_order_that_learns_its_venue_order_id_is_found_by_it_with_a_point_read()
    {
        var repository = await NewRepository();
        await repository.TryInsertAsync(NewOrder("learns-id"), Ct);
        Assert.Null(await repository.VenueOrders.FindAsync("BTCUSDT", "777", Ct));

        await repository.ApplyAsync("learns-id", new OrderFilled(3, "777", new OrderFill(1, 0.001m, 40000m, 3)), Ct);

        Assert.Equal("learns-id", await repository.VenueOrders.FindAsync("BTCUSDT", "777", Ct));
        // Binance numbers orders per symbol: the same number on another symbol is another order.
        Assert.Null(await repository.VenueOrders.FindAsync("ETHUSDT", "777", Ct));
    }

    [Fact]
    public async Task A_back_fill_indexes_many_venue_order_ids_per_symbol()
    {
        var repository = await NewRepository();
        var entries = Enumerable.Range(0, 150).Select(i => (i % 2 == 0 ? "BTCUSDT" : "ETHUSDT", $"{1000 + i}", $"order-{i}")).ToList();

        await repository.VenueOrders.AddManyAsync(entries, Ct);

        foreach (var (symbol, venueOrderId, clientOrderId) in entries)
        {
            Assert.Equal(clientOrderId, await repository.VenueOrders.FindAsync(symbol, venueOrderId, Ct));
        }
    }

    [Fact]
    public async Task Trade_cursors_are_stored_per_symbol()
    {
        var store = new TableStore(new StorageOptions { StorageConnectionString = new Secret(azurite.ConnectionString), StoragePrefix = AzuriteFixture.NewStoragePrefix() });
        await store.EnsureCreatedAsync(Ct);
        var cursors = new TradeCursorRepository(store);
        Assert.Empty(await cursors.ReadAllAsync(Ct));

        await cursors.WriteAsync("BTCUSDT", 41, Ct);
        await cursors.WriteAsync("ETHUSDT", 7, Ct);
        await cursors.WriteAsync("BTCUSDT", 42, Ct);

        var read = await new TradeCursorRepository(store).ReadAllAsync(Ct);
        Assert.Equal(2, read.Count);
        Assert.Equal(42, read["BTCUSDT"]);
        Assert.Equal(7, read["ETHUSDT"]);
    }

    [Fact]
    public async Task The_same_client_order_id_inserts_once_even_when_raced()
    {
        var repository = await NewRepository();

        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => repository.TryInsertAsync(NewOrder("raced-id"), Ct)));

        Assert.Equal(1, results.Count(r => r));
    }

    [Fact]
    public async Task Concurrent_changes_are_all_applied_and_none_is_lost()
    {
        var repository = await NewRepository();
        await repository.TryInsertAsync(NewOrder(), Ct);

        var fills = Enumerable.Range(1, 3).Select(i => new OrderFilled(10 + i, "1", new OrderFill(i, 0.001m, 40000m + i, 10 + i)));
        var transitions = await Task.WhenAll(fills.Select(f => repository.ApplyAsync("my-order-001", f, Ct)));
        var final = (await repository.GetAsync("my-order-001", Ct))!.Value.State;

        Assert.Equal(3, final.Fills.Count);
        Assert.Equal(OrderStatus.Filled, final.Status);
        Assert.Equal(0.003m, final.ExecutedQty);
        Assert.Equal(40002m, final.AvgPrice);
        Assert.Equal(3, transitions.Sum(t => t!.NewFills.Count));
    }

    [Fact]
    public async Task Applying_the_same_fill_twice_changes_nothing_the_second_time()
    {
        var repository = await NewRepository();
        await repository.TryInsertAsync(NewOrder(), Ct);
        var fill = new OrderFilled(5, "1", new OrderFill(99, 0.001m, 40000m, 5));

        var first = await repository.ApplyAsync("my-order-001", fill, Ct);
        var second = await repository.ApplyAsync("my-order-001", fill, Ct);

        Assert.Single(first!.NewFills);
        Assert.False(second!.Changed);
    }

    [Fact]
    public async Task Unknown_orders_are_null_and_listing_returns_every_order()
    {
        var repository = await NewRepository();
        Assert.Null(await repository.GetAsync("nope", Ct));
        Assert.Null(await repository.ApplyAsync("nope", new CancelRequested(1), Ct));

        await repository.TryInsertAsync(NewOrder("a-1"), Ct);
        await repository.TryInsertAsync(NewOrder("b-2"), Ct);
        var ids = new List<string>();
        await foreach (var order in repository.ListAsync(Ct))
        {
            ids.Add(order.ClientOrderId);
        }

        Assert.Equal(["a-1", "b-2"], ids.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Scans_find_orders_in_every_shard()
    {
        var repository = await NewRepository();
        // One order per shard; the open ones are acknowledged, one per shard is final.
        var open = Enumerable.Range(0, OrderKeys.ShardCount)
            .Select(shard => Enumerable.Range(0, 1000).Select(i => $"open-{i}").First(id => OrderKeys.ShardIndex(id) == shard)).ToList();
        var done = Enumerable.Range(0, OrderKeys.ShardCount)
            .Select(shard => Enumerable.Range(0, 1000).Select(i => $"done-{i}").First(id => OrderKeys.ShardIndex(id) == shard)).ToList();
        for (var i = 0; i < open.Count; i++)
        {
            Assert.True(await repository.TryInsertAsync(OrderStateMachine.Apply(NewOrder(open[i]), new OrderAcknowledged(2, $"{100 + i}")).State, Ct));
            Assert.True(await repository.TryInsertAsync(OrderStateMachine.Apply(NewOrder(done[i]), new OrderRejected(2, -2010, "no")).State, Ct));
        }

        var all = new List<string>();
        await foreach (var order in repository.ListAsync(Ct))
        {
            all.Add(order.ClientOrderId);
        }

        var stillOpen = new List<string>();
        await foreach (var order in repository.ListOpenAsync(Ct))
        {
            stillOpen.Add(order.ClientOrderId);
        }

        var changed = new List<string>();
        await foreach (var order in repository.ListChangedSinceAsync(DateTimeOffset.UtcNow.AddMinutes(-5), Ct))
        {
            changed.Add(order.ClientOrderId);
        }

        Assert.Equal(open.Concat(done).Order(StringComparer.Ordinal), all.Order(StringComparer.Ordinal));
        Assert.Equal(open.Order(StringComparer.Ordinal), stillOpen.Order(StringComparer.Ordinal));
        Assert.Equal(all.Order(StringComparer.Ordinal), changed.Order(StringComparer.Ordinal));
        for (var i = 0; i < open.Count; i++)
        {
            Assert.Equal(open[i], await repository.VenueOrders.FindAsync("BTCUSDT", $"{100 + i}", Ct));
        }

        Assert.Null(await repository.VenueOrders.FindAsync("BTCUSDT", "999", Ct));
    }
}

public sealed class OrderRepositoryBatchTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Several_events_are_stored_with_one_write_after_an_insert_and_a_stale_etag_falls_back_to_a_read()
    {
        var store = new TableStore(new StorageOptions { StorageConnectionString = new Secret(azurite.ConnectionString), StoragePrefix = AzuriteFixture.NewStoragePrefix() });
        await store.EnsureCreatedAsync(Ct);
        var repository = new OrderRepository(store);
        var order = OrderStateMachine.New("batch-1", "BTCUSDT", OrderSide.Buy, 0.002m, 40000m, 1);

        var etag = await repository.InsertAsync(order, Ct);
        Assert.NotNull(etag);
        Assert.Null(await repository.InsertAsync(order, Ct));

        var transitions = await repository.ApplyAllAsync("batch-1", [new OrderAcknowledged(2, "9"), new OrderFilled(3, "9", new OrderFill(1, 0.001m, 40000m, 3))], (order, etag.Value), Ct);
        Assert.Equal([OrderStatus.Accepted, OrderStatus.PartiallyFilled], transitions!.Select(t => t.State.Status));

        // The ETag from the insert is stale now: the second batch must read the row first.
        var more = await repository.ApplyAllAsync("batch-1", [new OrderFilled(4, "9", new OrderFill(2, 0.001m, 40000m, 4))], (order, etag.Value), Ct);
        var stored = (await repository.GetAsync("batch-1", Ct))!.Value.State;

        Assert.Equal(OrderStatus.Filled, more!.Single().State.Status);
        Assert.Equal(2, stored.Fills.Count);
        Assert.Equal(OrderStatus.Filled, stored.Status);
    }
}

public sealed class MissingTableTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Writes_before_the_tables_exist_create_them_instead_of_failing()
    {
        var store = new TableStore(new StorageOptions { StorageConnectionString = new Secret(azurite.ConnectionString), StoragePrefix = AzuriteFixture.NewStoragePrefix() });
        var ct = TestContext.Current.CancellationToken;

        Assert.True(await new OrderRepository(store).TryInsertAsync(OrderStateMachine.New("early-1", "BTCUSDT", OrderSide.Sell, 1m, 2m, 3), ct));
        await new MarketTickRepository(store).UpsertLatestAsync(new VeloZ.Domain.Market.MarketTick("BTCUSDT", 1m, 1, 1), ct);
        await new AccountRepository(store).UpsertAsync(1, [new AssetBalance("USDT", 1m, 0m)], ct);

        Assert.NotNull(await new OrderRepository(store).GetAsync("early-1", ct));
        Assert.Equal(1m, (await new MarketTickRepository(store).GetLatestAsync("BTCUSDT", ct))!.Price);
        Assert.Single((await new AccountRepository(store).ReadAsync(ct)).Balances);
    }
}
