using Microsoft.Extensions.Logging.Abstractions;
using VeloZ.Binance.Filters;
using VeloZ.Binance.Rest;
using VeloZ.Domain.Configuration;
using VeloZ.SimVenue;

namespace VeloZ.Binance.Tests.Venue;

/// <summary>The REST client against the simulated venue's clock, weight and ban faults.</summary>
public sealed class RestClientVenueTests : IAsyncLifetime
{
    private SimVenueHandle _venue = null!;
    private BinanceClientPool _pool = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _venue = await SimVenueServer.StartAsync(new SimVenueOptions { PriceTickInterval = TimeSpan.Zero, RequestWeightPerMinute = 100 }, Ct);
        _pool = new BinanceClientPool(new HttpClient(), TimeProvider.System, NullLoggerFactory.Instance);
    }

    public async ValueTask DisposeAsync()
    {
        _pool.Dispose();
        await _venue.DisposeAsync();
    }

    private BinanceRestClient Client() => _pool.For(_venue.RestBaseUri, new Secret(SimApiKey.VeloZTestApiKey), new Secret(SimApiKey.VeloZTestSecretKey));

    [Fact]
    public async Task A_skewed_venue_clock_is_met_with_one_resync_and_one_retry()
    {
        _venue.Faults.ClockSkew = TimeSpan.FromSeconds(30);
        var client = Client();

        var account = await client.GetAccountAsync(Ct);

        Assert.True(account.IsSuccess, $"{account} offset {client.ServerClock.OffsetMs}");
        Assert.InRange(client.ServerClock.OffsetMs, 29_000, 31_000);
        Assert.True((await client.GetAccountAsync(Ct)).IsSuccess);
    }

    [Fact]
    public async Task Exhausted_weight_backs_off_instead_of_hammering_into_a_ban()
    {
        var client = Client();
        BinanceResult<BinanceTickerPrice>? refused = null;
        for (var i = 0; i < 100 && refused is null; i++)
        {
            var result = await client.GetTickerPriceAsync("BTCUSDT", Ct);
            if (!result.IsSuccess)
            {
                refused = result;
            }
        }

        Assert.Equal(BinanceOutcomeKind.RateLimited, refused!.Kind);
        Assert.NotNull(refused.RetryAfter);
        var limitedBefore = _venue.Counters.RequestsRateLimited;
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(BinanceOutcomeKind.RateLimited, (await client.GetTickerPriceAsync("BTCUSDT", Ct)).Kind);
        }

        // Nothing more reached the venue while backing off: at most the one 429 that taught the client.
        Assert.Equal(limitedBefore, _venue.Counters.RequestsRateLimited);
        Assert.True(limitedBefore <= 1);
        Assert.Null(client.RateGate.HaltedUntil);
    }

    [Fact]
    public async Task Knowing_the_weight_limit_from_exchange_info_keeps_the_client_below_it()
    {
        var client = Client();
        using var rules = new ExchangeInfoCache(client, TimeProvider.System);
        Assert.True((await rules.GetAsync("BTCUSDT", Ct)).IsSuccess);

        for (var i = 0; i < 60; i++)
        {
            await client.GetTickerPriceAsync("BTCUSDT", Ct);
        }

        Assert.Equal(0, _venue.Counters.RequestsRateLimited);
    }

    [Fact]
    public async Task A_ban_halts_trading_until_it_ends()
    {
        _venue.Faults.Ban(TimeSpan.FromSeconds(2));
        var client = Client();

        var ping = await client.PingAsync(Ct);
        var order = await client.PlaceLimitOrderAsync("BTCUSDT", "BUY", 0.001m, 40000m, "banned-1", Ct);

        Assert.Equal(BinanceOutcomeKind.Banned, ping.Kind);
        Assert.Equal(BinanceOutcomeKind.Banned, order.Kind);
        Assert.NotNull(client.RateGate.HaltedUntil);
        Assert.Equal(0, _venue.Counters.OrdersReceived);

        await Task.Delay(TimeSpan.FromSeconds(2.5), Ct);
        Assert.Null(client.RateGate.HaltedUntil);
        Assert.True((await client.PingAsync(Ct)).IsSuccess);
    }
}
