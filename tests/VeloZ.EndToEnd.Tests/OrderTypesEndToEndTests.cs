using System.Globalization;
using System.Net;
using System.Text.Json;

namespace VeloZ.EndToEnd.Tests;

/// <summary>
/// Every order type against the simulated venue inside the worker, through both hosts: a MARKET order fills (by
/// quantity and by quote amount), IOC and FOK limits that cannot execute expire, a crossing IOC fills, a LIMIT_MAKER
/// rests and is cancelled; the worker's events say what kind of order they are about.
/// </summary>
[Collection(GatewayGroup.Name)]
public sealed class OrderTypesEndToEndTests(GatewayFixture gateway)
{
    [Theory]
    [MemberData(nameof(ApiHosts.All), MemberType = typeof(ApiHosts))]
    public async Task Market_orders_fill_by_quantity_and_by_quote_amount(string host)
    {
        var api = gateway.Api(host);
        await MarketPriceAsync(api);

        var byQty = await PlaceAsync(api, $$"""{"type":"MARKET","side":"BUY","symbol":"BTCUSDT","qty":0.001,"client_order_id":"mkt-qty-{{host}}"}""");
        var byQuote = await PlaceAsync(api, $$"""{"type":"MARKET","side":"SELL","symbol":"BTCUSDT","quote_qty":20,"client_order_id":"mkt-quote-{{host}}"}""");

        var qtyState = await FinalAsync(api, byQty);
        Assert.Equal("FILLED", qtyState.GetProperty("status").GetString());
        Assert.Equal("MARKET", qtyState.GetProperty("order_type").GetString());
        Assert.Equal(JsonValueKind.Null, qtyState.GetProperty("limit_price").ValueKind);
        Assert.Equal(0.001m, qtyState.GetProperty("executed_qty").GetDecimal());

        var quoteState = await FinalAsync(api, byQuote);
        Assert.Equal("FILLED", quoteState.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, quoteState.GetProperty("order_qty").ValueKind);
        Assert.Equal(20m, quoteState.GetProperty("quote_order_qty").GetDecimal());
        var received = quoteState.GetProperty("executed_qty").GetDecimal() * quoteState.GetProperty("avg_price").GetDecimal();
        Assert.InRange(received, 0.01m, 20m);

        // The worker's events for the order say what kind it is.
        var events = await OrderWalkthrough.EventuallyAsync(api, "/api/orders", e => e.GetProperty("items").EnumerateArray()
            .Any(i => i.GetProperty("type").GetString() == "order_update" && i.GetProperty("client_order_id").GetString() == byQuote
                && i.GetProperty("status").GetString() == "FILLED"));
        var update = events.GetProperty("items").EnumerateArray().Last(i => i.GetProperty("type").GetString() == "order_update" && i.GetProperty("client_order_id").GetString() == byQuote);
        Assert.Equal("MARKET", update.GetProperty("order_type").GetString());
        Assert.Equal(20m, update.GetProperty("quote_order_qty").GetDecimal());
    }

    [Theory]
    [MemberData(nameof(ApiHosts.All), MemberType = typeof(ApiHosts))]
    public async Task Ioc_and_fok_limits_that_cannot_execute_expire_and_a_crossing_ioc_fills(string host)
    {
        var api = gateway.Api(host);
        var market = await MarketPriceAsync(api);
        var far = Price(market * 0.5m);
        var through = Price(market * 1.05m);

        var ioc = await PlaceAsync(api, $$"""{"side":"BUY","symbol":"BTCUSDT","qty":0.001,"price":{{far}},"time_in_force":"IOC","client_order_id":"ioc-far-{{host}}"}""");
        var fok = await PlaceAsync(api, $$"""{"side":"BUY","symbol":"BTCUSDT","qty":0.001,"price":{{far}},"time_in_force":"FOK","client_order_id":"fok-far-{{host}}"}""");
        var crossing = await PlaceAsync(api, $$"""{"side":"BUY","symbol":"BTCUSDT","qty":0.001,"price":{{through}},"time_in_force":"ioc","client_order_id":"ioc-cross-{{host}}"}""");

        foreach (var expired in new[] { ioc, fok })
        {
            var state = await FinalAsync(api, expired);
            Assert.Equal("EXPIRED", state.GetProperty("status").GetString());
            Assert.Equal(0m, state.GetProperty("executed_qty").GetDecimal());
            Assert.Equal("LIMIT", state.GetProperty("order_type").GetString());
        }

        var filled = await FinalAsync(api, crossing);
        Assert.Equal("FILLED", filled.GetProperty("status").GetString());
        Assert.Equal("IOC", filled.GetProperty("time_in_force").GetString());
    }

