using System.Net;
using System.Text;
using System.Text.Json;
using VeloZ.Domain.Configuration;
using VeloZ.SimVenue;
using VeloZ.Testing;

namespace VeloZ.Functions.Tests.Orders;

/// <summary>
/// <c>GET /api/symbols</c> against a simulated venue listing two symbols with different rules: what it shows is
/// what the order path enforces, for any symbol the venue lists.
/// </summary>
public sealed class SymbolsApiTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private SimVenueHandle _venue = null!;
    private StandaloneApi _api = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        var eth = new SimSymbolOptions
        {
            Symbol = "ETHUSDT",
            BaseAsset = "ETH",
            QuoteAsset = "USDT",
            StartPrice = 3_000m,
            TickSize = 0.05m,
            StepSize = 0.001m,
            MinQty = 0.001m,
            MinNotional = 10m,
            UseMinNotionalFilter = true,
        };
        _venue = await SimVenueServer.StartAsync(new SimVenueOptions { PriceTickInterval = TimeSpan.Zero, Symbols = [SimSymbolOptions.BtcUsdt(), eth] }, Ct);
        _api = await StandaloneApi.StartAsync(Options(credentials: true));
    }

    public async ValueTask DisposeAsync()
    {
        await _api.DisposeAsync();
        await _venue.DisposeAsync();
    }

    private GatewayOptions Options(bool credentials) => TestOptions.OnAzurite(azurite, new GatewayOptions
    {
        Venue = new()
        {
            ExecutionMode = ExecutionMode.BinanceTestnetSpot,
            BinanceTradeBaseUrl = _venue.RestBaseUri,
            BinanceApiKey = credentials ? new Secret(SimApiKey.VeloZTestApiKey) : Secret.Empty,
            BinanceApiSecret = credentials ? new Secret(SimApiKey.VeloZTestSecretKey) : Secret.Empty,
        },
    });

    private static async Task<(HttpStatusCode Status, JsonElement Body)> Get(StandaloneApi api, string path)
    {
        using var response = await api.Client.GetAsync(path, Ct);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        return (response.StatusCode, document.RootElement.Clone());
    }

    [Fact]
    public async Task Without_a_symbol_it_shows_the_configured_market_symbols_rules_as_the_venue_lists_them()
    {
        var (status, body) = await Get(_api, "/api/symbols");

        Assert.Equal(HttpStatusCode.OK, status);
        var btc = Assert.Single(body.GetProperty("symbols").EnumerateArray());
        Assert.Equal(
            """{"symbol":"BTCUSDT","status":"TRADING","base_asset":"BTC","quote_asset":"USDT","price_filter":{"min_price":0.01,"max_price":1000000,"tick_size":0.01},"lot_size":{"min_qty":0.00001,"max_qty":9000,"step_size":0.00001},"notional":{"filter":"NOTIONAL","min_notional":5,"max_notional":9000000}}""",
            btc.GetRawText());
    }

    [Fact]
    public async Task Another_listed_symbol_in_any_case_shows_its_own_rules_and_they_are_the_ones_orders_meet()
    {
        var (status, body) = await Get(_api, "/api/symbols?symbol=ethusdt");

        Assert.Equal(HttpStatusCode.OK, status);
        var eth = Assert.Single(body.GetProperty("symbols").EnumerateArray());
        Assert.Equal("ETHUSDT", eth.GetProperty("symbol").GetString());
        Assert.Equal(0.05m, eth.GetProperty("price_filter").GetProperty("tick_size").GetDecimal());
        Assert.Equal(0.001m, eth.GetProperty("lot_size").GetProperty("step_size").GetDecimal());
        Assert.Equal("MIN_NOTIONAL", eth.GetProperty("notional").GetProperty("filter").GetString());
        Assert.Equal(10m, eth.GetProperty("notional").GetProperty("min_notional").GetDecimal());

        // A price off the tick shown is refused by the order path with that filter, before the venue.
        using var order = await _api.Client.PostAsync(
            "/api/order",
            new StringContent("""{"side":"BUY","symbol":"ETHUSDT","qty":0.01,"price":2000.03}""", Encoding.UTF8, "application/json"),
            Ct);
        using var refused = JsonDocument.Parse(await order.Content.ReadAsStringAsync(Ct));
        Assert.Equal(HttpStatusCode.BadRequest, order.StatusCode);
        Assert.Equal("filter_violation", refused.RootElement.GetProperty("error").GetString());
        Assert.Equal("PRICE_FILTER", refused.RootElement.GetProperty("filter").GetString());
        Assert.Equal(0, _venue.Counters.OrdersReceived);
    }

    [Fact]
    public async Task A_symbol_the_venue_does_not_list_is_refused_as_for_an_order()
    {
        var (status, body) = await Get(_api, "/api/symbols?symbol=NOPEUSDT");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("venue_rejected", body.GetProperty("error").GetString());
        Assert.Equal("symbol", body.GetProperty("field").GetString());
        Assert.Equal(-1121, body.GetProperty("code").GetInt32());
    }

    [Theory]
    [InlineData("/api/symbols?symbol=BTC-USDT")]
    [InlineData("/api/symbols?symbol=")]
    [InlineData("/api/symbols?symbol=BTCUSDT&symbol=ETHUSDT")]
    public async Task A_malformed_symbol_is_bad_params_and_never_asks_the_venue(string path)
    {
        var before = _venue.Counters.RestRequests;

        var (status, body) = await Get(_api, path);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("bad_params", body.GetProperty("error").GetString());
        Assert.Equal("symbol", body.GetProperty("field").GetString());
        Assert.Equal(before, _venue.Counters.RestRequests);
    }

    [Fact]
    public async Task Without_binance_credentials_it_answers_as_an_order_would()
    {
        await using var api = await StandaloneApi.StartAsync(Options(credentials: false));

        var (status, body) = await Get(api, "/api/symbols");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("binance_not_configured", body.GetProperty("error").GetString());
    }
}
