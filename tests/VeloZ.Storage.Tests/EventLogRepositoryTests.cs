using VeloZ.Domain.Configuration;
using VeloZ.Domain.Events;
using VeloZ.Testing;

namespace VeloZ.Storage.Tests;

public sealed class EventLogRepositoryTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<(EventLogRepository Log, SequencerRepository Ids)> NewRepositories()
    {
        var store = new TableStore(new StorageOptions { StorageConnectionString = new Secret(azurite.ConnectionString), StoragePrefix = AzuriteFixture.NewStoragePrefix() });
        await store.EnsureCreatedAsync(Ct);
        return (new EventLogRepository(store), new SequencerRepository(store));
    }

    private static GatewayEvent Error(long id, long ts = 1) => EventPayloads.Error(ts, "market_source_error") with { Id = id };

    [Fact]
    public async Task Events_read_back_in_id_order_across_partitions_and_a_rewrite_replaces_itself()
    {
        var (log, _) = await NewRepositories();
        var ids = new long[] { EventLogRepository.BucketSize - 2, EventLogRepository.BucketSize - 1, EventLogRepository.BucketSize, EventLogRepository.BucketSize + 1 };
        await log.AppendAsync([.. ids.Select(id => Error(id))], Ct);
        await log.AppendAsync([Error(ids[1])], Ct);

        var after = await log.ReadAfterAsync(ids[0], 100, Ct);
        Assert.Equal(ids.Skip(1), after.Select(e => e.Id));
        Assert.All(after, e => Assert.Equal("error", e.Type));
        var range = await log.ReadRangeAsync(ids[1], ids[2], Ct);
        Assert.Equal(ids[1..3], range.Select(e => e.Id));
        Assert.Equal(2, (await log.ReadAfterAsync(0, 2, Ct)).Count);
    }

    [Fact]
    public async Task The_orders_feed_keeps_order_fill_and_error_events_newest_last_and_nothing_else()
    {
        var (log, _) = await NewRepositories();
        var order = VeloZ.Domain.Orders.OrderStateMachine.New("feed-1", "BTCUSDT", VeloZ.Domain.Orders.OrderSide.Buy, 1m, 2m, 5);
        await log.AppendAsync(
        [
            EventPayloads.OrderUpdate(order, 5) with { Id = 1 },
            EventPayloads.OrderStateSnapshot(order) with { Id = 2 },
            EventPayloads.Market(new VeloZ.Domain.Market.MarketTick("BTCUSDT", 3m, 6, 6)) with { Id = 3 },
            Error(4),
        ], Ct);

        var recent = await log.ReadRecentOrderEventsAsync(200, Ct);
        Assert.Equal([1L, 4L], recent.Select(e => e.Id));
        Assert.Equal("feed-1", recent[0].ClientOrderId);
        Assert.Equal("PENDING", recent[0].OrderStatus);
        Assert.Equal([4L], (await log.ReadRecentOrderEventsAsync(1, Ct)).Select(e => e.Id));
    }

    [Fact]
    public async Task Pruning_removes_whole_old_partitions_and_old_feed_rows_only()
    {
        var (log, _) = await NewRepositories();
        await log.AppendAsync([Error(1, ts: 100), Error(2, ts: 100), Error(EventLogRepository.BucketSize + 1, ts: 900)], Ct);

        var deleted = await log.PruneAsync(cutoffTsNs: 500, currentId: EventLogRepository.BucketSize + 2, Ct);

        Assert.Equal(4, deleted);
        Assert.Equal([EventLogRepository.BucketSize + 1], (await log.ReadAfterAsync(0, 10, Ct)).Select(e => e.Id));
        Assert.Equal([EventLogRepository.BucketSize + 1], (await log.ReadRecentOrderEventsAsync(10, Ct)).Select(e => e.Id));
    }

    [Fact]
    public async Task An_id_reservation_moves_only_from_the_version_it_read()
    {
        var (_, ids) = await NewRepositories();
        Assert.Equal((0L, null), await ids.ReadAsync(Ct));
        var first = await ids.TryReserveAsync(1000, null, "a", Ct);
        Assert.NotNull(first);
        Assert.Null(await ids.TryReserveAsync(1000, null, "b", Ct));

        var second = await ids.TryReserveAsync(2000, first, "a", Ct);
        Assert.NotNull(second);
        Assert.Null(await ids.TryReserveAsync(3000, first, "b", Ct));
        Assert.Equal(2000, (await ids.ReadAsync(Ct)).ReservedThrough);
    }
}
