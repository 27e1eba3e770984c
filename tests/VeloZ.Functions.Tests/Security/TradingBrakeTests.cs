using System.Net;
using System.Text;
using System.Text.Json;
using VeloZ.Domain.Configuration;
using VeloZ.SimVenue;
using VeloZ.Testing;

namespace VeloZ.Functions.Tests.Security;

/// <summary>
/// The brakes against a simulated venue (<c>binance_testnet_spot</c> pointed at it): cancel-only refuses
/// orders before anything reaches the venue and keeps cancels working; cancel-all cancels every open order.
/// </summary>
public sealed class TradingBrakeTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string AdminKey = "brake-admin-key-0123456789abcdef";

    private SimVenueHandle _venue = null!;
    private StandaloneApi _api = null!;
    private GatewayOptions _options = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _venue = await SimVenueServer.StartAsync(new SimVenueOptions { PriceTickInterval = TimeSpan.Zero }, Ct);
        _venue.Market.SetPrice("BTCUSDT", 50000m);
        _options = TestOptions.TradingOn(_venue, azurite, AdminKey);
        _api = await StandaloneApi.StartAsync(_options);
        _api.Client.DefaultRequestHeaders.Add("X-API-Key", AdminKey);
    }

    public async ValueTask DisposeAsync()
    {
        await _api.DisposeAsync();
        await _venue.DisposeAsync();
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> Post(StandaloneApi api, string path, string json)
    {
        using var response = await api.Client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"), Ct);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        return (response.StatusCode, document.RootElement.Clone());
    }

    /// <summary>The body whatever the status: <c>/health</c> answers 503 with its body while no worker runs, as here.</summary>
    private static async Task<JsonElement> Get(StandaloneApi api, string path)
    {
        using var response = await api.Client.GetAsync(path, Ct);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        return document.RootElement.Clone();
    }

    private static string Order(string id, string price = "40000.00") =>
        $$"""{"side":"BUY","symbol":"BTCUSDT","qty":0.001,"price":{{price}},"client_order_id":"{{id}}"}""";

    [Fact]
    public async Task Cancel_only_refuses_orders_before_the_venue_and_still_cancels()
    {
        Assert.Equal(HttpStatusCode.OK, (await Post(_api, "/api/order", Order("before-brake"))).Status);

        var (switched, mode) = await Post(_api, "/api/admin/trading_mode", """{"mode":"cancel_only"}""");
        Assert.Equal(HttpStatusCode.OK, switched);
        Assert.Equal("cancel_only", mode.GetProperty("trading_mode").GetString());
        Assert.Equal("bootstrap-admin", mode.GetProperty("changed_by").GetString());

        var (refused, body) = await Post(_api, "/api/order", Order("during-brake"));
        Assert.Equal(HttpStatusCode.Conflict, refused);
        Assert.Equal("cancel_only", body.GetProperty("error").GetString());
        Assert.Equal(1, _venue.Counters.OrdersReceived);
        using (var state = await _api.Client.GetAsync("/api/order_state?client_order_id=during-brake", Ct))
        {
            Assert.Equal(HttpStatusCode.NotFound, state.StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await Post(_api, "/api/cancel", """{"client_order_id":"before-brake"}""")).Status);
        Assert.Equal("cancel_only", (await Get(_api, "/api/config")).GetProperty("trading_mode").GetString());
        Assert.Equal("cancel_only", (await Get(_api, "/health")).GetProperty("components").GetProperty("trading_mode").GetString());

        // A bad order is still a 400 first: validation comes before the brake.
        Assert.Equal(HttpStatusCode.BadRequest, (await Post(_api, "/api/order", """{"side":"BUY","symbol":"BTC/USDT","qty":1,"price":1}""")).Status);

        Assert.Equal(HttpStatusCode.OK, (await Post(_api, "/api/admin/trading_mode", """{"mode":"normal"}""")).Status);
        Assert.Equal(HttpStatusCode.OK, (await Post(_api, "/api/order", Order("after-brake"))).Status);
        Assert.Equal(2, _venue.Counters.OrdersReceived);
    }

    [Fact]
    public async Task The_mode_is_stored_and_survives_a_restart()
    {
        Assert.Equal(HttpStatusCode.OK, (await Post(_api, "/api/admin/trading_mode", """{"mode":"cancel_only"}""")).Status);
        await _api.DisposeAsync();

        _api = await StandaloneApi.StartAsync(_options);
        _api.Client.DefaultRequestHeaders.Add("X-API-Key", AdminKey);

        Assert.Equal("cancel_only", (await Get(_api, "/api/admin/trading_mode")).GetProperty("trading_mode").GetString());
        Assert.Equal(HttpStatusCode.Conflict, (await Post(_api, "/api/order", Order("after-restart"))).Status);
        Assert.Equal(0, _venue.Counters.OrdersReceived);
    }

    [Theory]
    [InlineData("""{"mode":"stop"}""")]
    [InlineData("""{"mode":"CANCEL_ONLY"}""")]
    [InlineData("""{}""")]
    [InlineData("""{"mode":1}""")]
    public async Task Only_the_two_modes_are_accepted(string json)
    {
        var (status, body) = await Post(_api, "/api/admin/trading_mode", json);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("mode", body.GetProperty("field").GetString());
        Assert.Equal("normal", (await Get(_api, "/api/admin/trading_mode")).GetProperty("trading_mode").GetString());
    }

    [Fact]
    public async Task Cancel_all_cancels_every_open_order_and_reports_each()
    {
        for (var i = 0; i < 6; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await Post(_api, "/api/order", Order($"open-{i}", $"{40000 + i}.00"))).Status);
        }

        Assert.Equal(HttpStatusCode.OK, (await Post(_api, "/api/cancel", """{"client_order_id":"open-0"}""")).Status);

        var (status, body) = await Post(_api, "/api/admin/cancel_all", "");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(body.GetProperty("ok").GetBoolean());
        Assert.Equal(5, body.GetProperty("requested").GetInt32());
        Assert.Equal(["open-1", "open-2", "open-3", "open-4", "open-5"], body.GetProperty("cancelled").EnumerateArray().Select(e => e.GetString()));
        Assert.Empty(body.GetProperty("failed").EnumerateArray());
        Assert.All(
            (await Get(_api, "/api/orders_state")).GetProperty("items").EnumerateArray(),
            o => Assert.Equal("CANCELLED", o.GetProperty("status").GetString()));
        Assert.Equal(6, _venue.Counters.OrdersCanceled);

        var (again, againBody) = await Post(_api, "/api/admin/cancel_all", """{"symbol":"BTCUSDT"}""");
        Assert.Equal(HttpStatusCode.OK, again);
        Assert.Equal(0, againBody.GetProperty("requested").GetInt32());
    }
}
