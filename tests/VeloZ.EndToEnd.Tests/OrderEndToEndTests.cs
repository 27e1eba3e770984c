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
}
