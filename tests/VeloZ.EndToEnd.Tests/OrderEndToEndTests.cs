namespace VeloZ.EndToEnd.Tests;

/// <summary>The walkthrough in <c>sim_engine</c> mode: the venue runs inside the worker process.</summary>
[Collection(GatewayGroup.Name)]
public sealed class SimEngineOrderEndToEndTests(GatewayFixture gateway)
{
    [Theory]
    [MemberData(nameof(ApiHosts.All), MemberType = typeof(ApiHosts))]
    public async Task The_seed_walkthrough_passes_field_by_field(string host) =>
        await OrderWalkthrough.RunAsync(gateway.Api(host), $"walk-{host}");

    [Theory]
    [MemberData(nameof(ApiHosts.All), MemberType = typeof(ApiHosts))]
    public async Task The_symbols_rules_shown_are_the_ones_an_order_is_refused_by(string host)
    {
        var api = gateway.Api(host);
        var symbols = await OrderWalkthrough.GetAsync(api, "/api/symbols");
        var btc = Assert.Single(symbols.GetProperty("symbols").EnumerateArray());
        Assert.Equal("BTCUSDT", btc.GetProperty("symbol").GetString());
        var tick = btc.GetProperty("price_filter").GetProperty("tick_size").GetDecimal();
        Assert.True(tick > 0m);

        // Half a tick off the grid: refused by the filter shown, before the venue.
        var price = (10_000m + (tick / 2)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var (status, body) = await OrderWalkthrough.PostAsync(api, "/api/order", $$"""{"side":"BUY","symbol":"BTCUSDT","qty":0.001,"price":{{price}}}""");
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, status);
        Assert.Equal("filter_violation", body.GetProperty("error").GetString());
        Assert.Equal("PRICE_FILTER", body.GetProperty("filter").GetString());
    }

    [Theory]
    [MemberData(nameof(ApiHosts.All), MemberType = typeof(ApiHosts))]
    public async Task A_filled_order_shows_its_fill_with_the_venues_commission(string host)
    {
        var api = gateway.Api(host);
        var market = await OrderWalkthrough.EventuallyAsync(api, "/api/market", m => m.GetProperty("price").ValueKind == System.Text.Json.JsonValueKind.Number);
        // Well above the market: the venue fills the buy at once at its ask, charging 0.1 % in the asset received.
        var price = decimal.Ceiling(market.GetProperty("price").GetDecimal() * 1.05m).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var id = $"fill-{host}";
        var (status, body) = await OrderWalkthrough.PostAsync(api, "/api/order", $$"""{"side":"BUY","symbol":"BTCUSDT","qty":0.001,"price":{{price}},"client_order_id":"{{id}}"}""");
        Assert.True(status == System.Net.HttpStatusCode.OK, $"place answered {(int)status}: {body}");

        var fills = await OrderWalkthrough.EventuallyAsync(api, $"/api/fills?client_order_id={id}", f => f.GetProperty("items").EnumerateArray()
            .Sum(i => i.GetProperty("qty").GetDecimal()) == 0.001m);

        var items = fills.GetProperty("items").EnumerateArray().ToList();
        Assert.All(items, i =>
        {
            Assert.Equal(id, i.GetProperty("client_order_id").GetString());
            Assert.Equal("BTCUSDT", i.GetProperty("symbol").GetString());
            Assert.Equal("BUY", i.GetProperty("side").GetString());
            Assert.Equal("BTC", i.GetProperty("commission_asset").GetString());
            Assert.Equal(i.GetProperty("qty").GetDecimal() * 0.001m, i.GetProperty("commission").GetDecimal());
            Assert.True(i.GetProperty("price").GetDecimal() <= decimal.Parse(price, System.Globalization.CultureInfo.InvariantCulture));
        });
        Assert.Equal(0.000001m, items.Sum(i => i.GetProperty("commission").GetDecimal()));
        var bySymbol = await OrderWalkthrough.GetAsync(api, "/api/fills?symbol=btcusdt&limit=1000");
        Assert.Equal(
            items.Select(i => i.GetProperty("trade_id").GetInt64()).Order(),
            bySymbol.GetProperty("items").EnumerateArray().Where(i => i.GetProperty("client_order_id").GetString() == id).Select(i => i.GetProperty("trade_id").GetInt64()).Order());
        var page = await OrderWalkthrough.GetAsync(api, "/api/orders_state?status=filled&limit=1000");
        Assert.Contains(page.GetProperty("items").EnumerateArray(), o => o.GetProperty("client_order_id").GetString() == id);
    }
}
