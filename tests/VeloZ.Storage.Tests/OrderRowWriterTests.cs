using Azure;
using Azure.Data.Tables;
using VeloZ.Domain.Configuration;
using VeloZ.Domain.Orders;
using VeloZ.Testing;

namespace VeloZ.Storage.Tests;

public sealed class OrderRowWriterTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Task<TableStore> NewStore() => NewStoreAsync(azurite);

    /// <summary>A store with its tables, under a prefix of its own.</summary>
    internal static async Task<TableStore> NewStoreAsync(AzuriteFixture azurite)
    {
        var store = new TableStore(new StorageOptions { StorageConnectionString = new Secret(azurite.ConnectionString), StoragePrefix = AzuriteFixture.NewStoragePrefix() });
        await store.EnsureCreatedAsync(Ct);
        return store;
    }

    private static OrderState NewOrder(string id) => OrderStateMachine.New(id, "BTCUSDT", OrderSide.Buy, 0.001m, 30000m, 1);

    /// <summary>Ids that all land in one order partition, so a burst of them must share transactions.</summary>
    private static List<string> IdsInOnePartition(string prefix, int count)
    {
        var target = OrderKeys.ShardIndex(prefix + "0");
        return [.. Enumerable.Range(0, 10_000).Select(i => $"{prefix}{i}").Where(id => OrderKeys.ShardIndex(id) == target).Take(count)];
    }

    [Fact]
    public async Task A_burst_of_inserts_is_grouped_into_transactions_and_every_row_is_stored()
    {
        var repository = new OrderRepository(await NewStore());
        var ids = IdsInOnePartition("burst-", 150);

        var etags = await Task.WhenAll(ids.Select(id => repository.InsertAsync(NewOrder(id), Ct)));

        Assert.All(etags, e => Assert.NotNull(e));
        var (requests, rows) = repository.WriteCounters;
        Assert.Equal(150, rows);
        Assert.True(requests < 20, $"{requests} storage requests for 150 rows: the burst was not grouped.");
        foreach (var id in ids)
        {
            Assert.Equal(id, (await repository.GetAsync(id, Ct))!.Value.State.ClientOrderId);
        }
    }

    [Fact]
    public async Task The_venue_order_index_rows_of_a_burst_of_orders_share_requests_and_each_is_found()
    {
        var repository = new OrderRepository(await NewStore());
        var orders = Enumerable.Range(0, 120).Select(i => ($"ix-{i}", (100_000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture))).ToList();

        await Task.WhenAll(orders.Select(o => repository.VenueOrders.AddAsync("BTCUSDT", o.Item2, o.Item1, Ct)));

        var (requests, rows) = repository.IndexWriteCounters;
        Assert.Equal(120, rows);
        Assert.True(requests < 10, $"{requests} storage requests for 120 index rows: they did not ride the group commit.");
        foreach (var (clientOrderId, venueOrderId) in orders)
        {
            Assert.Equal(clientOrderId, await repository.VenueOrders.FindAsync("BTCUSDT", venueOrderId, Ct));
        }
    }

    [Fact]
    public async Task An_index_row_written_again_changes_nothing_and_other_symbols_keep_their_own()
    {
        var repository = new OrderRepository(await NewStore());

        await repository.VenueOrders.AddAsync("BTCUSDT", "7", "a-1", Ct);
        await repository.VenueOrders.AddAsync("BTCUSDT", "7", "a-1", Ct);
        await repository.VenueOrders.AddAsync("ETHUSDT", "7", "b-1", Ct);

        Assert.Equal("a-1", await repository.VenueOrders.FindAsync("BTCUSDT", "7", Ct));
        Assert.Equal("b-1", await repository.VenueOrders.FindAsync("ETHUSDT", "7", Ct));
        Assert.Null(await repository.VenueOrders.FindAsync("BTCUSDT", "8", Ct));
    }

    [Fact]
    public async Task A_change_leaves_exactly_the_orders_columns_and_the_inserts_write_id()
    {
        var store = await NewStore();
        var repository = new OrderRepository(store);
        Assert.NotNull(await repository.InsertAsync(NewOrder("cols-1"), Ct));
        var table = store.Table(OrderKeys.Table("cols-1"));
        var inserted = (await table.GetEntityAsync<TableEntity>(OrderKeys.Partition("cols-1"), "cols-1", cancellationToken: Ct)).Value;

        var rejected = await repository.ApplyAsync("cols-1", new OrderRejected(2, -2010, "Account has insufficient balance."), Ct);

        var stored = (await table.GetEntityAsync<TableEntity>(OrderKeys.Partition("cols-1"), "cols-1", cancellationToken: Ct)).Value;
        var expected = OrderRepository.ToEntity(rejected!.State);
        foreach (var column in expected.Keys.Where(k => k is not ("PartitionKey" or "RowKey" or "odata.etag" or "Timestamp")))
        {
            Assert.Equal(expected[column], stored[column]);
        }

        Assert.Equal(inserted.GetString(OrderRowWriter.WriteIdColumn), stored.GetString(OrderRowWriter.WriteIdColumn));
        Assert.False(string.IsNullOrEmpty(stored.GetString(OrderRowWriter.WriteIdColumn)));
        // The merge carried only what the rejection changed; the row still holds every column.
        Assert.Equal(["LastTsNs", "PartitionKey", "Reason", "RowKey", "Status"], OrderRepository.ChangedColumns(NewOrder("cols-1"), rejected.State).Keys.Order(StringComparer.Ordinal));
        Assert.Equal(rejected.State, (await repository.GetAsync("cols-1", Ct))!.Value.State);
        Assert.Null((await repository.GetAsync("cols-1", Ct))!.Value.State.VenueOrderId);
    }

    [Fact]
    public async Task An_existing_id_inside_a_group_fails_alone_and_the_rest_of_the_group_is_stored()
    {
        var store = await NewStore();
        var ids = IdsInOnePartition("dup-", 40);
        // Another instance stored one of them first.
        Assert.NotNull(await new OrderRepository(store).InsertAsync(NewOrder(ids[25]), Ct));
        var repository = new OrderRepository(store);

        var etags = await Task.WhenAll(ids.Select(id => repository.InsertAsync(NewOrder(id), Ct)));

        Assert.Null(etags[25]);
        Assert.Equal(39, etags.Count(e => e is not null));
        Assert.True(repository.WriteCounters.Requests < 20);
        var stored = new List<string>();
        await foreach (var order in repository.ListAsync(Ct))
        {
            stored.Add(order.ClientOrderId);
        }

        Assert.Equal(ids.Order(StringComparer.Ordinal), stored.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_group_full_of_duplicates_is_answered_without_a_round_per_duplicate()
    {
        var store = await NewStore();
        var ids = IdsInOnePartition("many-", 40);
        // A client resends 15 ids it placed before, among 25 new ones.
        var earlier = new OrderRepository(store);
        foreach (var id in ids.Where((_, i) => i % 8 < 3))
        {
            Assert.NotNull(await earlier.InsertAsync(NewOrder(id), Ct));
        }

        var repository = new OrderRepository(store);
        var etags = await Task.WhenAll(ids.Select(id => repository.InsertAsync(NewOrder(id), Ct)));

        Assert.Equal(15, etags.Count(e => e is null));
        Assert.All(ids.Where((_, i) => i % 8 < 3), id => Assert.Null(etags[ids.IndexOf(id)]));
        // One round per duplicate would send about 40 + 39 + ... + 26 rows; two retried groups and then single rows send far fewer.
        Assert.True(repository.WriteCounters.Rows < 150, $"{repository.WriteCounters.Rows} rows sent for a group of 40.");
        var stored = new List<string>();
        await foreach (var order in repository.ListAsync(Ct))
        {
            stored.Add(order.ClientOrderId);
        }

        Assert.Equal(ids.Order(StringComparer.Ordinal), stored.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_stale_etag_inside_a_group_fails_alone_and_the_other_replaces_are_stored()
    {
        var store = await NewStore();
        var writer = new OrderRowWriter(store);
        var ids = IdsInOnePartition("stale-", 30);
        var etags = await Task.WhenAll(ids.Select(id => writer.AddAsync(OrderRepository.ToEntity(NewOrder(id)))));
        // Someone else changes one row: its ETag is stale now.
        var other = await new OrderRowWriter(store).MergeAsync(OrderRepository.ToEntity(OrderStateMachine.Apply(NewOrder(ids[7]), new CancelRequested(2)).State), etags[7]!.Value);
        Assert.NotNull(other);

        var acked = await Task.WhenAll(ids.Select((id, i) =>
            writer.MergeAsync(OrderRepository.ToEntity(OrderStateMachine.Apply(NewOrder(id), new OrderAcknowledged(3, $"{i}")).State), etags[i]!.Value)));

        Assert.Null(acked[7]);
        Assert.Equal(29, acked.Count(e => e is not null));
        var repository = new OrderRepository(store);
        Assert.True((await repository.GetAsync(ids[7], Ct))!.Value.State.CancelRequested);
        Assert.Equal(OrderStatus.Accepted, (await repository.GetAsync(ids[8], Ct))!.Value.State.Status);
    }

    [Fact]
    public async Task Two_writes_of_one_row_never_share_a_transaction_and_the_second_sees_the_first()
    {
        var store = await NewStore();
        var writer = new OrderRowWriter(store);
        var first = writer.AddAsync(OrderRepository.ToEntity(NewOrder("same-1")));
        var second = writer.AddAsync(OrderRepository.ToEntity(NewOrder("same-1")));

        Assert.NotNull(await first);
        Assert.Null(await second);
    }

    [Fact]
    public async Task When_storage_is_down_every_write_of_the_group_fails_with_storage_unavailable()
    {
        var store = new TableStore(new StorageOptions
        {
            StorageConnectionString = new Secret($"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AzuriteFixture.AccountKey};TableEndpoint=http://127.0.0.1:{FreePort()}/devstoreaccount1;"),
            StoragePrefix = "down",
        });
        var writer = new OrderRowWriter(store);

        var writes = Enumerable.Range(0, 5).Select(i => writer.AddAsync(OrderRepository.ToEntity(NewOrder($"down-{i}")))).ToList();

        foreach (var write in writes)
        {
            await Assert.ThrowsAsync<StorageUnavailableException>(() => write);
        }
    }

    [Fact]
    public void The_shard_of_a_client_order_id_is_stable_across_processes_and_versions()
    {
        // Stored rows are found again only if this never changes.
        Assert.Equal("o0", OrderKeys.Partition("my-order-001"));
        Assert.Equal("o3", OrderKeys.Partition("x"));
        Assert.Equal("orders0", OrderKeys.Table("my-order-001"));
        Assert.Equal("orders3", OrderKeys.Table("x"));
        Assert.Equal("orders3", OrderKeys.TableOfPartition("o3"));
        Assert.Equal(OrderKeys.Partition("web_7f3a9c"), OrderKeys.Partition(new string("web_7f3a9c".ToCharArray())));
        Assert.InRange(Enumerable.Range(0, 1000).Select(i => OrderKeys.ShardIndex($"id-{i}")).Distinct().Count(), OrderKeys.ShardCount, OrderKeys.ShardCount);
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}

public sealed class OrderWriteBehindTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_read_of_an_order_waits_for_its_write_behind_and_shutdown_waits_for_all_of_them()
    {
        var store = await OrderRowWriterTests.NewStoreAsync(azurite);
        var repository = new OrderRepository(store);
        var order = OrderStateMachine.New("behind-1", "BTCUSDT", OrderSide.Buy, 0.001m, 30000m, 1);
        var etag = (await repository.InsertAsync(order, Ct))!.Value;
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        repository.WriteBehind("behind-1", StoreAckAfterAsync());
        var read = repository.GetAsync("behind-1", Ct);
        var drained = repository.WhenWritesBehindDoneAsync();
        await Task.Delay(200, Ct);
        Assert.False(read.IsCompleted);
        Assert.False(drained.IsCompleted);

        release.SetResult();

        Assert.Equal(OrderStatus.Accepted, (await read)!.Value.State.Status);
        await drained;
        Assert.Equal(OrderStatus.Accepted, (await repository.GetAsync("behind-1", Ct))!.Value.State.Status);

        async Task StoreAckAfterAsync()
        {
            await release.Task;
            await repository.ApplyAllAsync("behind-1", [new OrderAcknowledged(2, "77")], (order, etag), CancellationToken.None);
        }
    }

    [Fact]
    public async Task A_write_behind_whose_etag_went_stale_reads_the_row_again_instead_of_waiting_for_itself()
    {
        var store = await OrderRowWriterTests.NewStoreAsync(azurite);
        var repository = new OrderRepository(store);
        var order = OrderStateMachine.New("behind-3", "BTCUSDT", OrderSide.Buy, 0.001m, 30000m, 1);
        var etag = (await repository.InsertAsync(order, Ct))!.Value;
        // The worker changed the row first: the API's ETag from the insert is stale.
        await new OrderRepository(store).ApplyAsync("behind-3", new CancelRequested(2), Ct);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var write = StoreAckAsync();

        repository.WriteBehind("behind-3", write);
        release.SetResult();

        await write.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        var stored = (await repository.GetAsync("behind-3", Ct))!.Value.State;
        Assert.Equal(OrderStatus.Accepted, stored.Status);
        Assert.True(stored.CancelRequested);

        async Task StoreAckAsync()
        {
            await release.Task;
            await repository.ApplyAllAsync("behind-3", [new OrderAcknowledged(3, "78")], (order, etag), CancellationToken.None);
        }
    }

    [Fact]
    public async Task A_failed_write_behind_does_not_fail_the_reads_that_waited_for_it()
    {
        var store = await OrderRowWriterTests.NewStoreAsync(azurite);
        var repository = new OrderRepository(store);
        await repository.InsertAsync(OrderStateMachine.New("behind-2", "BTCUSDT", OrderSide.Buy, 0.001m, 30000m, 1), Ct);

        repository.WriteBehind("behind-2", Task.FromException(new StorageUnavailableException("down")));

        Assert.Equal(OrderStatus.Pending, (await repository.GetAsync("behind-2", Ct))!.Value.State.Status);
        await repository.WhenWritesBehindDoneAsync();
    }
}
