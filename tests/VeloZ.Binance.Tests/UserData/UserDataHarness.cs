using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using VeloZ.Binance.Rest;
using VeloZ.Binance.UserData;
using VeloZ.Domain.Configuration;
using VeloZ.SimVenue;

namespace VeloZ.Binance.Tests.UserData;

/// <summary>
/// An in-process simulated venue (real clock, manual price path, 0.6 BTC of liquidity per tick so a 1 BTC order fills
/// in two ticks), a REST client for placing orders and syncing the clock, and a running <see cref="BinanceUserDataStream"/>
/// whose events and log lines are collected. Waits poll with deadlines; nothing asserts on a fixed sleep.
/// </summary>
internal sealed partial class UserDataHarness : IAsyncDisposable
{
    public const string Key = SimApiKey.VeloZTestApiKey;
    public const string SecretText = SimApiKey.VeloZTestSecretKey;
    private static readonly TimeSpan s_defaultWait = TimeSpan.FromSeconds(10);

    private readonly List<UserDataEvent> _events = [];
    private readonly List<string> _logs = [];
    private readonly ILoggerFactory _loggerFactory;
    private readonly CancellationTokenSource _stop = new();
    private readonly HttpClient _http;
    private Task _run = Task.CompletedTask;
    private Task _consume = Task.CompletedTask;
    private int _orderSequence;

