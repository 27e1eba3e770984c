using System.Net;
using System.Text;
using System.Text.Json;
using VeloZ.Domain.Configuration;
using VeloZ.SimVenue;
using VeloZ.Testing;

namespace VeloZ.Functions.Tests.Orders;

/// <summary>
/// The venue's unfilled order count (ORDERS limits, 429 <c>-1015</c>) against a simulated venue: past it new orders
/// get 429 and stop reaching the venue, while cancels and cancel-all still go through.
/// </summary>
public sealed class VenueOrderLimitTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string AdminKey = "order-limit-admin-key-0123456789";

    private SimVenueHandle _venue = null!;
    private StandaloneApi _api = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _venue = await SimVenueServer.StartAsync(new SimVenueOptions { PriceTickInterval = TimeSpan.Zero, OrdersPer10Seconds = 3 }, Ct);
        _venue.Market.SetPrice("BTCUSDT", 50000m);
        _api = await StandaloneApi.StartAsync(TestOptions.TradingOn(_venue, azurite, AdminKey));
        _api.Client.DefaultRequestHeaders.Add("X-API-Key", AdminKey);
    }

    public async ValueTask DisposeAsync()
    {
        await _api.DisposeAsync();
        await _venue.DisposeAsync();
    }

    private async Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> Post(string path, string json)
    {
        var response = await _api.Client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"), Ct);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        return (response.StatusCode, document.RootElement.Clone(), response);
    }

    private static string Order(string id, string price) =>
        $$"""{"side":"BUY","symbol":"BTCUSDT","qty":0.001,"price":{{price}},"client_order_id":"{{id}}"}""";

    [Fact]
    public async Task Cancels_get_through_while_new_orders_are_rate_limited()
    {
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await Post("/api/order", Order($"open-{i}", $"{40000 + i}.00"))).Status);
        }

        // The venue's window holds 3 orders: the 4th is refused (by the venue or before it), the 5th never leaves.
        var (limited, limitedBody, limitedResponse) = await Post("/api/order", Order("over-1", "40010.00"));
        var (again, _, againResponse) = await Post("/api/order", Order("over-2", "40011.00"));
        var receivedWhileLimited = _venue.Counters.OrdersReceived;

        var (cancelled, _, _) = await Post("/api/cancel", """{"client_order_id":"open-0","symbol":"BTCUSDT"}""");
        var (cancelAll, cancelAllBody, _) = await Post("/api/admin/cancel_all", "");

        Assert.Equal(HttpStatusCode.TooManyRequests, limited);
        Assert.Equal("rate_limited", limitedBody.GetProperty("error").GetString());
        Assert.NotNull(limitedResponse.Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.TooManyRequests, again);
        Assert.NotNull(againResponse.Headers.RetryAfter);
        Assert.True(receivedWhileLimited <= 4, $"the venue received {receivedWhileLimited} orders");
        Assert.Equal(HttpStatusCode.OK, cancelled);
        Assert.Equal(HttpStatusCode.OK, cancelAll);
        Assert.Equal(["open-1", "open-2"], cancelAllBody.GetProperty("cancelled").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(3, _venue.Counters.OrdersCanceled);
    }
}
