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
    private readonly VenueRequestLog _requests = new() { InnerHandler = new SocketsHttpHandler() };
    private SimVenueHandle _venue = null!;
    private GatewayOptions _options = null!;
    private TableStore _store = null!;
    private VenueSupervisor _supervisor = null!;
    private WorkerState _state = null!;
    private BinanceClientPool _pool = null!;
    private OrderRepository _orders = null!;
    private OrderReconciler _reconciler = null!;
    private BinanceRestClient _client = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _venue = await SimVenueServer.StartAsync(new SimVenueOptions { PriceTickInterval = TimeSpan.Zero }, Ct);
        _venue.Market.SetPrice("BTCUSDT", 50000m);
        _options = new GatewayOptions { Storage = new() { StorageConnectionString = new Secret(azurite.ConnectionString), StoragePrefix = AzuriteFixture.NewStoragePrefix() } };
        _store = new TableStore(_options.Storage);
        await _store.EnsureCreatedAsync(Ct);
        _orders = new OrderRepository(_store);
        _pool = new BinanceClientPool(new HttpClient(_requests), TimeProvider.System, NullLoggerFactory.Instance);
        _client = _pool.For(_venue.RestBaseUri, SimVenueCredentials.ApiKey, SimVenueCredentials.ApiSecret);
        _state = new WorkerState(_clock);
        await using var simHost = new SimVenueHost(_options, _clock, NullLoggerFactory.Instance, NullLogger<SimVenueHost>.Instance);
        _supervisor = new VenueSupervisor(_options.Venue, simHost, _pool, _state, _clock, NullLogger<VenueSupervisor>.Instance);
        _reconciler = NewReconciler();
    }

    /// <summary>A reconciler on the same storage, as a restarted worker has it.</summary>
    private OrderReconciler NewReconciler() =>
        new(_supervisor, _options.Market, _orders, new TradeCursorRepository(_store), new VeloZ.Worker.Events.EventInbox(_clock), _state, _clock, NullLogger<OrderReconciler>.Instance);

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

    [Fact]
    public async Task A_pending_order_is_declared_not_placed_only_after_its_send_by_deadline_plus_recv_window()
    {
        // A row whose send-by deadline lies well after the old fixed grace: the API may still send it until then.
        var sendBy = _clock.GetUtcNow().AddMilliseconds(_client.ServerClock.OffsetMs) + TimeSpan.FromSeconds(30);
        var order = OrderStateMachine.New("late-send", "BTCUSDT", OrderSide.Buy, 0.001m, 40000m, _clock.NowNanos()) with { SendByTsNs = UnixTime.ToUnixNanos(sendBy) };
        Assert.True(await _orders.TryInsertAsync(order, Ct));
        var recvWindow = TimeSpan.FromMilliseconds(_client.Options.RecvWindowMs);

        _clock.Advance(OrderReconciler.PendingGrace + TimeSpan.FromSeconds(1));
        await _reconciler.ReconcileOnceAsync(_client, Ct);
        Assert.Equal(OrderStatus.Pending, (await Stored("late-send")).Status);

        _clock.Advance(TimeSpan.FromSeconds(30) + recvWindow - OrderReconciler.PendingGrace - TimeSpan.FromSeconds(2));
        await _reconciler.ReconcileOnceAsync(_client, Ct);
        Assert.Equal(OrderStatus.Pending, (await Stored("late-send")).Status);

        _clock.Advance(TimeSpan.FromSeconds(2));
        await _reconciler.ReconcileOnceAsync(_client, Ct);
        var settled = await Stored("late-send");
        Assert.Equal(OrderStatus.Rejected, settled.Status);
        Assert.StartsWith("not_placed", settled.Reason, StringComparison.Ordinal);
        Assert.Equal(0, _venue.Counters.OrdersReceived);
    }

    [Fact]
    public async Task A_pending_order_sent_late_within_its_deadline_is_found_not_declared_not_placed()
    {
        var sendBy = _clock.GetUtcNow().AddMilliseconds(_client.ServerClock.OffsetMs) + TimeSpan.FromSeconds(30);
        var order = OrderStateMachine.New("sent-late", "BTCUSDT", OrderSide.Buy, 0.001m, 40000m, _clock.NowNanos()) with { SendByTsNs = UnixTime.ToUnixNanos(sendBy) };
        Assert.True(await _orders.TryInsertAsync(order, Ct));
        _clock.Advance(OrderReconciler.PendingGrace + TimeSpan.FromSeconds(1));
        await _reconciler.ReconcileOnceAsync(_client, Ct);

        // The API's send goes out now, before its deadline, and its answer is lost.
        Assert.True((await _client.PlaceLimitOrderAsync("BTCUSDT", "BUY", 0.001m, 40000m, "sent-late", Ct)).IsSuccess);
        await _reconciler.ReconcileOnceAsync(_client, Ct);

        Assert.Equal(OrderStatus.Accepted, (await Stored("sent-late")).Status);
    }

    [Fact]
    public async Task An_order_cancelled_while_nobody_listened_is_settled_by_its_venue_order_id()
    {
        var placed = await PlaceLikeTheApi("cancel-unseen", 0.001m, 40000m);
        await _orders.ApplyAsync("cancel-unseen", new OrderAcknowledged(_clock.NowNanos(), placed.Value!.OrderId.ToString(System.Globalization.CultureInfo.InvariantCulture)), Ct);
        // Cancelled at the venue, the answer lost: Binance gives the order a new client order id.
        var cancelled = await _client.CancelOrderAsync("BTCUSDT", "cancel-unseen", Ct);
        Assert.NotEqual("cancel-unseen", cancelled.Value!.ClientOrderId);

        Assert.Equal(1, await _reconciler.ReconcileOnceAsync(_client, Ct));

        Assert.Equal(OrderStatus.Cancelled, (await Stored("cancel-unseen")).Status);
    }

    [Fact]
    public async Task Open_orders_are_reconciled_with_one_openOrders_request_per_symbol()
    {
        var ids = Enumerable.Range(0, 12).Select(i => $"resting-{i:D2}").ToArray();
        foreach (var id in ids)
        {
            var placed = await PlaceLikeTheApi(id, 0.001m, 40000m);
            await _orders.ApplyAsync(id, new OrderAcknowledged(_clock.NowNanos(), placed.Value!.OrderId.ToString(System.Globalization.CultureInfo.InvariantCulture)), Ct);
        }

        // One of them filled at the venue, unseen: only that one is asked for on its own (and its trades).
        var filler = await PlaceLikeTheApi("fills-unseen", 0.001m, 50000.01m);
        await _orders.ApplyAsync("fills-unseen", new OrderAcknowledged(_clock.NowNanos(), filler.Value!.OrderId.ToString(System.Globalization.CultureInfo.InvariantCulture)), Ct);
        _venue.Market.SetPrice("BTCUSDT", 49000m);
        _requests.Clear();

        await _reconciler.ReconcileOnceAsync(_client, Ct);

        Assert.Equal(1, _requests.Count("GET", "/api/v3/openOrders"));
        Assert.Equal(1, _requests.Count("GET", "/api/v3/order"));
        Assert.Equal(1, _requests.Count("GET", "/api/v3/myTrades"));
        foreach (var id in ids)
        {
            Assert.Equal(OrderStatus.Accepted, (await Stored(id)).Status);
        }

        Assert.Equal(OrderStatus.Filled, (await Stored("fills-unseen")).Status);
    }

    [Fact]
    public async Task The_trade_cursor_continues_where_it_stopped_after_a_restart()
    {
        // Trades of an order VeloZ did not place move the cursor too: they are read once, not at every start.
        Assert.True((await _client.PlaceLimitOrderAsync("BTCUSDT", "BUY", 0.002m, 50000.01m, "not-veloz", Ct)).IsSuccess);
        _venue.Market.SetPrice("BTCUSDT", 49000m);
        Assert.Equal("FILLED", (await _client.GetOrderAsync("BTCUSDT", "not-veloz", Ct)).Value!.Status);
        var lastTrade = (await _client.GetMyTradesAsync("BTCUSDT", 1, 1000, Ct)).Value!.Max(t => t.Id);
        await _reconciler.ReconcileTradesAsync(_client, Ct);

        var restarted = NewReconciler();
        _requests.Clear();
        await restarted.ReconcileTradesAsync(_client, Ct);
        restarted.Dispose();

        var request = Assert.Single(_requests.Uris, u => u.AbsolutePath == "/api/v3/myTrades");
        Assert.Contains($"fromId={lastTrade + 1}&", request.Query, StringComparison.Ordinal);
    }
}

/// <summary>Records every request sent to the venue, to count them by method and path.</summary>
internal sealed class VenueRequestLog : DelegatingHandler
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<(string Method, Uri Uri)> _sent = new();

    public IEnumerable<Uri> Uris => _sent.Select(r => r.Uri);

    public int Count(string method, string path) => _sent.Count(r => r.Method == method && r.Uri.AbsolutePath == path);

    public void Clear() => _sent.Clear();

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        _sent.Enqueue((request.Method.Method, request.RequestUri!));
        return base.SendAsync(request, cancellationToken);
    }
}
