using System.Net;
using VeloZ.SimVenue;
using VeloZ.Testing;

namespace VeloZ.EndToEnd.Tests;

/// <summary>
/// <c>binance_testnet_spot</c> against a standalone simulated venue (the offline stand-in for the
/// testnet), with the worker and the API as processes, market data over the venue's WebSocket streams.
/// </summary>
public sealed class TestnetModeEndToEndTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private SimVenueHandle _venue = null!;
    private ChildProcess _worker = null!;
    private ChildProcess _api = null!;
    private HttpClient _client = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _venue = await SimVenueServer.StartAsync(new SimVenueOptions { PriceTickInterval = TimeSpan.FromMilliseconds(200) }, Ct);
        var env = new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["VELOZ_STORAGE_PREFIX"] = AzuriteFixture.NewStoragePrefix(),
            ["VELOZ_EXECUTION_MODE"] = "binance_testnet_spot",
            ["VELOZ_BINANCE_TRADE_BASE_URL"] = _venue.RestBaseUri.ToString(),
            ["VELOZ_BINANCE_API_KEY"] = SimApiKey.VeloZTestApiKey,
            ["VELOZ_BINANCE_API_SECRET"] = SimApiKey.VeloZTestSecretKey,
            ["VELOZ_MARKET_SOURCE"] = "binance_ws",
            ["VELOZ_BINANCE_BASE_URL"] = _venue.RestBaseUri.ToString(),
            ["VELOZ_BINANCE_WS_BASE_URL"] = _venue.StreamBaseUri.ToString(),
            ["VELOZ_BINANCE_WS_API_URL"] = _venue.WebSocketApiUri.ToString(),
        };
        _worker = GatewayProcesses.StartWorker(env);
        var (api, baseAddress) = await GatewayProcesses.StartStandaloneApiAsync(env);
        _api = api;
        _client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _api.DisposeAsync();
        await _worker.DisposeAsync();
        await _venue.DisposeAsync();
    }

    [Fact]
    public async Task The_seed_walkthrough_passes_against_the_testnet_stand_in()
    {
        var config = await OrderWalkthrough.GetAsync(_client, "/api/config");
        Assert.Equal("binance_testnet_spot", config.GetProperty("execution_mode").GetString());
        Assert.True(config.GetProperty("binance_trade_enabled").GetBoolean());
        Assert.Equal(_venue.RestBaseUri.ToString().TrimEnd('/'), config.GetProperty("binance_trade_base_url").GetString());
        await OrderWalkthrough.EventuallyAsync(_client, "/api/market", m => m.GetProperty("price").ValueKind == System.Text.Json.JsonValueKind.Number);

        var venueOrderId = await OrderWalkthrough.RunAsync(_client, "testnet-walk-1");

        Assert.Equal(1, _venue.Counters.OrdersReceived);
        Assert.Equal(1, _venue.Counters.OrdersCanceled);
        Assert.False(string.IsNullOrEmpty(venueOrderId));
    }

    [Fact]
    public async Task With_a_tenth_of_venue_answers_lost_every_order_ends_in_the_venues_true_state()
    {
        _venue.Faults.OrderFaultRate = 0.1;
        _venue.Faults.OrderFaultKind = OrderFaultKind.ServerError;
        var unknown = 0;
        for (var i = 0; i < 30; i++)
        {
            var (status, _) = await OrderWalkthrough.PostAsync(_client, "/api/order", $$"""{"side":"BUY","symbol":"BTCUSDT","qty":0.001,"price":{{10000 + i}},"client_order_id":"tenth-{{i:D2}}"}""");
            Assert.True(status is HttpStatusCode.OK or HttpStatusCode.BadGateway, $"order {i} answered {(int)status}");
            unknown += status == HttpStatusCode.BadGateway ? 1 : 0;
        }

        _venue.Faults.Reset();
        Assert.True(unknown > 0, "the fault never fired");
        Assert.Equal(30, _venue.Counters.OrdersReceived);
        for (var i = 0; i < 30; i++)
        {
            await OrderWalkthrough.EventuallyAsync(_client, $"/api/order_state?client_order_id=tenth-{i:D2}", s => s.GetProperty("status").GetString() == "ACCEPTED");
        }

        Assert.Equal(30, _venue.Counters.OrdersReceived);
    }
}
