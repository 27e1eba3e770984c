using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using VeloZ.Domain.Configuration;
using VeloZ.SimVenue;
using VeloZ.Testing;

namespace VeloZ.Functions.Tests.Orders;

/// <summary>
/// The order endpoints in-process against a simulated venue standing in for the Binance testnet
/// (<c>binance_testnet_spot</c> pointed at it), with the venue's counters as the proof of what reached it.
/// </summary>
public sealed class OrderApiTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private SimVenueHandle _venue = null!;
    private StandaloneApi _api = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private HttpClient Client => _api.Client;

    public async ValueTask InitializeAsync()
    {
        _venue = await SimVenueServer.StartAsync(new SimVenueOptions { PriceTickInterval = TimeSpan.Zero }, Ct);
        _venue.Market.SetPrice("BTCUSDT", 50000m);
        _api = await StandaloneApi.StartAsync(Options());
    }

    public async ValueTask DisposeAsync()
    {
        await _api.DisposeAsync();
        await _venue.DisposeAsync();
    }

    private GatewayOptions Options(bool credentials = true) => new()
    {
        Storage = new()
        {
            StorageConnectionString = new Secret(azurite.ConnectionString),
            StoragePrefix = AzuriteFixture.NewStoragePrefix(),
        },
        Venue = new()
        {
            ExecutionMode = ExecutionMode.BinanceTestnetSpot,
            BinanceTradeBaseUrl = _venue.RestBaseUri,
            BinanceApiKey = credentials ? new Secret(SimApiKey.VeloZTestApiKey) : Secret.Empty,
            BinanceApiSecret = credentials ? new Secret(SimApiKey.VeloZTestSecretKey) : Secret.Empty,
        },
    };

    private async Task<(HttpStatusCode Status, JsonElement Body)> Post(string path, string json)
    {
        using var response = await Client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"), Ct);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        return (response.StatusCode, document.RootElement.Clone());
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> Get(string path)
    {
        using var response = await Client.GetAsync(path, Ct);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        return (response.StatusCode, document.RootElement.Clone());
    }

    private static string Order(string id, string side = "BUY", string qty = "0.001", string price = "40000.00") =>
        $$"""{"side":"{{side}}","symbol":"BTCUSDT","qty":{{qty}},"price":{{price}},"client_order_id":"{{id}}"}""";

    [Fact]
    public async Task The_seed_walkthrough_place_check_cancel_check()
    {
        var (placed, body) = await Post("/api/order", Order("my-order-001"));
        Assert.Equal(HttpStatusCode.OK, placed);
        Assert.True(body.GetProperty("ok").GetBoolean());
        Assert.Equal("my-order-001", body.GetProperty("client_order_id").GetString());
        var venueOrderId = body.GetProperty("venue_order_id").GetString();
        Assert.False(string.IsNullOrEmpty(venueOrderId));

        var (_, state) = await Get("/api/order_state?client_order_id=my-order-001");
        Assert.Equal(
            ["client_order_id", "symbol", "side", "order_qty", "limit_price", "venue_order_id", "status", "reason", "executed_qty", "avg_price", "last_ts_ns"],
            state.EnumerateObject().Select(p => p.Name));
        Assert.Equal("BTCUSDT", state.GetProperty("symbol").GetString());
        Assert.Equal("BUY", state.GetProperty("side").GetString());
        Assert.Equal(0.001m, state.GetProperty("order_qty").GetDecimal());
        Assert.Equal(40000.00m, state.GetProperty("limit_price").GetDecimal());
        Assert.Equal(venueOrderId, state.GetProperty("venue_order_id").GetString());
        Assert.Equal("ACCEPTED", state.GetProperty("status").GetString());
        Assert.Equal(0m, state.GetProperty("executed_qty").GetDecimal());
        Assert.Equal(JsonValueKind.Null, state.GetProperty("avg_price").ValueKind);

        var (cancelled, cancelBody) = await Post("/api/cancel", """{"client_order_id":"my-order-001","symbol":"BTCUSDT"}""");
        Assert.Equal(HttpStatusCode.OK, cancelled);
        Assert.Equal("""{"ok":true,"client_order_id":"my-order-001"}""", cancelBody.GetRawText());
        Assert.Equal("CANCELLED", (await Get("/api/order_state?client_order_id=my-order-001")).Body.GetProperty("status").GetString());

        var (again, againBody) = await Post("/api/cancel", """{"client_order_id":"my-order-001"}""");
        Assert.Equal(HttpStatusCode.Conflict, again);
        Assert.Equal("order_not_open", againBody.GetProperty("error").GetString());
        Assert.Equal(1, _venue.Counters.OrdersReceived);
    }

    [Fact]
    public async Task An_order_that_crosses_fills_with_the_weighted_average_price()
    {
        var (status, body) = await Post("/api/order", Order("crossing", qty: "0.5", price: "60000.00"));

        Assert.Equal(HttpStatusCode.OK, status);
        var state = (await Get("/api/order_state?client_order_id=crossing")).Body;
        Assert.Equal("FILLED", state.GetProperty("status").GetString());
        Assert.Equal(0.5m, state.GetProperty("executed_qty").GetDecimal());
        Assert.True(state.GetProperty("avg_price").GetDecimal() <= 60000m);
        Assert.Equal(body.GetProperty("venue_order_id").GetString(), state.GetProperty("venue_order_id").GetString());
    }

    [Fact]
    public async Task The_same_client_order_id_never_makes_a_second_venue_order()
    {
        var first = await Post("/api/order", Order("dup-1"));
        var second = await Post("/api/order", Order("dup-1"));
        var different = await Post("/api/order", Order("dup-1", qty: "0.002"));

        Assert.Equal(HttpStatusCode.OK, second.Status);
        Assert.Equal(first.Body.GetProperty("venue_order_id").GetString(), second.Body.GetProperty("venue_order_id").GetString());
        Assert.Equal(HttpStatusCode.Conflict, different.Status);
        Assert.Equal("duplicate_client_order_id", different.Body.GetProperty("error").GetString());
        Assert.Equal(1, _venue.Counters.OrdersReceived);
    }

    [Fact]
    public async Task Two_hundred_concurrent_posts_with_fifty_ids_make_fifty_venue_orders()
    {
        var ids = Enumerable.Range(0, 50).Select(i => $"burst-{i:D2}").ToArray();
        var posts = Enumerable.Range(0, 200).Select(i => Post("/api/order", Order(ids[i % 50])));

        var results = await Task.WhenAll(posts);

        Assert.Equal(50, _venue.Counters.OrdersReceived);
        Assert.All(results, r => Assert.True(r.Status is HttpStatusCode.OK or HttpStatusCode.Conflict, $"{r.Status}: {r.Body}"));
        Assert.Equal(50, results.Where(r => r.Status == HttpStatusCode.OK).Select(r => r.Body.GetProperty("client_order_id").GetString()).Distinct().Count());
    }

    [Fact]
    public async Task A_filter_violation_is_refused_before_the_venue_and_names_the_filter()
    {
        var (status, body) = await Post("/api/order", Order("bad-tick", price: "40000.001"));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("filter_violation", body.GetProperty("error").GetString());
        Assert.Equal("PRICE_FILTER", body.GetProperty("filter").GetString());
        Assert.Equal(0, _venue.Counters.OrdersReceived);
        Assert.Equal(HttpStatusCode.NotFound, (await Get("/api/order_state?client_order_id=bad-tick")).Status);
    }

    [Fact]
    public async Task A_venue_rejection_carries_binance_code_and_makes_the_order_rejected()
    {
        var (status, body) = await Post("/api/order", Order("too-big", qty: "100", price: "40000"));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("venue_rejected", body.GetProperty("error").GetString());
        Assert.Equal(-2010, body.GetProperty("code").GetInt32());
        Assert.Contains("insufficient balance", body.GetProperty("message").GetString(), StringComparison.Ordinal);
        var state = (await Get("/api/order_state?client_order_id=too-big")).Body;
        Assert.Equal("REJECTED", state.GetProperty("status").GetString());
        Assert.Contains("-2010", state.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_lost_answer_is_status_unknown_and_the_order_stays_pending_without_a_resend()
    {
        _venue.Faults.FailNextOrders(1, OrderFaultKind.ServerError);

        var (status, body) = await Post("/api/order", Order("lost-answer"));

        Assert.Equal(HttpStatusCode.BadGateway, status);
        Assert.Equal("status_unknown", body.GetProperty("error").GetString());
        Assert.Equal("PENDING", (await Get("/api/order_state?client_order_id=lost-answer")).Body.GetProperty("status").GetString());
        Assert.Equal(1, _venue.Counters.OrdersReceived);
        Assert.Equal(1, _venue.Counters.OrdersExecuted);
    }

    [Fact]
    public async Task An_order_that_cannot_be_sent_before_its_send_by_deadline_is_refused_unsent()
    {
        Assert.Equal(HttpStatusCode.OK, (await Post("/api/order", Order("before-jump"))).Status);
        // The venue's clock jumps ahead: the next order's first send is refused (-1021) and the resend after the
        // clock resync would carry a timestamp past the order's send-by deadline.
        _venue.Faults.ClockSkew = TimeSpan.FromSeconds(30);

        var (status, body) = await Post("/api/order", Order("after-jump"));

        Assert.Equal(HttpStatusCode.InternalServerError, status);
        Assert.Equal("execution_unavailable", body.GetProperty("error").GetString());
        var (_, state) = await Get("/api/order_state?client_order_id=after-jump");
        Assert.Equal("REJECTED", state.GetProperty("status").GetString());
        Assert.StartsWith("not_sent", state.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, _venue.Counters.OrdersExecuted);
    }

    [Fact]
    public async Task The_first_order_on_a_venue_with_a_skewed_clock_goes_through()
    {
        _venue.Faults.ClockSkew = TimeSpan.FromSeconds(30);

        var (status, _) = await Post("/api/order", Order("first-skewed"));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(1, _venue.Counters.OrdersExecuted);
    }

    [Fact]
    public async Task Without_credentials_orders_and_ping_say_binance_not_configured()
    {
        await using var api = await StandaloneApi.StartAsync(Options(credentials: false));

        using var order = await api.Client.PostAsync("/api/order", new StringContent(Order("x-1"), Encoding.UTF8, "application/json"), Ct);
        var ping = await api.Client.GetStringAsync("/api/execution/ping", Ct);

        Assert.Equal(HttpStatusCode.BadRequest, order.StatusCode);
        Assert.Equal("binance_not_configured", JsonDocument.Parse(await order.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("error").GetString());
        Assert.Equal("""{"ok":false,"error":"binance_not_configured"}""", ping);
        Assert.Equal(0, _venue.Counters.OrdersReceived);
    }

    [Fact]
    public async Task Ping_reaches_the_venue()
    {
        Assert.Equal("""{"ok":true,"result":{}}""", await Client.GetStringAsync("/api/execution/ping", Ct));
    }

    [Fact]
    public async Task Order_state_needs_a_valid_id_and_knows_unknown_ones()
    {
        var missing = await Get("/api/order_state");
        var invalid = await Get("/api/order_state?client_order_id=bad.id");
        var unknown = await Get("/api/order_state?client_order_id=never-placed");

        Assert.Equal((HttpStatusCode.BadRequest, "client_order_id"), (missing.Status, missing.Body.GetProperty("field").GetString()));
        Assert.Equal(HttpStatusCode.BadRequest, invalid.Status);
        Assert.Equal((HttpStatusCode.NotFound, "not_found"), (unknown.Status, unknown.Body.GetProperty("error").GetString()));
        Assert.Equal(HttpStatusCode.NotFound, (await Post("/api/cancel", """{"client_order_id":"never-placed"}""")).Status);
    }

    [Fact]
    public async Task Bad_bodies_never_reach_the_venue()
    {
        var badJson = await Post("/api/order", "{\"side\":");
        var badField = await Post("/api/order", """{"side":"BUY","symbol":"BTCUSDT","qty":-1,"price":1}""");

        Assert.Equal((HttpStatusCode.BadRequest, "bad_json"), (badJson.Status, badJson.Body.GetProperty("error").GetString()));
        Assert.Equal((HttpStatusCode.BadRequest, "bad_params", "qty"), (badField.Status, badField.Body.GetProperty("error").GetString(), badField.Body.GetProperty("field").GetString()));
        Assert.Equal(0, _venue.Counters.OrdersReceived);
    }

    [Fact]
    public async Task A_price_with_more_digits_than_a_decimal_holds_is_refused_before_the_venue()
    {
        var (status, body) = await Post("/api/order", """{"side":"BUY","symbol":"BTCUSDT","qty":0.001,"price":"40000.0000000000000000000000001"}""");

        Assert.Equal((HttpStatusCode.BadRequest, "bad_params", "price"), (status, body.GetProperty("error").GetString(), body.GetProperty("field").GetString()));
        Assert.Equal(0, _venue.Counters.OrdersReceived);
    }

    [Fact]
    public async Task Orders_reach_the_venue_at_the_symbols_tick_and_step_scale()
    {
        var (status, body) = await Post("/api/order", Order("scaled", qty: "0.00100000", price: "40000.10000000"));

        Assert.Equal(HttpStatusCode.OK, status);
        var state = (await Get("/api/order_state?client_order_id=scaled")).Body;
        Assert.Equal(40000.1m, state.GetProperty("limit_price").GetDecimal());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("venue_order_id").GetString()));
    }

    [Fact]
    public async Task Generated_ids_are_valid_and_orders_list_in_orders_state()
    {
        var (_, placed) = await Post("/api/order", """{"side":"SELL","symbol":"BTCUSDT","qty":0.001,"price":70000}""");
        var id = placed.GetProperty("client_order_id").GetString()!;

        var items = (await Get("/api/orders_state")).Body.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("client_order_id").GetString());

        Assert.Matches("^[a-zA-Z0-9-_]{1,36}$", id);
        Assert.Contains(id, items);
    }
}
