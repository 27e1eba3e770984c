using System.Collections.Concurrent;
using System.Diagnostics;
using Azure.Core;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging.Abstractions;
using VeloZ.Domain.Configuration;
using VeloZ.Domain.Events;
using VeloZ.Domain.Orders;
using VeloZ.Domain.Time;
using VeloZ.Storage;
using VeloZ.Storage.Leadership;
using VeloZ.Storage.Tests;
using VeloZ.Testing;
using VeloZ.Worker.Events;
using VeloZ.Worker.Leadership;
using VeloZ.Worker.Status;

namespace VeloZ.Worker.Tests.Events;

/// <summary>What a new leader's event sequencer takes over from the previous one, on Azurite.</summary>
public sealed class EventSequencerFailoverTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly StorageOptions _options = new()
    {
        StorageConnectionString = new Secret(azurite.ConnectionString),
        StoragePrefix = AzuriteFixture.NewStoragePrefix(),
    };

    private readonly CapturingSink _sink = new();
    private TableStore _store = null!;
    private OrderRepository _orders = null!;
    private EventLogRepository _log = null!;
    private SequencerRepository _reservations = null!;
    private WorkerLease? _lease;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _store = new TableStore(_options);
        await _store.EnsureCreatedAsync(Ct);
        _orders = new OrderRepository(_store);
        _log = new EventLogRepository(_store);
        _reservations = new SequencerRepository(_store);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task Order_events_the_previous_leader_logged_but_died_before_copying_to_recent_are_not_told_again()
    {
        // The previous leader reserved ids through 1000, logged the acceptance as events 5 and 6, and was killed
        // before it wrote them to the recent table (a resuming client can already have read them).
        var told = await AcceptedOrderAsync("told-before-crash");
        await _reservations.TryReserveAsync(1000, null, "dead-worker", Ct);
        GatewayEvent[] logged =
        [
            EventPayloads.OrderUpdate(told, told.LastTsNs) with { Id = 5 },
            EventPayloads.OrderStateSnapshot(told) with { Id = 6 },
        ];
        await _log.AppendAsync(logged, Ct);
        await DeleteRecentRowsAsync();
        Assert.Empty(await _log.ReadRecentOrderEventsAsync(10, Ct));
        var untold = await AcceptedOrderAsync("placed-while-no-worker-ran");

        var (sequencer, inbox) = NewSequencer(await LeadingAsync());
        await sequencer.StartAsync(Ct);
        await sequencer.Ready.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        inbox.TouchOrders([told.ClientOrderId, untold.ClientOrderId]);
        await EventuallyAsync(() => _sink.Events.Any(e => e.ClientOrderId == untold.ClientOrderId && e.Type == EventTypes.OrderUpdate));
        await Task.Delay(500, Ct);
        await sequencer.StopAsync(Ct);

        Assert.DoesNotContain(_sink.Events, e => e.ClientOrderId == told.ClientOrderId);
        var untoldUpdate = Assert.Single(_sink.Events, e => e.ClientOrderId == untold.ClientOrderId && e.Type == EventTypes.OrderUpdate);
        Assert.Equal("ACCEPTED", untoldUpdate.OrderStatus);
        Assert.True(untoldUpdate.Id > 1000, $"new ids start above the previous reservation, got {untoldUpdate.Id}");
        // The recent table (GET /api/orders) was repaired.
        Assert.Contains(await _log.ReadRecentOrderEventsAsync(10, Ct), e => e.Id == 5 && e.ClientOrderId == told.ClientOrderId);
    }

    [Fact]
    public async Task A_leader_hands_back_unused_ids_at_stop_but_a_worker_that_lost_leadership_does_not()
    {
        var (leaderSequencer, _) = NewSequencer(await LeadingAsync());
        await leaderSequencer.StartAsync(Ct);
        await leaderSequencer.Ready.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        var next = leaderSequencer.NextId;
        await leaderSequencer.StopAsync(Ct);
        Assert.Equal(next - 1, (await _reservations.ReadAsync(Ct)).ReservedThrough);

        var lost = await LeadingAsync();
        var (formerLeaderSequencer, _) = NewSequencer(lost);
        await formerLeaderSequencer.StartAsync(Ct);
        await formerLeaderSequencer.Ready.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        var reserved = (await _reservations.ReadAsync(Ct)).ReservedThrough;
        Assert.Equal(formerLeaderSequencer.NextId + EventSequencer.BlockSize, reserved);
        lost.Set(false);
        await formerLeaderSequencer.StopAsync(Ct);

        // Untouched: another worker may already have read the row.
        Assert.Equal(reserved, (await _reservations.ReadAsync(Ct)).ReservedThrough);
    }

    [Fact]
    public async Task A_worker_whose_lease_ended_logs_and_publishes_no_further_event()
    {
        var leaseClock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        var lease = WorkerLease.Create(_options, leaseClock);
        Assert.True(await lease.TryAcquireAsync(Ct));
        var leadership = new WorkerLeadership(lease);
        leadership.Set(true);
        var (sequencer, inbox) = NewSequencer(leadership);
        await sequencer.StartAsync(Ct);
        await sequencer.Ready.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        var before = await AcceptedOrderAsync("told-while-leading");
        inbox.TouchOrder(before.ClientOrderId);
        await EventuallyAsync(() => _sink.Events.Any(e => e.ClientOrderId == before.ClientOrderId && e.Type == EventTypes.OrderState));

        // The lease reaches its work deadline with no renewal (well within the block of ids reserved at start).
        leaseClock.Advance(lease.Options.Duration - lease.Options.SafetyMargin);
        var after = await AcceptedOrderAsync("changed-after-the-lease-ended");
        inbox.TouchOrder(after.ClientOrderId);

        Assert.Equal("the event sequencer found the lease no longer held", await leadership.Abdication.WaitAsync(TimeSpan.FromSeconds(20), Ct));
        await sequencer.StopAsync(Ct);
        Assert.DoesNotContain(_sink.Events, e => e.ClientOrderId == after.ClientOrderId);
        var logged = await _log.ReadRangeAsync(0, sequencer.NextId + EventSequencer.BlockSize, Ct);
        Assert.Contains(logged, e => e.ClientOrderId == before.ClientOrderId);
        Assert.DoesNotContain(logged, e => e.ClientOrderId == after.ClientOrderId);
    }

    [Fact]
    public async Task A_reservation_whose_answer_was_lost_neither_deposes_the_sequencer_nor_reuses_ids()
    {
        // The previous leader reserved ids through 1000.
        Assert.NotNull(await _reservations.TryReserveAsync(1000, null, "previous-worker", Ct));
        var lost = new LostAnswers(r => r.Uri.Path.Contains(TableStore.StatusTable, StringComparison.Ordinal));
        var store = new TableStore(_options, StorageConnection.FromOptions(_options), o => o.AddPolicy(lost, HttpPipelinePosition.PerRetry));
        var leadership = await LeadingAsync();
        var (sequencer, inbox) = NewSequencer(leadership, store);

        // The answer to the new leader's first reservation (an ETag-checked write that lands) is lost.
        lost.DropNextAnswer();
        await sequencer.StartAsync(Ct);
        await sequencer.Ready.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        var order = await AcceptedOrderAsync("told-after-the-lost-answer");
        inbox.TouchOrder(order.ClientOrderId);
        await EventuallyAsync(() => _sink.Events.Any(e => e.ClientOrderId == order.ClientOrderId && e.Type == EventTypes.OrderState));

        Assert.Equal(1, lost.Dropped);
        Assert.False(leadership.Abdication.IsCompleted);
        var (reserved, _) = await _reservations.ReadAsync(Ct);
        Assert.All(_sink.Events, e => Assert.InRange(e.Id, 1001, reserved));
        await sequencer.StopAsync(Ct);
    }

    /// <summary>This test's worker, leading: the lease is held (acquiring again with the same id renews it).</summary>
    private async Task<WorkerLeadership> LeadingAsync()
    {
        _lease ??= WorkerLease.Create(_options, TimeProvider.System);
        Assert.True(await _lease.TryAcquireAsync(Ct));
        var leadership = new WorkerLeadership(_lease);
        leadership.Set(true);
        return leadership;
    }

    private (EventSequencer Sequencer, EventInbox Inbox) NewSequencer(WorkerLeadership leadership, TableStore? store = null)
    {
        var inbox = new EventInbox(TimeProvider.System);
        var sequencer = new EventSequencer(
            inbox,
            store is null ? _reservations : new SequencerRepository(store),
            store is null ? _log : new EventLogRepository(store),
            store is null ? _orders : new OrderRepository(store),
            _sink,
            new WorkerState(TimeProvider.System),
            leadership,
            _options,
            TimeProvider.System,
            NullLogger<EventSequencer>.Instance);
        return (sequencer, inbox);
    }

    private async Task<OrderState> AcceptedOrderAsync(string clientOrderId)
    {
        var now = UnixTime.ToUnixNanos(DateTimeOffset.UtcNow);
        var order = OrderStateMachine.New(clientOrderId, "BTCUSDT", OrderSide.Buy, 0.001m, 10000m, now);
        order = OrderStateMachine.Apply(order, new OrderAcknowledged(now, "4242")).State;
        Assert.True(await _orders.TryInsertAsync(order, Ct));
        return order;
    }

    private async Task DeleteRecentRowsAsync()
    {
        var recent = new TableClient(azurite.ConnectionString, _options.StoragePrefix + TableStore.RecentTable);
        await foreach (var row in recent.QueryAsync<TableEntity>(cancellationToken: Ct))
        {
            await recent.DeleteEntityAsync(row.PartitionKey, row.RowKey, cancellationToken: Ct);
        }
    }

    private static async Task EventuallyAsync(Func<bool> condition)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), "condition not met in time");
            await Task.Delay(50, Ct);
        }
    }

    private sealed class CapturingSink : IEventSink
    {
        private readonly ConcurrentQueue<GatewayEvent> _events = new();

        public IReadOnlyList<GatewayEvent> Events => [.. _events];

        public Task PublishAsync(IReadOnlyList<GatewayEvent> events, CancellationToken cancellationToken)
        {
            foreach (var e in events)
            {
                _events.Enqueue(e);
            }

            return Task.CompletedTask;
        }
    }
}