    private UserDataHarness(SimVenueHandle venue)
    {
        Venue = venue;
        _loggerFactory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(new ListLoggerProvider(_logs)));
        _http = new HttpClient();
        Rest = new BinanceRestClient(_http, new BinanceClientOptions
        {
            BaseUrl = venue.RestBaseUri,
            ApiKey = new Secret(Key),
            ApiSecret = new Secret(SecretText),
        }, new BinanceServerClock(TimeProvider.System), new BinanceRateGate(TimeProvider.System), TimeProvider.System, _loggerFactory.CreateLogger<BinanceRestClient>());
        // The venue's ORDERS limit, as the gateway learns it from exchangeInfo (the client's own default is Binance's 50 / 10 s).
        Rest.RateGate.SetOrderLimit("SECOND", 10, VenueOptions().OrdersPer10Seconds);
    }

    public SimVenueHandle Venue { get; private set; }

    public BinanceRestClient Rest { get; }

    public BinanceUserDataStream Stream { get; private set; } = null!;

    public IReadOnlyList<string> Logs
    {
        get
        {
            lock (_logs)
            {
                return [.. _logs];
            }
        }
    }

    public IReadOnlyList<UserDataEvent> Events
    {
        get
        {
            lock (_events)
            {
                return [.. _events];
            }
        }
    }

    public static SimVenueOptions VenueOptions(int port = 0) => new()
    {
        Port = port,
        PriceTickInterval = TimeSpan.Zero,
        OrdersPer10Seconds = 10_000,
        Symbols = [new SimSymbolOptions { Symbol = "BTCUSDT", BaseAsset = "BTC", QuoteAsset = "USDT", StartPrice = 50_000m, LiquidityPerTick = 0.6m }],
    };

    /// <summary>Test defaults: quick reconnects and retirement; keep-alive and silence as in production unless a test shortens them.</summary>
    public static BinanceUserDataStreamOptions StreamOptions(Uri url, Func<BinanceUserDataStreamOptions, BinanceUserDataStreamOptions>? adjust = null)
    {
        var options = new BinanceUserDataStreamOptions
        {
            WebSocketApiUrl = url,
            ApiKey = new Secret(Key),
            ApiSecret = new Secret(SecretText),
            ReconnectBaseDelay = TimeSpan.FromMilliseconds(50),
            ReconnectMaxDelay = TimeSpan.FromMilliseconds(400),
            RetireTimeout = TimeSpan.FromSeconds(3),
        };
        return adjust is null ? options : adjust(options);
    }

    /// <summary>Starts the venue and the stream, and waits for the first subscription (unless told not to).</summary>
    public static async Task<UserDataHarness> StartAsync(Func<BinanceUserDataStreamOptions, BinanceUserDataStreamOptions>? adjust = null, Action<SimVenueHandle>? beforeStream = null, bool waitConnected = true)
    {
        var venue = await SimVenueServer.StartAsync(VenueOptions(), TestContext.Current.CancellationToken);
        var harness = new UserDataHarness(venue);
        beforeStream?.Invoke(venue);
        harness.StartStream(StreamOptions(venue.WebSocketApiUri, adjust));
        if (waitConnected)
        {
            await harness.WaitForAsync<UserStreamConnected>(_ => true);
        }

        return harness;
    }

    /// <summary>Replaces the venue with a fresh one on the same port (the old one must be stopped).</summary>
    public async Task RestartVenueAsync(int port) =>
        Venue = await SimVenueServer.StartAsync(VenueOptions(port), TestContext.Current.CancellationToken);

    public async Task StopVenueAsync() => await Venue.DisposeAsync();

    /// <summary>Places a resting LIMIT BUY at 49,000 with signed REST; returns its client order id.</summary>
    public async Task<string> PlaceBuyAsync(decimal quantity, decimal price = 49_000m)
    {
        var clientOrderId = $"ud-{Interlocked.Increment(ref _orderSequence)}";
        var result = await Rest.PlaceLimitOrderAsync("BTCUSDT", "BUY", quantity, price, clientOrderId, TestContext.Current.CancellationToken);
        Assert.True(result.IsSuccess, $"placing {clientOrderId}: {result.Kind} {result.Code} {result.Message}");
        return clientOrderId;
    }

    /// <summary>Every trade id the venue has recorded for the test account (the truth the events are checked against).</summary>
    public async Task<HashSet<long>> VenueTradeIdsAsync()
    {
        var trades = await Rest.GetMyTradesAsync("BTCUSDT", 0, 1000, TestContext.Current.CancellationToken);
        Assert.True(trades.IsSuccess);
        return [.. trades.Value!.Select(t => t.Id)];
    }

    public HashSet<long> StreamTradeIds() => [.. Events.OfType<ExecutionReport>().Where(r => r.IsTrade).Select(r => r.TradeId)];

    public async Task<T> WaitForAsync<T>(Func<T, bool> predicate, int skip = 0, TimeSpan? wait = null)
        where T : UserDataEvent
    {
        T? found = null;
        await EventuallyAsync(() => (found = Events.OfType<T>().Where(predicate).Skip(skip).FirstOrDefault()) is not null, wait, $"no {typeof(T).Name} matching the condition arrived");
        return found!;
    }

    public static async Task EventuallyAsync(Func<bool> condition, TimeSpan? wait = null, string? what = null)
    {
        var deadline = DateTime.UtcNow + (wait ?? s_defaultWait);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out: {what ?? "the condition did not become true"}.");
            }

            await Task.Delay(10, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>No log line may carry the key, the secret or anything shaped like a signature.</summary>
    public void AssertNoSecretsInLogs()
    {
        foreach (var line in Logs)
        {
            Assert.DoesNotContain(Key, line, StringComparison.Ordinal);
            Assert.DoesNotContain(SecretText, line, StringComparison.Ordinal);
            Assert.DoesNotMatch(HexSignature(), line);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Stream.DisposeAsync();
        await _run.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await _consume.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await Venue.DisposeAsync();
        _http.Dispose();
        _loggerFactory.Dispose();
        _stop.Dispose();
    }

    private void StartStream(BinanceUserDataStreamOptions options)
    {
        Stream = new BinanceUserDataStream(options, Rest, TimeProvider.System, _loggerFactory.CreateLogger<BinanceUserDataStream>());
        _run = Stream.RunAsync(_stop.Token);
        _consume = Task.Run(async () =>
        {
            await foreach (var item in Stream.Events.ReadAllAsync(CancellationToken.None))
            {
                lock (_events)
                {
                    _events.Add(item);
                }
            }
        });
    }

    [GeneratedRegex("[0-9a-fA-F]{64}")]
    private static partial Regex HexSignature();

    private sealed class ListLoggerProvider(List<string> lines) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new ListLogger(lines);

        public void Dispose()
        {
        }

        private sealed class ListLogger(List<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                lock (lines)
                {
                    lines.Add(formatter(state, exception) + exception);
                }
            }
        }
    }
}
