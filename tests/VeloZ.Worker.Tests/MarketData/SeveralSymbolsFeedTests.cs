using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using VeloZ.Binance.Rest;
using VeloZ.Domain.Events;
using VeloZ.Domain.Market;
using VeloZ.SimVenue;
using VeloZ.Storage;
using VeloZ.Worker.Events;
using VeloZ.Worker.MarketData;
using VeloZ.Worker.Venue;

namespace VeloZ.Worker.Tests.MarketData;

/// <summary>Several symbols: one combined stream, REST polling of each, per-symbol conflation of storage writes and of the log.</summary>
public sealed class SeveralSymbolsFeedTests : IAsyncLifetime
{
    private static readonly string[] s_symbols = ["BTCUSDT", "ETHUSDT", "BNBUSDT"];
    private SimVenueHandle _venue = null!;
    private BinanceClientPool _clients = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _venue = await SimVenueServer.StartAsync(
            new SimVenueOptions
            {
                PriceTickInterval = TimeSpan.FromMilliseconds(50),
                Symbols = [.. s_symbols.Select((s, i) => SimVenueHost.VenueSymbol(s, i == 0 ? 42000m : null))],
            },
            Ct);
        _clients = new BinanceClientPool(new HttpClient(), TimeProvider.System, NullLoggerFactory.Instance);
    }

    public async ValueTask DisposeAsync()
    {
        _clients.Dispose();
        await _venue.DisposeAsync();
    }

    /// <summary>Reads ticks until every symbol has moved (two different prices each).</summary>
    private static async Task<Dictionary<string, List<decimal>>> PricesOfEverySymbolAsync(IMarketFeed feed)
    {
        var seen = s_symbols.ToDictionary(s => s, _ => new List<decimal>(), StringComparer.Ordinal);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(20));
        await foreach (var tick in feed.ReadTicksAsync(timeout.Token))
        {
            Assert.Contains(tick.Symbol, s_symbols);
            seen[tick.Symbol].Add(tick.Price);
            if (seen.Values.All(prices => prices.Distinct().Count() >= 2))
            {
                break;
            }
        }

        return seen;
    }

    [Fact]
    public async Task One_combined_stream_brings_each_symbols_own_moving_price()
    {
        var feed = new BinanceWsMarketFeed("binance_ws", _venue.StreamBaseUri, _clients.For(_venue.RestBaseUri), s_symbols, TimeProvider.System, NullLogger<BinanceWsMarketFeed>.Instance);

        var seen = await PricesOfEverySymbolAsync(feed);

        Assert.Equal(1, feed.Connections);
        Assert.All(seen.Values, prices => Assert.True(prices.Distinct().Count() >= 2));
        // Each symbol walks its own path from its own start: BTC near 42,000, ETH near 3,000, BNB near 600.
        Assert.InRange(seen["BTCUSDT"].Last(), 40_000m, 44_000m);
        Assert.InRange(seen["ETHUSDT"].Last(), 2_500m, 3_500m);
        Assert.InRange(seen["BNBUSDT"].Last(), 500m, 700m);
    }

    [Fact]
    public async Task While_the_stream_is_down_every_symbol_is_polled_over_rest_until_it_reconnects()
    {
        var feed = new BinanceWsMarketFeed("binance_ws", _venue.StreamBaseUri, _clients.For(_venue.RestBaseUri), s_symbols, TimeProvider.System, NullLogger<BinanceWsMarketFeed>.Instance);
        var ticks = new System.Collections.Concurrent.ConcurrentQueue<MarketTick>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var reading = Task.Run(async () =>
        {
            await foreach (var tick in feed.ReadTicksAsync(stop.Token))
            {
                ticks.Enqueue(tick);
            }
        }, Ct);
        await Eventually(() => feed.SocketConnected && s_symbols.All(s => ticks.Any(t => t.Symbol == s)));
        var restBefore = _venue.Counters.RestRequests;

        Assert.True(_venue.Faults.DropWebSockets() >= 1);
        var afterDrop = ticks.Count;

        // One ticker/price request per symbol at least, then the single combined stream again.
        await Eventually(() => _venue.Counters.RestRequests - restBefore >= s_symbols.Length && feed.Connections == 2 && feed.SocketConnected);
        await Eventually(() => s_symbols.All(s => ticks.Skip(afterDrop).Any(t => t.Symbol == s)));
        await stop.CancelAsync();
        await reading.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ContinueOnCapturedContext);
    }

    [Fact]
    public async Task Rest_polling_reads_each_symbols_ticker_price()
    {
        var feed = new BinanceRestPollingFeed(_clients.For(_venue.RestBaseUri), s_symbols, TimeProvider.System);

        var seen = await PricesOfEverySymbolAsync(feed);

        Assert.All(seen.Values, prices => Assert.True(prices.Distinct().Count() >= 2));
    }

    [Fact]
    public async Task Rest_polling_still_delivers_the_other_symbols_when_one_fails()
    {
        var feed = new BinanceRestPollingFeed(_clients.For(_venue.RestBaseUri), ["BTCUSDT", "NOPEUSDT", "ETHUSDT"], TimeProvider.System);
        var symbols = new List<string>();

        var ex = await Assert.ThrowsAsync<MarketSourceException>(async () =>
        {
            await foreach (var tick in feed.ReadTicksAsync(Ct))
            {
                symbols.Add(tick.Symbol);
            }
        });

        Assert.Equal(["BTCUSDT", "ETHUSDT"], symbols);
        Assert.Contains("-1121", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_latest_price_of_every_symbol_is_stored_however_busy_another_is()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddDays(20000));
        var buffer = new LatestTickBuffer();
        var store = new RecordingStore();
        using var writer = new MarketTickWriter(buffer, store, clock, NullLogger<MarketTickWriter>.Instance);
        await writer.StartAsync(Ct);

        buffer.Publish(new MarketTick("ETHUSDT", 3000m, 1, 1));
        await WaitUntil(() => store.Count == 1);
        buffer.Publish(new MarketTick("BNBUSDT", 600m, 2, 2));
        for (var i = 1; i <= 100; i++)
        {
            buffer.Publish(new MarketTick("BTCUSDT", 42000m + i, 2 + i, 2 + i));
        }

        for (var i = 0; i < 100 && store.Count < 3; i++)
        {
            clock.Advance(MarketTickWriter.MinWriteInterval);
            await Task.Delay(10, Ct);
        }

        await Task.Delay(50, Ct);
        var writes = store.Snapshot();
        Assert.Equal(3, writes.Count);
        Assert.Equal(600m, Assert.Single(writes, t => t.Symbol == "BNBUSDT").Price);
        Assert.Equal(42100m, Assert.Single(writes, t => t.Symbol == "BTCUSDT").Price);
        await writer.StopAsync(Ct);
    }

    [Fact]
    public void The_log_takes_each_symbols_market_event_once_per_interval_and_every_durable_event()
    {
        var conflation = new MarketLogConflation(TimeSpan.FromSeconds(1));
        var start = DateTimeOffset.UnixEpoch;
        var btc = EventPayloads.Market(new MarketTick("BTCUSDT", 1m, 1, 1));
        var eth = EventPayloads.Market(new MarketTick("ETHUSDT", 2m, 1, 1));
        var error = EventPayloads.Error(1, "market_source_error");

        Assert.True(conflation.IsDue(btc, start));
        conflation.Logged([btc], start);

        // A busy BTCUSDT does not keep ETHUSDT out of the log.
        Assert.False(conflation.IsDue(btc, start.AddMilliseconds(500)));
        Assert.True(conflation.IsDue(eth, start.AddMilliseconds(500)));
        Assert.True(conflation.IsDue(error, start.AddMilliseconds(500)));
        conflation.Logged([eth, error], start.AddMilliseconds(500));

        Assert.True(conflation.IsDue(btc, start.AddSeconds(1)));
        Assert.False(conflation.IsDue(eth, start.AddSeconds(1)));
        Assert.True(conflation.IsDue(eth, start.AddMilliseconds(1500)));
        Assert.Equal("ETHUSDT", MarketLogConflation.SymbolOf(eth));
    }

    public static TheoryData<string, decimal?, decimal, decimal, decimal> VenueSymbols => new()
    {
        // The first symbol starts at VELOZ_SIM_START_PRICE with its preset's filters.
        { "BTCUSDT", 42000.5m, 42000.5m, 0.01m, 0.00001m },
        { "ETHUSDT", 42000m, 42000m, 0.01m, 0.0001m },
        // The others start at their own price.
        { "ETHUSDT", null, 3000m, 0.01m, 0.0001m },
        { "BNBUSDT", null, 600m, 0.01m, 0.001m },
        { "SOLUSDT", null, SimVenueHost.OtherStartPrice, 0.01m, 0.00001m },
        { "SOLUSDT", 150m, 150m, 0.01m, 0.00001m },
    };

    [Theory]
    [MemberData(nameof(VenueSymbols))]
    public void The_worker_lists_each_followed_symbol_with_its_own_start_price_and_filters(string symbol, decimal? first, decimal start, decimal tick, decimal step)
    {
        var options = SimVenueHost.VenueSymbol(symbol, first);

        Assert.Equal(symbol, options.Symbol);
        Assert.Equal(start, options.StartPrice);
        Assert.Equal(tick, options.TickSize);
        Assert.Equal(step, options.StepSize);
        Assert.Equal(SimVenueHost.SplitSymbol(symbol), (options.BaseAsset, options.QuoteAsset));
    }

    private static async Task Eventually(Func<bool> condition)
    {
        for (var i = 0; i < 750 && !condition(); i++)
        {
            await Task.Delay(20, Ct);
        }

        Assert.True(condition());
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        for (var i = 0; i < 200 && !condition(); i++)
        {
            await Task.Delay(10, Ct);
        }

        Assert.True(condition());
    }

    private sealed class RecordingStore : IMarketTickStore
    {
        private readonly List<MarketTick> _writes = [];

        public int Count
        {
            get
            {
                lock (_writes)
                {
                    return _writes.Count;
                }
            }
        }

        public List<MarketTick> Snapshot()
        {
            lock (_writes)
            {
                return [.. _writes];
            }
        }

        public Task UpsertLatestAsync(MarketTick tick, CancellationToken cancellationToken)
        {
            lock (_writes)
            {
                _writes.Add(tick);
            }

            return Task.CompletedTask;
        }
    }
}
