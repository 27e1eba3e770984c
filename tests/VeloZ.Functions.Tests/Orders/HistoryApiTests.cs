using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using VeloZ.Domain.Orders;
using VeloZ.SimVenue;
using VeloZ.Storage;
using VeloZ.Testing;

namespace VeloZ.Functions.Tests.Orders;

/// <summary>
/// <c>GET /api/orders_state</c> with paging and filters, the seed answer without them, and <c>GET /api/fills</c>, through
/// the API against stored orders and an order filled by the simulated venue (its commission in the asset received).
/// </summary>
public sealed class HistoryApiTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const long T0 = 1_780_000_000_000_000_000;

    private VenueBackedApi _backed = null!;
    private SimVenueHandle _venue = null!;
    private StandaloneApi _api = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _backed = await VenueBackedApi.StartAsync(azurite, Ct);
        _venue = _backed.Venue;
        _api = _backed.Api;
    }

    public async ValueTask DisposeAsync() => await _backed.DisposeAsync();

    private async Task<(HttpStatusCode Status, JsonElement Body)> Get(string path)
    {
        using var response = await _api.Client.GetAsync(path, Ct);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        return (response.StatusCode, document.RootElement.Clone());
    }

    /// <summary>Orders o-0..o-(count-1) created one µs apart, each last changed in the reverse order; odd ones ETHUSDT and filled in two trades.</summary>
    private async Task<OrderState[]> Store(int count)
    {
        var repository = _api.Services.GetRequiredService<OrderRepository>();
        var orders = Enumerable.Range(0, count).Select(i =>
        {
            var created = T0 + (i * 1_000L);
            var order = OrderStateMachine.New($"o-{i}", i % 2 == 1 ? "ETHUSDT" : "BTCUSDT", OrderSide.Sell, 2m, 3_000m, created);
            order = OrderStateMachine.Apply(order, new OrderAcknowledged(created + 1, $"{500 + i}")).State;
            if (i % 2 == 1)
            {
                order = OrderStateMachine.Apply(order, new OrderFilled(created + 2, $"{500 + i}", new OrderFill(10L * i, 1.5m, 3_000.5m, created + 2, 4.50075m, "USDT"))).State;
                order = OrderStateMachine.Apply(order, new OrderFilled(created + 3, $"{500 + i}", new OrderFill((10L * i) + 1, 0.5m, 3_001m, created + 3, 1.5005m, "USDT"))).State;
            }

            // The last change runs backwards to the creation, so the seed order (oldest change first) differs from the paged one.
            return order with { LastTsNs = T0 + ((count - i) * 1_000_000L) };
        }).ToArray();
        Assert.All(await Task.WhenAll(orders.Select(o => repository.TryInsertAsync(o, Ct))), Assert.True);
        return orders;
    }

    private static string[] Ids(JsonElement body) => [.. body.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("client_order_id").GetString()!)];

    [Fact]
    public async Task Without_paging_parameters_the_seed_answer_lists_every_order_oldest_change_first()
    {
        await Store(7);

        var (status, body) = await Get("/api/orders_state");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(["items"], body.EnumerateObject().Select(p => p.Name));
        Assert.Equal(["o-6", "o-5", "o-4", "o-3", "o-2", "o-1", "o-0"], Ids(body));
    }

    [Fact]
    public async Task Pages_come_newest_first_and_the_cursor_walks_them_to_a_null_end()
    {
        await Store(7);

        var (status, first) = await Get("/api/orders_state?limit=3");
        var second = (await Get($"/api/orders_state?limit=3&cursor={first.GetProperty("next_cursor").GetString()}")).Body;
        var third = (await Get($"/api/orders_state?limit=3&cursor={second.GetProperty("next_cursor").GetString()}")).Body;

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(["o-6", "o-5", "o-4"], Ids(first));
        Assert.Equal(["o-3", "o-2", "o-1"], Ids(second));
        Assert.Equal(["o-0"], Ids(third));
        Assert.Equal(JsonValueKind.Null, third.GetProperty("next_cursor").ValueKind);
        Assert.Equal(
            ["client_order_id", "symbol", "side", "order_qty", "limit_price", "venue_order_id", "status", "reason", "executed_qty", "avg_price", "last_ts_ns"],
            first.GetProperty("items")[0].EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task Symbol_status_in_any_case_and_since_filter_the_page()
    {
        var orders = await Store(9);

        var (status, body) = await Get($"/api/orders_state?symbol=ethusdt&status=filled,Cancelled&since={orders[3].CreatedTsNs}");
        var accepted = (await Get("/api/orders_state?status=ACCEPTED")).Body;

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(["o-7", "o-5", "o-3"], Ids(body));
        Assert.All(body.GetProperty("items").EnumerateArray(), i => Assert.Equal("FILLED", i.GetProperty("status").GetString()));
        Assert.Equal(["o-8", "o-6", "o-4", "o-2", "o-0"], Ids(accepted));
    }

    [Theory]
    [InlineData("/api/orders_state?limit=0", "limit")]
    [InlineData("/api/orders_state?limit=1001", "limit")]
    [InlineData("/api/orders_state?limit=ten", "limit")]
    [InlineData("/api/orders_state?limit=", "limit")]
    [InlineData("/api/orders_state?limit=1&limit=2", "limit")]
    [InlineData("/api/orders_state?since=-1", "since")]
    [InlineData("/api/orders_state?since=1e9", "since")]
    [InlineData("/api/orders_state?since=99999999999999999999", "since")]
    [InlineData("/api/orders_state?status=DONE", "status")]
    [InlineData("/api/orders_state?status=FILLED,,", "status")]
    [InlineData("/api/orders_state?symbol=BTC-USDT", "symbol")]
    [InlineData("/api/orders_state?cursor=not-a-cursor", "cursor")]
    [InlineData("/api/orders_state?cursor=", "cursor")]
    [InlineData("/api/orders_state?cursor=Zi4xLmEuMS4y", "cursor")]
    [InlineData("/api/fills?limit=0", "limit")]
    [InlineData("/api/fills?cursor=by4xLmE", "cursor")]
    [InlineData("/api/fills?client_order_id=o-1&symbol=ETHUSDT", "symbol")]
    [InlineData("/api/fills?client_order_id=o-1&limit=5", "limit")]
    [InlineData("/api/fills?client_order_id=bad%20id", "client_order_id")]
    [InlineData("/api/fills?client_order_id=", "client_order_id")]
    [InlineData("/api/fills?client_order_id=a&client_order_id=b", "client_order_id")]
    public async Task A_bad_parameter_is_bad_params_naming_it(string path, string field)
    {
        var (status, body) = await Get(path);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("bad_params", body.GetProperty("error").GetString());
        Assert.Equal(field, body.GetProperty("field").GetString());
    }

    [Fact]
    public async Task Fills_of_one_order_carry_its_commission_and_an_unknown_order_is_not_found()
    {
        await Store(3);

        var (status, body) = await Get("/api/fills?client_order_id=o-1");
        var (missingStatus, missing) = await Get("/api/fills?client_order_id=nobody");
        var (noneStatus, none) = await Get("/api/fills?client_order_id=o-0");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(
            """{"items":[{"client_order_id":"o-1","venue_order_id":"501","symbol":"ETHUSDT","side":"SELL","trade_id":11,"qty":0.5,"price":3001,"commission":1.5005,"commission_asset":"USDT","ts_ns":1780000000000001003},"""
            + """{"client_order_id":"o-1","venue_order_id":"501","symbol":"ETHUSDT","side":"SELL","trade_id":10,"qty":1.5,"price":3000.5,"commission":4.50075,"commission_asset":"USDT","ts_ns":1780000000000001002}],"next_cursor":null}""",
            body.GetRawText());
        Assert.Equal((HttpStatusCode.NotFound, "not_found"), (missingStatus, missing.GetProperty("error").GetString()));
        Assert.Equal(HttpStatusCode.OK, noneStatus);
        Assert.Empty(none.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Fills_page_across_orders_newest_first_and_split_an_order_between_pages()
    {
        await Store(8);

        var first = (await Get("/api/fills?symbol=ETHUSDT&limit=3")).Body;
        var second = (await Get($"/api/fills?symbol=ETHUSDT&limit=3&cursor={first.GetProperty("next_cursor").GetString()}")).Body;
        var third = (await Get($"/api/fills?symbol=ETHUSDT&limit=3&cursor={second.GetProperty("next_cursor").GetString()}")).Body;
        var everything = (await Get("/api/fills")).Body;

        static string[] Trades(JsonElement body) => [.. body.GetProperty("items").EnumerateArray().Select(i => $"{i.GetProperty("client_order_id").GetString()}/{i.GetProperty("trade_id").GetInt64()}")];
        Assert.Equal(["o-7/71", "o-7/70", "o-5/51"], Trades(first));
        Assert.Equal(["o-5/50", "o-3/31", "o-3/30"], Trades(second));
        Assert.Equal(["o-1/11", "o-1/10"], Trades(third));
        Assert.Equal(JsonValueKind.Null, third.GetProperty("next_cursor").ValueKind);
        Assert.Equal([.. Trades(first), .. Trades(second), .. Trades(third)], Trades(everything));
    }

    [Fact]
    public async Task An_order_filled_by_the_venue_shows_its_fill_with_the_venues_commission()
    {
        // The simulated venue's ask is 50,000.01: a buy at 50,100 takes it at once, 0.1 % commission in BTC.
        using var placed = await _api.Client.PostAsync(
            "/api/order",
            new StringContent("""{"side":"BUY","symbol":"BTCUSDT","qty":0.002,"price":50100,"client_order_id":"taker-1"}""", Encoding.UTF8, "application/json"),
            Ct);
        Assert.Equal(HttpStatusCode.OK, placed.StatusCode);

        var (status, body) = await Get("/api/fills?client_order_id=taker-1");

        Assert.Equal(HttpStatusCode.OK, status);
        var fill = Assert.Single(body.GetProperty("items").EnumerateArray());
        Assert.Equal(0.002m, fill.GetProperty("qty").GetDecimal());
        Assert.Equal(50_000.01m, fill.GetProperty("price").GetDecimal());
        Assert.Equal(0.000002m, fill.GetProperty("commission").GetDecimal());
        Assert.Equal("BTC", fill.GetProperty("commission_asset").GetString());
        Assert.Equal("BUY", fill.GetProperty("side").GetString());
        Assert.Equal(["taker-1"], Ids((await Get("/api/fills?symbol=BTCUSDT")).Body));
    }
}
