using System.Net;
using System.Text;
using System.Text.Json;
using VeloZ.SimVenue;
using VeloZ.Testing;

namespace VeloZ.Functions.Tests.Orders;

/// <summary>
/// Every order type through the API against the simulated venue (BTCUSDT held at 50,000, one BTC of liquidity
/// per side): what the venue did is what the order's state says, and a request an order cannot have never
/// reaches the venue.
/// </summary>
public sealed class OrderTypesApiTests(AzuriteFixture azurite) : IAsyncLifetime
{
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

    [Fact]
    public async Task A_market_order_by_quantity_fills_at_the_market_and_has_no_limit_price()
    {
        var state = await PlaceAndReadAsync("""{"type":"market","side":"BUY","symbol":"BTCUSDT","qty":0.01,"client_order_id":"mkt-qty"}""");

        Assert.Equal("FILLED", state.GetProperty("status").GetString());
        Assert.Equal("MARKET", state.GetProperty("order_type").GetString());
        Assert.False(state.TryGetProperty("time_in_force", out _), "a MARKET order has no time in force");
        Assert.Equal(JsonValueKind.Null, state.GetProperty("limit_price").ValueKind);
        Assert.Equal(0.01m, state.GetProperty("order_qty").GetDecimal());
        Assert.Equal(0.01m, state.GetProperty("executed_qty").GetDecimal());
        Assert.Equal(_venue.Market.GetPrice("BTCUSDT") + 0.01m, state.GetProperty("avg_price").GetDecimal());
    }

    [Fact]
    public async Task A_market_order_by_quote_amount_spends_at_most_that_amount()
    {
        var state = await PlaceAndReadAsync("""{"type":"MARKET","side":"BUY","symbol":"BTCUSDT","quote_qty":"1000","client_order_id":"mkt-quote"}""");

        Assert.Equal("FILLED", state.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, state.GetProperty("order_qty").ValueKind);
        Assert.Equal(1000m, state.GetProperty("quote_order_qty").GetDecimal());
        var executed = state.GetProperty("executed_qty").GetDecimal();
        var spent = executed * state.GetProperty("avg_price").GetDecimal();
        Assert.True(executed > 0m, "something executed");
        Assert.True(spent <= 1000m, $"spent {spent}");
        Assert.True(spent > 1000m - (0.00001m * 50_001m), $"spent {spent}: at most one step short of the amount");
    }

    [Fact]
    public async Task An_ioc_limit_that_cannot_execute_expires_without_a_fill()
    {
        var state = await PlaceAndReadAsync("""{"side":"BUY","symbol":"BTCUSDT","qty":0.01,"price":40000,"time_in_force":"IOC","client_order_id":"ioc-away"}""");

        Assert.Equal("EXPIRED", state.GetProperty("status").GetString());
        Assert.Equal("LIMIT", state.GetProperty("order_type").GetString());
        Assert.Equal("IOC", state.GetProperty("time_in_force").GetString());
        Assert.Equal(0m, state.GetProperty("executed_qty").GetDecimal());
    }

    [Fact]
    public async Task An_ioc_limit_executes_what_it_can_and_the_rest_expires()
    {
        // One BTC of liquidity at the ask: 1.5 asked, 1 executed, 0.5 expires.
        var state = await PlaceAndReadAsync("""{"side":"BUY","symbol":"BTCUSDT","qty":1.5,"price":60000,"time_in_force":"IOC","client_order_id":"ioc-part"}""");

        Assert.Equal("EXPIRED", state.GetProperty("status").GetString());
        Assert.Equal(1m, state.GetProperty("executed_qty").GetDecimal());
    }

    [Fact]
    public async Task A_fok_limit_executes_in_full_or_not_at_all()
    {
        var tooBig = await PlaceAndReadAsync("""{"side":"BUY","symbol":"BTCUSDT","qty":1.5,"price":60000,"time_in_force":"fok","client_order_id":"fok-big"}""");
        var fits = await PlaceAndReadAsync("""{"side":"BUY","symbol":"BTCUSDT","qty":0.5,"price":60000,"time_in_force":"FOK","client_order_id":"fok-fits"}""");

        Assert.Equal("EXPIRED", tooBig.GetProperty("status").GetString());
        Assert.Equal(0m, tooBig.GetProperty("executed_qty").GetDecimal());
        Assert.Equal("FILLED", fits.GetProperty("status").GetString());
        Assert.Equal(0.5m, fits.GetProperty("executed_qty").GetDecimal());
    }

