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
    private ExternalVenueGateway _gateway = null!;

    private SimVenueHandle Venue => _gateway.Venue;

    private HttpClient Client => _gateway.Client;

    public async ValueTask InitializeAsync() =>
        _gateway = await ExternalVenueGateway.StartAsync(azurite, new SimVenueOptions { PriceTickInterval = TimeSpan.FromMilliseconds(200) }, "binance_ws");

    public async ValueTask DisposeAsync() => await _gateway.DisposeAsync();

    [Fact]
    public async Task The_seed_walkthrough_passes_against_the_testnet_stand_in()
    {
        var config = await OrderWalkthrough.GetAsync(Client, "/api/config");
        Assert.Equal("binance_testnet_spot", config.GetProperty("execution_mode").GetString());
        Assert.True(config.GetProperty("binance_trade_enabled").GetBoolean());
        Assert.Equal(Venue.RestBaseUri.ToString().TrimEnd('/'), config.GetProperty("binance_trade_base_url").GetString());
        await OrderWalkthrough.EventuallyAsync(Client, "/api/market", m => m.GetProperty("price").ValueKind == System.Text.Json.JsonValueKind.Number);
        await OrderWalkthrough.EventuallyAsync(Client, "/api/config", c => c.GetProperty("binance_user_stream_connected").GetBoolean());

        var venueOrderId = await OrderWalkthrough.RunAsync(Client, "testnet-walk-1");

        Assert.Equal(1, Venue.Counters.OrdersReceived);
        Assert.Equal(1, Venue.Counters.OrdersCanceled);
        Assert.False(string.IsNullOrEmpty(venueOrderId));
    }

    [Fact]
    public async Task With_a_tenth_of_venue_answers_lost_every_order_ends_in_the_venues_true_state()
    {
        Venue.Faults.OrderFaultRate = 0.1;
        Venue.Faults.OrderFaultKind = OrderFaultKind.ServerError;
        var unknown = 0;
        for (var i = 0; i < 30; i++)
        {
            var (status, _) = await OrderWalkthrough.PostAsync(Client, "/api/order", $$"""{"side":"BUY","symbol":"BTCUSDT","qty":0.001,"price":{{10000 + i}},"client_order_id":"tenth-{{i:D2}}"}""");
            Assert.True(status is HttpStatusCode.OK or HttpStatusCode.BadGateway, $"order {i} answered {(int)status}");
            unknown += status == HttpStatusCode.BadGateway ? 1 : 0;
        }

        Venue.Faults.Reset();
        Assert.True(unknown > 0, "the fault never fired");
        Assert.Equal(30, Venue.Counters.OrdersReceived);
        for (var i = 0; i < 30; i++)
        {
            await OrderWalkthrough.EventuallyAsync(Client, $"/api/order_state?client_order_id=tenth-{i:D2}", s => s.GetProperty("status").GetString() == "ACCEPTED");
        }

        Assert.Equal(30, Venue.Counters.OrdersReceived);
    }
}

