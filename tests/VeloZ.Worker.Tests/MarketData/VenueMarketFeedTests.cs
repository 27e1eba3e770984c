using Microsoft.Extensions.Logging.Abstractions;
using VeloZ.Binance.Rest;
using VeloZ.Domain.Market;
using VeloZ.SimVenue;
using VeloZ.Worker.MarketData;
using VeloZ.Worker.Venue;

namespace VeloZ.Worker.Tests.MarketData;

/// <summary>The market feeds against the simulated venue, stepped by hand (no price timer).</summary>
public sealed class VenueMarketFeedTests : IAsyncLifetime
{
    private SimVenueHandle _venue = null!;
    private BinanceClientPool _clients = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _venue = await SimVenueServer.StartAsync(new SimVenueOptions { PriceTickInterval = TimeSpan.Zero }, Ct);
        _clients = new BinanceClientPool(new HttpClient(), TimeProvider.System, NullLoggerFactory.Instance);
    }

    public async ValueTask DisposeAsync()
    {
        _clients.Dispose();
        await _venue.DisposeAsync();
    }

    private BinanceWsMarketFeed WsFeed() =>
        new("binance_ws", _venue.StreamBaseUri, _clients.For(_venue.RestBaseUri), "BTCUSDT", TimeProvider.System, NullLogger<BinanceWsMarketFeed>.Instance);

    private static async Task<MarketTick> Next(IAsyncEnumerator<MarketTick> ticks)
    {
        Assert.True(await ticks.MoveNextAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(15), Ct));
        return ticks.Current;
    }

    private static async Task WaitForSocket(BinanceWsMarketFeed feed, int connections)
    {
        for (var i = 0; i < 300 && (feed.Connections < connections || !feed.SocketConnected); i++)
        {
            await Task.Delay(20, Ct);
        }

        Assert.True(feed.SocketConnected, "the feed did not connect");
        Assert.Equal(connections, feed.Connections);
        // The venue registers the socket's subscription just after the handshake completes.
        await Task.Delay(100, Ct);
    }

    /// <summary>
    /// Moves the venue's price to <paramref name="price"/> until the feed reports it, stepping one tick away and
    /// back between tries: the venue registers a new socket's subscription just after the handshake, so a trade
    /// made at that moment may reach nobody. Ticks at other prices are read past.
    /// </summary>
    private async Task SeePriceAsync(IAsyncEnumerator<MarketTick> ticks, decimal price, Task<bool>? pending = null)
    {
        var next = pending ?? ticks.MoveNextAsync().AsTask();
        for (var attempt = 0; attempt < 60; attempt++)
        {
            _venue.Market.SetPrice("BTCUSDT", attempt % 2 == 0 ? price : price - 0.01m);
            var until = DateTime.UtcNow.AddMilliseconds(250);
            while (DateTime.UtcNow < until)
            {
                if (await Task.WhenAny(next, Task.Delay(until - DateTime.UtcNow, Ct)) != next)
                {
                    break;
                }

                Assert.True(await next);
                if (ticks.Current.Price == price)
                {
                    return;
                }

                next = ticks.MoveNextAsync().AsTask();
            }
        }

        Assert.Fail($"The feed never reported {price}.");
    }

    [Fact]
    public async Task Trades_of_the_venue_become_ticks_at_the_trade_price()
    {
        var feed = WsFeed();
        await using var ticks = feed.ReadTicksAsync(Ct).GetAsyncEnumerator(Ct);
        var first = ticks.MoveNextAsync().AsTask();
        await WaitForSocket(feed, 1);

        await SeePriceAsync(ticks, 51234.56m, first);
        Assert.Equal(51234.56m, ticks.Current.Price);
        Assert.Equal("BTCUSDT", ticks.Current.Symbol);
        _venue.Market.SetPrice("BTCUSDT", 51234.57m);
        Assert.Equal(51234.57m, (await Next(ticks)).Price);
    }

    [Fact]
    public async Task A_dropped_socket_falls_back_to_rest_and_reconnects()
    {
        var feed = WsFeed();
        await using var ticks = feed.ReadTicksAsync(Ct).GetAsyncEnumerator(Ct);
        var first = ticks.MoveNextAsync().AsTask();
        await WaitForSocket(feed, 1);
        await SeePriceAsync(ticks, 50000.01m, first);

        Assert.True(_venue.Faults.DropWebSockets() >= 1);

        // While the socket is down the price still arrives, through REST polling.
        await SeePriceAsync(ticks, 50100.00m);

        await WaitForSocket(feed, 2);
        await SeePriceAsync(ticks, 50200.00m);
    }

    [Fact]
    public async Task Server_shutdown_makes_the_feed_reconnect()
    {
        var feed = WsFeed();
        await using var ticks = feed.ReadTicksAsync(Ct).GetAsyncEnumerator(Ct);
        var first = ticks.MoveNextAsync().AsTask();
        await WaitForSocket(feed, 1);

        Assert.True(_venue.Faults.AnnounceServerShutdown() >= 1);

        await WaitForSocket(feed, 2);
        await SeePriceAsync(ticks, 49000.5m, first);
    }

    [Fact]
    public async Task Rest_polling_reads_ticker_price()
    {
        _venue.Market.SetPrice("BTCUSDT", 47777.77m);
        var feed = new BinanceRestPollingFeed(_clients.For(_venue.RestBaseUri), "BTCUSDT", TimeProvider.System);

        await using var ticks = feed.ReadTicksAsync(Ct).GetAsyncEnumerator(Ct);

        Assert.Equal(47777.77m, (await Next(ticks)).Price);
    }

    [Fact]
    public async Task Rest_polling_of_an_unknown_symbol_fails_as_a_market_source_error()
    {
        var feed = new BinanceRestPollingFeed(_clients.For(_venue.RestBaseUri), "NOPEUSDT", TimeProvider.System);
        await using var ticks = feed.ReadTicksAsync(Ct).GetAsyncEnumerator(Ct);

        var ex = await Assert.ThrowsAsync<MarketSourceException>(() => ticks.MoveNextAsync().AsTask());
        Assert.Contains("-1121", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("BTCUSDT", "BTC", "USDT")]
    [InlineData("ETHBTC", "ETH", "BTC")]
    [InlineData("BNBFDUSD", "BNB", "FDUSD")]
    [InlineData("XYZ", "XYZ", "USDT")]
    public void Symbols_split_into_base_and_quote(string symbol, string baseAsset, string quote) =>
        Assert.Equal((baseAsset, quote), SimVenueHost.SplitSymbol(symbol));
}

public sealed class SimVenueCredentialsTests
{
    [Fact]
    public void The_gateway_uses_the_key_pair_the_simulated_venue_accepts()
    {
        Assert.Equal(SimApiKey.VeloZTestApiKey, VeloZ.Domain.Configuration.SimVenueCredentials.ApiKey.Reveal());
        Assert.Equal(SimApiKey.VeloZTestSecretKey, VeloZ.Domain.Configuration.SimVenueCredentials.ApiSecret.Reveal());
    }
}