    [Fact]
    public async Task A_limit_maker_rests_and_is_cancelled_and_one_that_would_take_is_rejected_by_the_venue()
    {
        var resting = await PlaceAndReadAsync("""{"type":"LIMIT_MAKER","side":"BUY","symbol":"BTCUSDT","qty":0.01,"price":45000,"client_order_id":"maker-rest"}""");
        Assert.Equal("ACCEPTED", resting.GetProperty("status").GetString());
        Assert.Equal("LIMIT_MAKER", resting.GetProperty("order_type").GetString());
        using (var cancelled = await PostAsync("/api/cancel", """{"client_order_id":"maker-rest"}"""))
        {
            Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        }

        Assert.Equal("CANCELLED", (await ReadStateAsync("maker-rest")).GetProperty("status").GetString());

        using var taking = await PostAsync("/api/order", """{"type":"LIMIT_MAKER","side":"BUY","symbol":"BTCUSDT","qty":0.01,"price":60000,"client_order_id":"maker-take"}""");
        using var body = JsonDocument.Parse(await taking.Content.ReadAsStringAsync(Ct));
        Assert.Equal(HttpStatusCode.BadRequest, taking.StatusCode);
        Assert.Equal("venue_rejected", body.RootElement.GetProperty("error").GetString());
        Assert.Equal(-2010, body.RootElement.GetProperty("code").GetInt32());
        Assert.Equal("REJECTED", (await ReadStateAsync("maker-take")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_self_trade_prevention_mode_goes_with_the_order()
    {
        var state = await PlaceAndReadAsync("""{"side":"SELL","symbol":"BTCUSDT","qty":0.01,"price":55000,"self_trade_prevention":"expire_taker","client_order_id":"stp-1"}""");

        Assert.Equal("ACCEPTED", state.GetProperty("status").GetString());
        Assert.Equal("EXPIRE_TAKER", state.GetProperty("self_trade_prevention").GetString());
        Assert.Equal("LIMIT", state.GetProperty("order_type").GetString());
        Assert.Equal("GTC", state.GetProperty("time_in_force").GetString());
    }

    [Theory]
    [InlineData("""{"side":"BUY","symbol":"BTCUSDT","qty":0.01,"price":40000,"timeInForce":"IOC"}""", "timeInForce")]
    [InlineData("""{"side":"BUY","symbol":"BTCUSDT","qty":0.01,"price":40000,"type":"STOP_LOSS_LIMIT"}""", "type")]
    [InlineData("""{"type":"MARKET","side":"BUY","symbol":"BTCUSDT","qty":0.01,"price":40000}""", "price")]
    [InlineData("""{"type":"MARKET","side":"BUY","symbol":"BTCUSDT","qty":0.01,"quote_qty":100}""", "quote_qty")]
    [InlineData("""{"type":"MARKET","side":"BUY","symbol":"BTCUSDT","time_in_force":"IOC","qty":0.01}""", "time_in_force")]
    [InlineData("""{"type":"LIMIT_MAKER","side":"BUY","symbol":"BTCUSDT","qty":0.01,"price":40000,"time_in_force":"GTC"}""", "time_in_force")]
    [InlineData("""{"side":"BUY","symbol":"BTCUSDT","quote_qty":100,"price":40000}""", "quote_qty")]
    [InlineData("""{"side":"BUY","symbol":"BTCUSDT","qty":0.01,"price":40000,"self_trade_prevention":"TRANSFER"}""", "self_trade_prevention")]
    [InlineData("""{"type":"MARKET","side":"BUY","symbol":"BTCUSDT","qty":0.012345678}""", "LOT_SIZE")]
    [InlineData("""{"type":"MARKET","side":"BUY","symbol":"BTCUSDT","quote_qty":1}""", "NOTIONAL")]
    public async Task An_order_it_cannot_be_is_refused_by_name_and_never_reaches_the_venue(string body, string named)
    {
        using var response = await PostAsync("/api/order", body);
        using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var root = error.RootElement;
        var code = root.GetProperty("error").GetString();
        Assert.True(
            (code == "bad_params" && root.GetProperty("field").GetString() == named) || (code == "filter_violation" && root.GetProperty("filter").GetString() == named),
            root.GetRawText());
        Assert.Equal(0, _venue.Counters.OrdersReceived);
    }

    private async Task<JsonElement> PlaceAndReadAsync(string body)
    {
        string id;
        using (var placed = await PostAsync("/api/order", body))
        {
            var text = await placed.Content.ReadAsStringAsync(Ct);
            Assert.True(placed.StatusCode == HttpStatusCode.OK, text);
            using var answer = JsonDocument.Parse(text);
            id = answer.RootElement.GetProperty("client_order_id").GetString()!;
        }

        return await ReadStateAsync(id);
    }

    private async Task<JsonElement> ReadStateAsync(string clientOrderId)
    {
        using var state = JsonDocument.Parse(await _api.Client.GetStringAsync($"/api/order_state?client_order_id={clientOrderId}", Ct));
        return state.RootElement.Clone();
    }

    private Task<HttpResponseMessage> PostAsync(string path, string body) =>
        _api.Client.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"), Ct);
}
