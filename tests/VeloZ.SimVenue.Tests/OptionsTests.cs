namespace VeloZ.SimVenue.Tests;

/// <summary>Bad settings stop the venue at start with a message naming the setting.</summary>
public sealed class OptionsTests
{
    public static TheoryData<string, Func<SimVenueOptions>> BadOptions => new()
    {
        { "Port", () => new SimVenueOptions { Port = 70_000 } },
        { "ApiKeys", () => new SimVenueOptions { ApiKeys = [new SimApiKey("short", "secret")] } },
        { "ApiKeys", () => new SimVenueOptions { ApiKeys = [] } },
        { "Symbols", () => new SimVenueOptions { Symbols = [] } },
        { "TickSize", () => new SimVenueOptions { Symbols = [new SimSymbolOptions { Symbol = "BTCUSDT", BaseAsset = "BTC", QuoteAsset = "USDT", StartPrice = 1m, TickSize = 0m }] } },
        { "StartPrice", () => new SimVenueOptions { Symbols = [new SimSymbolOptions { Symbol = "BTCUSDT", BaseAsset = "BTC", QuoteAsset = "USDT", StartPrice = 1.001m }] } },
        { "LiquidityPerTick", () => new SimVenueOptions { Symbols = [new SimSymbolOptions { Symbol = "BTCUSDT", BaseAsset = "BTC", QuoteAsset = "USDT", StartPrice = 1m, LiquidityPerTick = 0.000001m }] } },
        { "PriceTickInterval", () => new SimVenueOptions { PriceTickInterval = TimeSpan.FromSeconds(-1) } },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public async Task Invalid_settings_are_refused_by_name(string setting, Func<SimVenueOptions> options)
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => SimVenueServer.StartAsync(options(), TestContext.Current.CancellationToken));
        Assert.Contains(setting, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Api_keys_never_show_their_secret()
    {
        var key = new SimApiKey(SimApiKey.VeloZTestApiKey, "super-secret-value");
        Assert.DoesNotContain("super-secret-value", key.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_handle_reports_loopback_urls_for_port_zero()
    {
        await using var venue = await SimVenueServer.StartAsync(new SimVenueOptions { PriceTickInterval = TimeSpan.Zero }, TestContext.Current.CancellationToken);
        Assert.True(venue.Port > 0);
        Assert.Equal($"http://127.0.0.1:{venue.Port}/", venue.RestBaseUri.ToString());
        Assert.Equal($"ws://127.0.0.1:{venue.Port}/", venue.StreamBaseUri.ToString());
        Assert.Equal($"ws://127.0.0.1:{venue.Port}/ws-api/v3", venue.WebSocketApiUri.ToString());
        Assert.Equal(["BTCUSDT"], venue.Market.Symbols);
        Assert.Equal(new SimBalance(100_000m, 0m), venue.Accounts.GetBalance(SimApiKey.VeloZTestApiKey, "USDT"));
    }
}
