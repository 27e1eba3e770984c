using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using VeloZ.Domain.Configuration;
using VeloZ.Domain.Events;
using VeloZ.Domain.Market;
using VeloZ.Functions.Hosting;
using VeloZ.Functions.Push;
using VeloZ.Storage;
using VeloZ.Testing;

namespace VeloZ.Functions.Tests;

/// <summary>Several followed symbols: <c>GET /api/market?symbol=</c>, <c>market_symbols</c> in <c>/api/config</c>, the latest price per symbol.</summary>
public sealed class MarketSymbolsApiTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly MarketOptions s_threeSymbols = new() { MarketSymbols = ["BTCUSDT", "ETHUSDT", "BNBUSDT"] };

    private async Task<StandaloneApi> StartAsync(MarketOptions market)
    {
        var api = await StandaloneApi.StartAsync(TestOptions.OnAzurite(azurite, new GatewayOptions { Market = market }));
        await api.Services.GetRequiredService<TableStore>().EnsureCreatedAsync(Ct);
        return api;
    }

    private static async Task<(HttpStatusCode Status, string Body)> Get(StandaloneApi api, string path)
    {
        using var response = await api.Client.GetAsync(path, Ct);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task Each_symbol_answers_its_own_latest_price_and_the_first_is_the_default()
    {
        await using var api = await StartAsync(s_threeSymbols);
        var ticks = api.Services.GetRequiredService<MarketTickRepository>();
        await ticks.UpsertLatestAsync(new MarketTick("BTCUSDT", 42000.5m, 1, 1), Ct);
        await ticks.UpsertLatestAsync(new MarketTick("ETHUSDT", 3000.25m, 2, 2), Ct);

        Assert.Equal((HttpStatusCode.OK, """{"symbol":"BTCUSDT","price":42000.5,"ts_ns":1}"""), await Get(api, "/api/market"));
        Assert.Equal((HttpStatusCode.OK, """{"symbol":"ETHUSDT","price":3000.25,"ts_ns":2}"""), await Get(api, "/api/market?symbol=ETHUSDT"));
        Assert.Equal((HttpStatusCode.OK, """{"symbol":"ETHUSDT","price":3000.25,"ts_ns":2}"""), await Get(api, "/api/market?symbol=ethusdt"));
        Assert.Equal((HttpStatusCode.OK, """{"symbol":"BNBUSDT","price":null,"ts_ns":null}"""), await Get(api, "/api/market?symbol=BNBUSDT"));
    }

    [Theory]
    [InlineData("/api/market?symbol=BTC/USDT", HttpStatusCode.BadRequest, "bad_params")]
    [InlineData("/api/market?symbol=", HttpStatusCode.BadRequest, "bad_params")]
    [InlineData("/api/market?symbol=ABCDEFGHIJKLMNOPQRSTU", HttpStatusCode.BadRequest, "bad_params")]
    [InlineData("/api/market?symbol=BTCUSDT&symbol=ETHUSDT", HttpStatusCode.BadRequest, "bad_params")]
    [InlineData("/api/market?symbol=LTCUSDT", HttpStatusCode.NotFound, "not_found")]
    public async Task A_malformed_symbol_is_bad_params_and_one_not_followed_is_not_found_both_on_the_field_symbol(string path, HttpStatusCode status, string error)
    {
        await using var api = await StartAsync(s_threeSymbols);

        var (actual, body) = await Get(api, path);

        Assert.Equal(status, actual);
        using var json = JsonDocument.Parse(body);
        Assert.False(json.RootElement.GetProperty("ok").GetBoolean());
        Assert.Equal(error, json.RootElement.GetProperty("error").GetString());
        Assert.Equal("symbol", json.RootElement.GetProperty("field").GetString());
    }

    [Fact]
    public async Task A_symbol_not_followed_names_the_followed_ones()
    {
        await using var api = await StartAsync(s_threeSymbols);

        var (_, body) = await Get(api, "/api/market?symbol=ltcusdt");

        Assert.Contains("LTCUSDT is not a followed symbol; followed: BTCUSDT, ETHUSDT, BNBUSDT.", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Config_lists_the_followed_symbols_after_the_seed_fields()
    {
        await using var api = await StartAsync(s_threeSymbols);

        var (_, body) = await Get(api, "/api/config");

        using var json = JsonDocument.Parse(body);
        Assert.Equal(
            ["market_source", "market_symbol", "binance_base_url", "execution_mode", "binance_trade_enabled", "binance_trade_base_url", "binance_user_stream_connected", "trading_mode", "market_symbols"],
            json.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal("BTCUSDT", json.RootElement.GetProperty("market_symbol").GetString());
        Assert.Equal(["BTCUSDT", "ETHUSDT", "BNBUSDT"], json.RootElement.GetProperty("market_symbols").EnumerateArray().Select(s => s.GetString()));
    }

    [Fact]
    public async Task One_symbol_keeps_the_seed_config_without_market_symbols()
    {
        await using var api = await StartAsync(new MarketOptions { MarketSymbols = ["ETHUSDT"] });

        var (_, body) = await Get(api, "/api/config");

        Assert.Contains("\"market_symbol\":\"ETHUSDT\"", body, StringComparison.Ordinal);
        Assert.DoesNotContain("market_symbols", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_push_subscription_keeps_the_latest_price_of_each_symbol_so_a_busy_one_hides_no_other()
    {
        var store = new TableStore(new StorageOptions { StorageConnectionString = new Secret(azurite.ConnectionString), StoragePrefix = AzuriteFixture.NewStoragePrefix() });
        await store.EnsureCreatedAsync(Ct);
        var broadcaster = new EventBroadcaster(new EventLogRepository(store), NullLogger<EventBroadcaster>.Instance);

        await broadcaster.DeliverAsync(EventPayloads.Market(new MarketTick("ETHUSDT", 3000.01m, 10, 10)) with { Id = 1 }, Ct);
        for (var id = 2; id <= 50; id++)
        {
            await broadcaster.DeliverAsync(EventPayloads.Market(new MarketTick("BTCUSDT", 42000m + id, id, id)) with { Id = id }, Ct);
        }

        Assert.Equal(3000.01m, broadcaster.LatestMarketOf("ETHUSDT")!.Tick.Price);
        Assert.Equal(42050m, broadcaster.LatestMarketOf("BTCUSDT")!.Tick.Price);
        Assert.Equal("""{"symbol":"ETHUSDT","price":3000.01,"ts_ns":10}""", System.Text.Encoding.UTF8.GetString(broadcaster.LatestMarketOf("ETHUSDT")!.Body));
        Assert.Null(broadcaster.LatestMarketOf("BNBUSDT"));
    }
}