/// <summary>Fills reported by the user data stream reach the order rows, exactly once each.</summary>
public sealed class UserStreamEndToEndTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private ExternalVenueGateway _gateway = null!;

    private SimVenueHandle Venue => _gateway.Venue;

    private HttpClient Client => _gateway.Client;

    public async ValueTask InitializeAsync()
    {
        _gateway = await ExternalVenueGateway.StartAsync(azurite, new SimVenueOptions { PriceTickInterval = TimeSpan.Zero }, "binance_rest");
        Venue.Market.SetPrice("BTCUSDT", 50000m);
        await OrderWalkthrough.EventuallyAsync(Client, "/api/config", c => c.GetProperty("binance_user_stream_connected").GetBoolean());
    }

    public async ValueTask DisposeAsync() => await _gateway.DisposeAsync();

    [Fact]
    public async Task A_resting_order_fills_through_the_stream_with_the_weighted_average_price()
    {
        var (status, _) = await OrderWalkthrough.PostAsync(Client, "/api/order", """{"side":"BUY","symbol":"BTCUSDT","qty":1.5,"price":49000.00,"client_order_id":"stream-fill-1"}""");
        Assert.Equal(HttpStatusCode.OK, status);

        // The market falls through the order: one tick of liquidity (1 BTC) per price step fills it in parts.
        Venue.Market.SetPrice("BTCUSDT", 48999.99m);
        Venue.Market.SetPrice("BTCUSDT", 48999.98m);
        Venue.Market.SetPrice("BTCUSDT", 48999.97m);

        var state = await OrderWalkthrough.EventuallyAsync(Client, "/api/order_state?client_order_id=stream-fill-1", s => s.GetProperty("status").GetString() == "FILLED");
        Assert.Equal(1.5m, state.GetProperty("executed_qty").GetDecimal());
        Assert.Equal(49000.00m, state.GetProperty("avg_price").GetDecimal());
    }

    [Fact]
    public async Task Fills_during_a_dropped_stream_arrive_once_after_it_reconnects()
    {
        var (status, _) = await OrderWalkthrough.PostAsync(Client, "/api/order", """{"side":"SELL","symbol":"BTCUSDT","qty":1.5,"price":51000.00,"client_order_id":"stream-drop-1"}""");
        Assert.Equal(HttpStatusCode.OK, status);

        Venue.Faults.DropWebSockets();
        Venue.Market.SetPrice("BTCUSDT", 51000.01m);
        Venue.Market.SetPrice("BTCUSDT", 51000.02m);

        var state = await OrderWalkthrough.EventuallyAsync(Client, "/api/order_state?client_order_id=stream-drop-1", s => s.GetProperty("status").GetString() == "FILLED");
        Assert.Equal(1.5m, state.GetProperty("executed_qty").GetDecimal());
        Assert.Equal(51000.00m, state.GetProperty("avg_price").GetDecimal());
        await OrderWalkthrough.EventuallyAsync(Client, "/api/config", c => c.GetProperty("binance_user_stream_connected").GetBoolean());
    }

    [Fact]
    public async Task A_venue_ban_halts_trading_visibly_and_trading_resumes_after_it()
    {
        Venue.Faults.Ban(TimeSpan.FromSeconds(6));

        var (bannedStatus, health) = await GatewayHealth.WaitAsync(Client, (_, h) => h.GetProperty("components").GetProperty("trading_halted_until_ts_ns").ValueKind == System.Text.Json.JsonValueKind.Number, TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        Assert.True(health.GetProperty("components").GetProperty("trading_halted_until_ts_ns").GetInt64() > 0);
        // The gateway cannot trade during a ban: /health says so with its status too.
        Assert.Equal(HttpStatusCode.ServiceUnavailable, bannedStatus);
        var (halted, body) = await OrderWalkthrough.PostAsync(Client, "/api/order", """{"side":"BUY","symbol":"BTCUSDT","qty":0.001,"price":10000,"client_order_id":"during-ban"}""");
        Assert.Equal(HttpStatusCode.InternalServerError, halted);
        Assert.Equal("execution_unavailable", body.GetProperty("error").GetString());
        Assert.Equal(0, Venue.Counters.OrdersReceived);

        var (liftedStatus, _) = await GatewayHealth.WaitAsync(Client, (_, h) => h.GetProperty("components").GetProperty("trading_halted_until_ts_ns").ValueKind == System.Text.Json.JsonValueKind.Null, TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, liftedStatus);
        var (resumed, _) = await OrderWalkthrough.PostAsync(Client, "/api/order", """{"side":"BUY","symbol":"BTCUSDT","qty":0.001,"price":10000,"client_order_id":"after-ban"}""");
        Assert.Equal(HttpStatusCode.OK, resumed);
    }
}

/// <summary>
/// A gateway in <c>binance_testnet_spot</c> mode against a simulated venue in the test process (the
/// offline stand-in for the Binance testnet): worker and API as processes, the venue's faults at hand.
/// </summary>
internal sealed class ExternalVenueGateway : IAsyncDisposable
{
    private ExternalVenueGateway(SimVenueHandle venue, ChildProcess worker, ChildProcess api, HttpClient client)
    {
        Venue = venue;
        Worker = worker;
        Api = api;
        Client = client;
    }

    public SimVenueHandle Venue { get; }

    public ChildProcess Worker { get; }

    public ChildProcess Api { get; }

    public HttpClient Client { get; }

    public static async Task<ExternalVenueGateway> StartAsync(AzuriteFixture azurite, SimVenueOptions venueOptions, string marketSource)
    {
        var venue = await SimVenueServer.StartAsync(venueOptions, TestContext.Current.CancellationToken);
        var env = new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["VELOZ_STORAGE_PREFIX"] = AzuriteFixture.NewStoragePrefix(),
            ["VELOZ_EXECUTION_MODE"] = "binance_testnet_spot",
            ["VELOZ_BINANCE_TRADE_BASE_URL"] = venue.RestBaseUri.ToString(),
            ["VELOZ_BINANCE_API_KEY"] = SimApiKey.VeloZTestApiKey,
            ["VELOZ_BINANCE_API_SECRET"] = SimApiKey.VeloZTestSecretKey,
            ["VELOZ_MARKET_SOURCE"] = marketSource,
            ["VELOZ_BINANCE_BASE_URL"] = venue.RestBaseUri.ToString(),
            ["VELOZ_BINANCE_WS_BASE_URL"] = venue.StreamBaseUri.ToString(),
            ["VELOZ_BINANCE_WS_API_URL"] = venue.WebSocketApiUri.ToString(),
        };
        var worker = GatewayProcesses.StartWorker(env);
        var (api, baseAddress) = await GatewayProcesses.StartStandaloneApiAsync(env);
        return new ExternalVenueGateway(venue, worker, api, new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) });
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Api.DisposeAsync();
        await Worker.DisposeAsync();
        await Venue.DisposeAsync();
    }
}
