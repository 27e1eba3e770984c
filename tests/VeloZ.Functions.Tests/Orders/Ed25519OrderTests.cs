using System.Net;
using System.Text;
using System.Text.Json;
using VeloZ.SimVenue;
using VeloZ.Testing;

namespace VeloZ.Functions.Tests.Orders;

/// <summary>An Ed25519 key end to end: VeloZ signs with the private key, the simulated venue verifies with the registered public key.</summary>
public sealed class Ed25519OrderTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_order_is_placed_and_cancelled_with_an_ed25519_key()
    {
        await using var backed = await VenueBackedApi.StartAsync(azurite, Ct, SimApiKey.VeloZTestEd25519ApiKey, SimApiKey.VeloZTestEd25519PrivateKeyPem);
        var (venue, api) = (backed.Venue, backed.Api);

        using var placed = await api.Client.PostAsync(
            "/api/order",
            new StringContent("""{"side":"BUY","symbol":"BTCUSDT","qty":0.001,"price":40000,"client_order_id":"ed-1"}""", Encoding.UTF8, "application/json"),
            Ct);
        var placedBody = await placed.Content.ReadAsStringAsync(Ct);
        Assert.True(placed.StatusCode == HttpStatusCode.OK, placedBody);

        using var cancelled = await api.Client.PostAsync(
            "/api/cancel",
            new StringContent("""{"client_order_id":"ed-1"}""", Encoding.UTF8, "application/json"),
            Ct);
        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        using var state = JsonDocument.Parse(await api.Client.GetStringAsync("/api/order_state?client_order_id=ed-1", Ct));
        Assert.Equal("CANCELLED", state.RootElement.GetProperty("status").GetString());
        Assert.Equal(1, venue.Counters.OrdersReceived);
        Assert.Equal(1, venue.Counters.OrdersCanceled);
    }
}
