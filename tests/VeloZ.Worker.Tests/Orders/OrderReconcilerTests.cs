using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using VeloZ.Binance.Rest;
using VeloZ.Domain.Configuration;
using VeloZ.Domain.Orders;
using VeloZ.Domain.Time;
using VeloZ.SimVenue;
using VeloZ.Storage;
using VeloZ.Testing;
using VeloZ.Worker.Orders;
using VeloZ.Worker.Status;
using VeloZ.Worker.Venue;

namespace VeloZ.Worker.Tests.Orders;

/// <summary>Reconciliation against the simulated venue with its fault injection, on Azurite.</summary>
public sealed class OrderReconcilerTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private SimVenueHandle _venue = null!;
    private BinanceClientPool _pool = null!;
    private OrderRepository _orders = null!;
    private OrderReconciler _reconciler = null!;
    private BinanceRestClient _client = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _venue = await SimVenueServer.StartAsync(new SimVenueOptions { PriceTickInterval = TimeSpan.Zero }, Ct);
        _venue.Market.SetPrice("BTCUSDT", 50000m);
        var options = new GatewayOptions { StorageConnectionString = new Secret(azurite.ConnectionString), StoragePrefix = AzuriteFixture.NewStoragePrefix() };
        var store = new TableStore(options);
        await store.EnsureCreatedAsync(Ct);
        _orders = new OrderRepository(store);
        _pool = new BinanceClientPool(new HttpClient(), TimeProvider.System, NullLoggerFactory.Instance);
        _client = _pool.For(_venue.RestBaseUri, SimVenueCredentials.ApiKey, SimVenueCredentials.ApiSecret);
        var state = new WorkerState(_clock);
        await using var simHost = new SimVenueHost(options, _clock, NullLoggerFactory.Instance, NullLogger<SimVenueHost>.Instance);
        var supervisor = new VenueSupervisor(options, simHost, _pool, state, _clock, NullLogger<VenueSupervisor>.Instance);
        _reconciler = new OrderReconciler(supervisor, options, _orders, new VeloZ.Worker.Events.EventInbox(_clock), state, _clock, NullLogger<OrderReconciler>.Instance);
    }

    public async ValueTask DisposeAsync()
    {
        _reconciler.Dispose();
        _pool.Dispose();
        await _venue.DisposeAsync();
    }

    /// <summary>What the API does: row first (PENDING), then the venue; the venue's answer is dropped here.</summary>
    private async Task<BinanceResult<BinanceOrder>> PlaceLikeTheApi(string id, decimal qty, decimal price, string side = "BUY")
    {
        Assert.True(await _orders.TryInsertAsync(OrderStateMachine.New(id, "BTCUSDT", side == "BUY" ? OrderSide.Buy : OrderSide.Sell, qty, price, _clock.NowNanos()), Ct));
        return await _client.PlaceLimitOrderAsync("BTCUSDT", side, qty, price, id, Ct);
    }

    private async Task<OrderState> Stored(string id) => (await _orders.GetAsync(id, Ct))!.Value.State;

    [Fact]
    public async Task An_order_whose_answer_was_lost_is_settled_from_the_venue()
    {
        _venue.Faults.FailNextOrders(1, OrderFaultKind.ServerError);
        Assert.Equal(BinanceOutcomeKind.Unknown, (await PlaceLikeTheApi("lost-1", 0.001m, 40000m)).Kind);
        Assert.Equal(OrderStatus.Pending, (await Stored("lost-1")).Status);

        Assert.Equal(1, await _reconciler.ReconcileOnceAsync(_client, Ct));

        var order = await Stored("lost-1");
        Assert.Equal(OrderStatus.Accepted, order.Status);
        Assert.False(string.IsNullOrEmpty(order.VenueOrderId));
        Assert.Equal(1, _venue.Counters.OrdersReceived);
    }

    [Fact]
    public async Task Fills_the_venue_made_while_nobody_listened_arrive_once()
    {
        _venue.Faults.FailNextOrders(1, OrderFaultKind.BackendTimeout);
        await PlaceLikeTheApi("lost-2", 1.5m, 50000.01m);
        _venue.Market.SetPrice("BTCUSDT", 49000m);

        await _reconciler.ReconcileOnceAsync(_client, Ct);
        var afterFirst = await Stored("lost-2");
        await _reconciler.ReconcileOnceAsync(_client, Ct);
        var afterSecond = await Stored("lost-2");

        Assert.Equal(OrderStatus.Filled, afterFirst.Status);
        Assert.Equal(1.5m, afterFirst.ExecutedQty);
        Assert.Equal(afterFirst.Fills.Count, afterFirst.Fills.Select(f => f.TradeId).Distinct().Count());
        Assert.Equal(1.5m, afterFirst.FilledQty);
        Assert.Equal(afterFirst, afterSecond);
    }

    [Fact]
    public async Task Trades_missed_on_an_order_already_final_are_recovered_from_myTrades_once()
    {
        var placed = await PlaceLikeTheApi("trades-1", 1.5m, 50000.01m);
        var venueId = placed.Value!.OrderId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await _orders.ApplyAsync("trades-1", new OrderAcknowledged(_clock.NowNanos(), venueId), Ct);
        _venue.Market.SetPrice("BTCUSDT", 49000m);
        var venueOrder = (await _client.GetOrderAsync("BTCUSDT", "trades-1", Ct)).Value!;
        Assert.Equal("FILLED", venueOrder.Status);
        // The final report arrived, the trade reports were lost: FILLED by the venue's totals, no fills known.
        await _orders.ApplyAsync("trades-1", new VenueOrderReport(_clock.NowNanos(), venueId, OrderStatus.Filled, venueOrder.ExecutedQty ?? 0m, venueOrder.CummulativeQuoteQty ?? 0m, null), Ct);
        Assert.Empty((await Stored("trades-1")).Fills);

        Assert.Equal(0, await _reconciler.ReconcileOnceAsync(_client, Ct));
        Assert.True(await _reconciler.ReconcileTradesAsync(_client, Ct) >= 1);
        var recovered = await Stored("trades-1");
        Assert.Equal(0, await _reconciler.ReconcileTradesAsync(_client, Ct));

        Assert.Equal(1.5m, recovered.FilledQty);
        Assert.Equal(recovered.Fills.Count, recovered.Fills.Select(f => f.TradeId).Distinct().Count());
        Assert.Equal(recovered, await Stored("trades-1"));
    }

    [Fact]
    public async Task A_pending_order_the_venue_never_got_is_rejected_only_after_the_grace_period()
    {
        Assert.True(await _orders.TryInsertAsync(OrderStateMachine.New("never-sent", "BTCUSDT", OrderSide.Buy, 0.001m, 40000m, _clock.NowNanos()), Ct));

        await _reconciler.ReconcileOnceAsync(_client, Ct);
        Assert.Equal(OrderStatus.Pending, (await Stored("never-sent")).Status);

        _clock.Advance(OrderReconciler.PendingGrace + TimeSpan.FromSeconds(1));
        await _reconciler.ReconcileOnceAsync(_client, Ct);

        var order = await Stored("never-sent");
        Assert.Equal(OrderStatus.Rejected, order.Status);
        Assert.StartsWith("not_placed", order.Reason, StringComparison.Ordinal);
        Assert.Equal(0, _venue.Counters.OrdersReceived);
    }

    [Fact]
    public async Task With_a_tenth_of_answers_lost_every_order_ends_in_the_venues_true_state_and_none_doubles()
    {
        _venue.Faults.OrderFaultRate = 0.1;
        _venue.Faults.OrderFaultKind = OrderFaultKind.ServerError;
        var ids = Enumerable.Range(0, 40).Select(i => $"tenth-{i:D2}").ToArray();
        foreach (var (id, i) in ids.Select((id, i) => (id, i)))
        {
            var result = await PlaceLikeTheApi(id, 0.01m, i % 2 == 0 ? 49990m : 50010m, i % 2 == 0 ? "BUY" : "SELL");
            if (result.IsSuccess)
            {
                var venueId = result.Value!.OrderId.ToString(System.Globalization.CultureInfo.InvariantCulture);
                await _orders.ApplyAsync(id, new OrderAcknowledged(_clock.NowNanos(), venueId), Ct);
            }
        }

        _venue.Faults.Reset();
        _venue.Market.SetPrice("BTCUSDT", 49980m);
        await _reconciler.ReconcileOnceAsync(_client, Ct);
        await _reconciler.ReconcileOnceAsync(_client, Ct);

        Assert.Equal(40, _venue.Counters.OrdersReceived);
        Assert.True(_venue.Counters.FaultsInjected > 0);
        foreach (var id in ids)
        {
            var truth = await _client.GetOrderAsync("BTCUSDT", id, Ct);
            Assert.True(BinanceOrderStatus.TryMap(truth.Value!.Status!, out var venueStatus));
            var ours = await Stored(id);
            Assert.Equal(venueStatus, ours.Status);
            Assert.Equal(truth.Value.ExecutedQty, ours.ExecutedQty);
            Assert.Equal(truth.Value.OrderId.ToString(System.Globalization.CultureInfo.InvariantCulture), ours.VenueOrderId);
        }
    }
}