    [Theory]
    [MemberData(nameof(ApiHosts.All), MemberType = typeof(ApiHosts))]
    public async Task A_limit_maker_rests_until_cancelled_and_one_that_would_take_is_refused(string host)
    {
        var api = gateway.Api(host);
        var market = await MarketPriceAsync(api);

        var maker = await PlaceAsync(api, $$"""{"type":"LIMIT_MAKER","side":"BUY","symbol":"BTCUSDT","qty":0.001,"price":{{Price(market * 0.8m)}},"self_trade_prevention":"EXPIRE_MAKER","client_order_id":"maker-{{host}}"}""");
        var resting = await OrderWalkthrough.EventuallyAsync(api, $"/api/order_state?client_order_id={maker}", s => s.GetProperty("status").GetString() == "ACCEPTED");
        Assert.Equal("LIMIT_MAKER", resting.GetProperty("order_type").GetString());
        Assert.Equal("EXPIRE_MAKER", resting.GetProperty("self_trade_prevention").GetString());

        var (cancelStatus, cancelBody) = await OrderWalkthrough.PostAsync(api, "/api/cancel", $$"""{"client_order_id":"{{maker}}"}""");
        Assert.True(cancelStatus == HttpStatusCode.OK, cancelBody.GetRawText());
        Assert.Equal("CANCELLED", (await FinalAsync(api, maker)).GetProperty("status").GetString());

        var (takeStatus, takeBody) = await OrderWalkthrough.PostAsync(api, "/api/order", $$"""{"type":"LIMIT_MAKER","side":"BUY","symbol":"BTCUSDT","qty":0.001,"price":{{Price(market * 1.05m)}},"client_order_id":"maker-take-{{host}}"}""");
        Assert.Equal(HttpStatusCode.BadRequest, takeStatus);
        Assert.Equal("venue_rejected", takeBody.GetProperty("error").GetString());
        Assert.Equal(-2010, takeBody.GetProperty("code").GetInt32());
    }

    [Theory]
    [MemberData(nameof(ApiHosts.All), MemberType = typeof(ApiHosts))]
    public async Task A_field_an_order_does_not_have_is_refused_by_name(string host)
    {
        var (status, body) = await OrderWalkthrough.PostAsync(gateway.Api(host), "/api/order", """{"side":"BUY","symbol":"BTCUSDT","qty":0.001,"price":40000,"timeInForce":"IOC"}""");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("bad_params", body.GetProperty("error").GetString());
        Assert.Equal("timeInForce", body.GetProperty("field").GetString());
    }

    private static async Task<decimal> MarketPriceAsync(HttpClient api) =>
        (await OrderWalkthrough.EventuallyAsync(api, "/api/market", m => m.GetProperty("price").ValueKind == JsonValueKind.Number)).GetProperty("price").GetDecimal();

    /// <summary>A price on the simulated venue's 0.01 tick.</summary>
    private static string Price(decimal value) => decimal.Round(value, 2).ToString(CultureInfo.InvariantCulture);

    private static async Task<string> PlaceAsync(HttpClient api, string json)
    {
        var (status, body) = await OrderWalkthrough.PostAsync(api, "/api/order", json);
        Assert.True(status == HttpStatusCode.OK, $"place answered {(int)status}: {body}");
        return body.GetProperty("client_order_id").GetString()!;
    }

    private static Task<JsonElement> FinalAsync(HttpClient api, string clientOrderId) =>
        OrderWalkthrough.EventuallyAsync(api, $"/api/order_state?client_order_id={clientOrderId}", s => s.GetProperty("status").GetString() is "FILLED" or "CANCELLED" or "EXPIRED" or "REJECTED");
}
