using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using VeloZ.Domain.Configuration;
using VeloZ.Domain.Events;
using VeloZ.Domain.Market;
using VeloZ.Domain.Orders;
using VeloZ.Storage;
using VeloZ.Testing;
using VeloZ.Worker.Events;
using VeloZ.Worker.Status;
using VeloZ.Worker.Tests.Status;

namespace VeloZ.Worker.Tests.Events;

/// <summary>The sequencer on Azurite: order rows in, numbered, logged, published events out.</summary>
public sealed class EventSequencerTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private StorageOptions Options(string prefix) => new() { StorageConnectionString = new Secret(azurite.ConnectionString), StoragePrefix = prefix };

    private sealed class RecordingSink : IEventSink
    {
        private readonly List<GatewayEvent> _events = [];

        public IReadOnlyList<GatewayEvent> Events
        {
            get
            {
                lock (_events)
                {
                    return [.. _events];
                }
            }
        }

        public Task PublishAsync(IReadOnlyList<GatewayEvent> events, CancellationToken cancellationToken)
        {
            lock (_events)
            {
                _events.AddRange(events);
            }

            return Task.CompletedTask;
        }
    }

    private sealed class Running(EventSequencer sequencer, EventInbox inbox, RecordingSink sink, VeloZ.Storage.Leadership.WorkerLease lease) : IAsyncDisposable
    {
        public EventInbox Inbox => inbox;

        public EventSequencer Sequencer => sequencer;

        public RecordingSink Sink => sink;

        public async Task WaitForAsync(Func<IReadOnlyList<GatewayEvent>, bool> condition)
        {
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (!condition(sink.Events))
            {
                Assert.True(DateTime.UtcNow < deadline, $"published so far: {string.Join(", ", sink.Events.Select(e => $"{e.Id}:{e.Type}"))}");
                await Task.Delay(20, Ct);
            }
        }

        public async ValueTask DisposeAsync()
        {
            await sequencer.StopAsync(CancellationToken.None);
            sequencer.Dispose();
            inbox.Dispose();
            // Handing the lease back lets the next sequencer of the same storage lead at once.
            await lease.ReleaseAsync(CancellationToken.None);
        }
    }

    private async Task<Running> StartAsync(string prefix, TimeProvider? clock = null, WorkerState? state = null)
    {
        clock ??= TimeProvider.System;
        var options = Options(prefix);
        var store = new TableStore(options);
        await store.EnsureCreatedAsync(Ct);
        var inbox = new EventInbox(clock);
        var sink = new RecordingSink();
        var lease = VeloZ.Storage.Leadership.WorkerLease.Create(options, TimeProvider.System);
        Assert.True(await lease.TryAcquireAsync(Ct));
        var leadership = new VeloZ.Worker.Leadership.WorkerLeadership(lease);
        leadership.Set(true);
        var sequencer = new EventSequencer(inbox, new SequencerRepository(store), new EventLogRepository(store), new OrderRepository(store), sink, state ?? new WorkerState(TimeProvider.System), leadership, options, clock, NullLogger<EventSequencer>.Instance);
        await sequencer.StartAsync(Ct);
        await sequencer.Ready.WaitAsync(TimeSpan.FromSeconds(20), Ct);
        return new Running(sequencer, inbox, sink, lease);
    }

    /// <summary>A sequencer on a fake clock (starting now) over fresh storage, and that storage's orders.</summary>
    private async Task<(OrderRepository Orders, FakeTimeProvider Clock, Running Running)> StartOnFakeClockAsync()
    {
        var prefix = AzuriteFixture.NewStoragePrefix();
        var orders = await OrdersAsync(prefix);
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        return (orders, clock, await StartAsync(prefix, clock));
    }

    private async Task<OrderRepository> OrdersAsync(string prefix)
    {
        var store = new TableStore(Options(prefix));
        await store.EnsureCreatedAsync(Ct);
        return new OrderRepository(store);
    }

    private static OrderState NewOrder(string id) => OrderStateMachine.New(id, "BTCUSDT", OrderSide.Buy, 0.003m, 40000m, 1);

    private static int Count(IReadOnlyList<GatewayEvent> events, string type, string id, string? status = null) =>
        events.Count(e => e.Type == type && e.ClientOrderId == id && (status is null || e.OrderStatus == status));

    [Fact]
    public async Task Events_told_are_counted_as_sequenced_by_type_and_published()
    {
        var prefix = AzuriteFixture.NewStoragePrefix();
        var orders = await OrdersAsync(prefix);
        var state = new WorkerState(TimeProvider.System);
        using var metrics = new WorkerMetricsRecorder(state.Metrics.Meter);
        await using var running = await StartAsync(prefix, state: state);
        await orders.InsertAsync(NewOrder("m1"), Ct);
        await orders.ApplyAsync("m1", new OrderAcknowledged(2, "9"), Ct);
        running.Inbox.TouchOrder("m1");
        await running.WaitForAsync(e => Count(e, EventTypes.OrderUpdate, "m1", "ACCEPTED") == 1);

        var told = running.Sink.Events;
        Assert.Equal(told.Count(e => e.Type == EventTypes.OrderUpdate), metrics.Sum("veloz.worker.events.sequenced", ("type", EventTypes.OrderUpdate)));
        Assert.Equal(told.Count(e => e.Type == EventTypes.OrderState), metrics.Sum("veloz.worker.events.sequenced", ("type", EventTypes.OrderState)));
        Assert.Equal(told.Count, metrics.Sum("veloz.worker.events.published"));
        Assert.Equal(0, metrics.Sum("veloz.worker.events.publish_failed"));
    }

    [Fact]
    public async Task Each_transition_is_told_once_however_often_and_by_whichever_source_it_is_reported()
    {
        var prefix = AzuriteFixture.NewStoragePrefix();
        var orders = await OrdersAsync(prefix);
        await using var running = await StartAsync(prefix);
        await orders.InsertAsync(NewOrder("o1"), Ct);
        await orders.ApplyAsync("o1", new OrderAcknowledged(2, "9"), Ct);
        // The API's note and the user stream both report the acceptance; twice each.
        running.Inbox.TouchOrder("o1");
        running.Inbox.TouchOrder("o1");
        await running.WaitForAsync(e => Count(e, EventTypes.OrderUpdate, "o1", "ACCEPTED") == 1);
        running.Inbox.TouchOrder("o1");

        var fill = new OrderFill(501, 0.001m, 39999m, 3);
        await orders.ApplyAsync("o1", new OrderFilled(3, "9", fill), Ct);
        await orders.ApplyAsync("o1", new OrderFilled(3, "9", fill), Ct);
        running.Inbox.TouchOrders(["o1", "o1"]);
        await running.WaitForAsync(e => Count(e, EventTypes.OrderUpdate, "o1", "PARTIALLY_FILLED") == 1);
        running.Inbox.TouchOrder("o1");
        await Task.Delay(300, Ct);

        var events = running.Sink.Events;
        Assert.Equal(1, Count(events, EventTypes.OrderUpdate, "o1", "ACCEPTED"));
        Assert.Equal(1, Count(events, EventTypes.OrderUpdate, "o1", "PARTIALLY_FILLED"));
        Assert.Equal(1, Count(events, EventTypes.Fill, "o1"));
        Assert.Equal(0, Count(events, EventTypes.OrderUpdate, "o1", "PENDING"));
        Assert.Equal(2, Count(events, EventTypes.OrderState, "o1"));
        var fillEvent = events.Single(e => e.Type == EventTypes.Fill);
        Assert.Contains("\"qty\":0.001", fillEvent.Data, StringComparison.Ordinal);
        Assert.Contains("\"price\":39999", fillEvent.Data, StringComparison.Ordinal);
        // The fill comes before the update it caused, and every id is the previous one plus one.
        Assert.True(fillEvent.Id < events.Single(e => e.OrderStatus == "PARTIALLY_FILLED").Id);
        Assert.Equal(Enumerable.Range((int)events[0].Id, events.Count).Select(i => (long)i), events.Select(e => e.Id));
    }

    [Fact]
    public async Task A_change_made_in_the_worker_is_told_from_its_transitions_and_once_when_its_row_is_read_too()
    {
        var prefix = AzuriteFixture.NewStoragePrefix();
        var orders = await OrdersAsync(prefix);
        await using var running = await StartAsync(prefix);
        await orders.InsertAsync(NewOrder("o5"), Ct);
        running.Inbox.TouchOrder("o5");
        await running.WaitForAsync(e => Count(e, EventTypes.OrderUpdate, "o5", "PENDING") == 1);

        var transitions = await orders.ApplyAllAsync("o5", [new OrderAcknowledged(2, "11"), new OrderFilled(3, "11", new OrderFill(77, 0.001m, 40000m, 3))], Ct);
        running.Inbox.Applied("o5", transitions!);
        await running.WaitForAsync(e => Count(e, EventTypes.OrderUpdate, "o5", "PARTIALLY_FILLED") == 1);
        // The API's note of the same change arrives after: its row holds nothing untold.
        running.Inbox.TouchOrder("o5");
        running.Inbox.Applied("o5", transitions!);
        await Task.Delay(300, Ct);

        var types = running.Sink.Events.Where(e => e.ClientOrderId == "o5").Select(e => e.Type + (e.OrderStatus is { } s ? ":" + s : string.Empty));
        Assert.Equal(["order_update:PENDING", "order_state", "order_update:ACCEPTED", "fill", "order_update:PARTIALLY_FILLED", "order_state"], types);
    }

    [Fact]
    public async Task A_change_made_in_the_worker_is_told_without_reading_its_row()
    {
        var prefix = AzuriteFixture.NewStoragePrefix();
        await using var running = await StartAsync(prefix);
        // Transitions of an order whose row this storage does not have: reading it would find nothing to tell.
        var transition = OrderStateMachine.Apply(NewOrder("o6"), new OrderAcknowledged(2, "12"));

        running.Inbox.Applied("o6", [transition]);
        await running.WaitForAsync(e => Count(e, EventTypes.OrderState, "o6") == 1);

        Assert.Equal(1, Count(running.Sink.Events, EventTypes.OrderUpdate, "o6", "ACCEPTED"));
    }

    [Fact]
    public async Task An_order_first_seen_filled_still_announces_its_acceptance_first()
    {
        var prefix = AzuriteFixture.NewStoragePrefix();
        var orders = await OrdersAsync(prefix);
        await using var running = await StartAsync(prefix);
        await orders.InsertAsync(NewOrder("o2"), Ct);
        await orders.ApplyAllAsync("o2", [new OrderAcknowledged(2, "7"), new OrderFilled(3, "7", new OrderFill(9, 0.003m, 40000m, 3)), new VenueOrderReport(3, "7", OrderStatus.Filled, 0.003m, 120m, null)], null, Ct);
        running.Inbox.TouchOrder("o2");
        await running.WaitForAsync(e => Count(e, EventTypes.OrderState, "o2") == 1);

        var types = running.Sink.Events.Where(e => e.ClientOrderId == "o2").Select(e => e.Type + (e.OrderStatus is { } s ? ":" + s : string.Empty));
        Assert.Equal(["order_update:ACCEPTED", "fill", "order_update:FILLED", "order_state"], types);
    }

    [Fact]
    public async Task A_restarted_sequencer_continues_the_ids_and_does_not_repeat_what_was_told()
    {
        var prefix = AzuriteFixture.NewStoragePrefix();
        var orders = await OrdersAsync(prefix);
        await orders.InsertAsync(NewOrder("r1"), Ct);
        await orders.ApplyAsync("r1", new OrderAcknowledged(2, "1"), Ct);
        long lastId;
        await using (var first = await StartAsync(prefix))
        {
            first.Inbox.TouchOrder("r1");
            first.Inbox.Market(new MarketTick("BTCUSDT", 1m, 1, 1));
            await first.WaitForAsync(e => e.Any(x => x.Type == EventTypes.Market) && Count(e, EventTypes.OrderState, "r1") == 1);
            lastId = first.Sink.Events.Max(e => e.Id);
        }

        await orders.ApplyAsync("r1", new CancelRequested(3), Ct);
        await orders.ApplyAsync("r1", new VenueOrderReport(4, "1", OrderStatus.Cancelled, 0m, 0m, null), Ct);
        await using var second = await StartAsync(prefix);
        // The start-up sweep finds the changed row by itself; the acceptance is not told again.
        await second.WaitForAsync(e => Count(e, EventTypes.OrderUpdate, "r1", "CANCELLED") == 1);
        await Task.Delay(300, Ct);
        var events = second.Sink.Events;
        Assert.Equal(0, Count(events, EventTypes.OrderUpdate, "r1", "ACCEPTED"));
        Assert.Equal(lastId + 1, events.Min(e => e.Id));
    }

    [Fact]
    public async Task A_finished_order_is_forgotten_one_retention_period_after_it_was_told_and_an_open_one_never()
    {
        var (orders, clock, running) = await StartOnFakeClockAsync();
        await using var _ = running;
        var retention = TimeSpan.FromHours(new StorageOptions().EventRetentionHours);

        // f1 is cancelled, k1 stays open; both are told.
        await orders.InsertAsync(NewOrder("f1"), Ct);
        await orders.ApplyAllAsync("f1", [new OrderAcknowledged(2, "1"), new CancelRequested(3), new VenueOrderReport(4, "1", OrderStatus.Cancelled, 0m, 0m, null)], null, Ct);
        await orders.InsertAsync(NewOrder("k1"), Ct);
        await orders.ApplyAsync("k1", new OrderAcknowledged(2, "2"), Ct);
        running.Inbox.TouchOrders(["f1", "k1"]);
        await running.WaitForAsync(e => Count(e, EventTypes.OrderState, "f1") == 1 && Count(e, EventTypes.OrderState, "k1") == 1);
        Assert.Equal(2, running.Sequencer.RememberedOrders);

        // Half a retention period later f2 is rejected and told.
        clock.Advance(retention / 2);
        await orders.InsertAsync(NewOrder("f2"), Ct);
        await orders.ApplyAsync("f2", new VenueOrderReport(5, null, OrderStatus.Rejected, 0m, 0m, "insufficient balance"), Ct);
        running.Inbox.TouchOrder("f2");
        await running.WaitForAsync(e => Count(e, EventTypes.OrderState, "f2") == 1);
        Assert.Equal(3, running.Sequencer.RememberedOrders);

        // Just past one retention period after f1 was told: f1 is forgotten, f2 (told later) and k1 (open) are not.
        clock.Advance((retention / 2) + TimeSpan.FromSeconds(1));
        running.Inbox.Market(new MarketTick("BTCUSDT", 1m, 1, 1));
        await running.WaitForAsync(e => e.Any(x => x.Type == EventTypes.Market));
        await WaitUntilAsync(() => running.Sequencer.RememberedOrders == 2);

        // Past f2's period too: only the open order is remembered.
        clock.Advance(retention / 2);
        running.Inbox.Market(new MarketTick("BTCUSDT", 2m, 2, 2));
        await running.WaitForAsync(e => e.Count(x => x.Type == EventTypes.Market) == 2);
        await WaitUntilAsync(() => running.Sequencer.RememberedOrders == 1);
        Assert.Equal(1, Count(running.Sink.Events, EventTypes.OrderUpdate, "k1", "ACCEPTED"));
    }

    [Fact]
    public async Task A_change_whose_note_never_came_is_told_by_the_next_sweep_once_however_many_sweeps_see_it()
    {
        var (orders, clock, running) = await StartOnFakeClockAsync();
        await using var _ = running;

        // Stored, accepted and partly filled, but nobody touches it.
        await orders.InsertAsync(NewOrder("s1"), Ct);
        await orders.ApplyAllAsync("s1", [new OrderAcknowledged(2, "5"), new OrderFilled(3, "5", new OrderFill(77, 0.001m, 40000m, 3))], null, Ct);
        await Task.Delay(200, Ct);
        Assert.Equal(0, Count(running.Sink.Events, EventTypes.OrderState, "s1"));

        // Three sweeps see the row (each looks 30 s back); only the first tells it.
        for (var sweep = 1; sweep <= 3; sweep++)
        {
            clock.Advance(EventSequencer.SweepInterval);
            running.Inbox.Market(new MarketTick("BTCUSDT", sweep, sweep, sweep));
            await running.WaitForAsync(e => e.Count(x => x.Type == EventTypes.Market) == sweep);
        }

        var types = running.Sink.Events.Where(e => e.ClientOrderId == "s1").Select(e => e.Type + (e.OrderStatus is { } st ? ":" + st : string.Empty));
        Assert.Equal(["order_update:ACCEPTED", "fill", "order_update:PARTIALLY_FILLED", "order_state"], types);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met in 20 s");
            await Task.Delay(20, Ct);
        }
    }

    [Fact]
    public async Task Errors_of_one_kind_are_throttled_and_balances_are_told_only_when_they_change()
    {
        await using var running = await StartAsync(AzuriteFixture.NewStoragePrefix());
        running.Inbox.Error("market_source_error", "first");
        running.Inbox.Error("market_source_error", "second");
        running.Inbox.Error("binance_ws_error");
        running.Inbox.Account(1, [new AssetBalance("USDT", 100m, 0m), new AssetBalance("BTC", 0m, 0m)], full: true);
        await running.WaitForAsync(e => e.Count(x => x.Type == EventTypes.Error) == 2 && e.Any(x => x.Type == EventTypes.Account));
        running.Inbox.Account(2, [new AssetBalance("USDT", 100m, 0m), new AssetBalance("BTC", 0m, 0m)], full: true);
        running.Inbox.Account(3, [new AssetBalance("BTC", 1.5m, 0.25m)], full: false);
        await running.WaitForAsync(e => e.Count(x => x.Type == EventTypes.Account) >= 2);
        await Task.Delay(300, Ct);

        var events = running.Sink.Events;
        Assert.Equal(2, events.Count(e => e.Type == EventTypes.Error));
        var accounts = events.Where(e => e.Type == EventTypes.Account).ToList();
        Assert.Equal(2, accounts.Count);
        Assert.Equal("""{"type":"account","ts_ns":1,"balances":[{"asset":"USDT","free":100,"locked":0}]}""", accounts[0].Data);
        Assert.Equal("""{"type":"account","ts_ns":3,"balances":[{"asset":"BTC","free":1.5,"locked":0.25},{"asset":"USDT","free":100,"locked":0}]}""", accounts[1].Data);
    }
}
