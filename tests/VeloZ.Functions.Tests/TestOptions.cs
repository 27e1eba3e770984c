using VeloZ.Domain.Configuration;
using VeloZ.SimVenue;
using VeloZ.Testing;

namespace VeloZ.Functions.Tests;

/// <summary>Options the API tests start from: their own tables on Azurite, and the simulated venue standing in for the testnet.</summary>
internal static class TestOptions
{
    /// <summary><paramref name="options"/> (the defaults when null) with storage on Azurite under a fresh prefix.</summary>
    public static GatewayOptions OnAzurite(AzuriteFixture azurite, GatewayOptions? options = null)
    {
        options ??= new GatewayOptions();
        return options with
        {
            Storage = options.Storage with
            {
                StorageConnectionString = new Secret(azurite.ConnectionString),
                StoragePrefix = AzuriteFixture.NewStoragePrefix(),
            },
        };
    }

    /// <summary>
    /// Trading on <paramref name="venue"/> as <c>binance_testnet_spot</c> with its test key pair, authentication on
    /// with <paramref name="adminKey"/>, storage on Azurite.
    /// </summary>
    public static GatewayOptions TradingOn(SimVenueHandle venue, AzuriteFixture azurite, string adminKey) => OnAzurite(azurite, new GatewayOptions
    {
        Venue = new()
        {
            ExecutionMode = ExecutionMode.BinanceTestnetSpot,
            BinanceTradeBaseUrl = venue.RestBaseUri,
            BinanceApiKey = new Secret(SimApiKey.VeloZTestApiKey),
            BinanceApiSecret = new Secret(SimApiKey.VeloZTestSecretKey),
        },
        Security = new() { AuthEnabled = true, AdminApiKey = new Secret(adminKey) },
    });
}
