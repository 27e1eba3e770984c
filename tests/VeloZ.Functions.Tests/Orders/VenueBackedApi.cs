using Microsoft.Extensions.DependencyInjection;
using VeloZ.Domain.Configuration;
using VeloZ.SimVenue;
using VeloZ.Testing;

namespace VeloZ.Functions.Tests.Orders;

/// <summary>
/// The standalone API trading in <c>binance_testnet_spot</c> mode on its own simulated venue (prices held still), with
/// VeloZ's test-only HMAC key unless another is given: the setting of the API tests that need a venue.
/// </summary>
internal sealed class VenueBackedApi : IAsyncDisposable
{
    private VenueBackedApi(SimVenueHandle venue, StandaloneApi api)
    {
        Venue = venue;
        Api = api;
    }

    public SimVenueHandle Venue { get; }

    public StandaloneApi Api { get; }

    public static async Task<VenueBackedApi> StartAsync(AzuriteFixture azurite, CancellationToken cancellationToken, string apiKey = SimApiKey.VeloZTestApiKey, string apiSecret = SimApiKey.VeloZTestSecretKey, Action<IServiceCollection>? services = null)
    {
        var venue = await SimVenueServer.StartAsync(new SimVenueOptions { PriceTickInterval = TimeSpan.Zero }, cancellationToken);
        try
        {
            var api = await StandaloneApi.StartAsync(TestOptions.OnAzurite(azurite, new GatewayOptions
            {
                Venue = new()
                {
                    ExecutionMode = ExecutionMode.BinanceTestnetSpot,
                    BinanceTradeBaseUrl = venue.RestBaseUri,
                    BinanceApiKey = new Secret(apiKey),
                    BinanceApiSecret = new Secret(apiSecret),
                },
            }), services);
            return new VenueBackedApi(venue, api);
        }
        catch
        {
            await venue.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Api.DisposeAsync();
        await Venue.DisposeAsync();
    }
}
