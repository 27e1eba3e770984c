using System.Runtime.CompilerServices;
using VeloZ.Binance.Rest;
using VeloZ.Domain.Market;
using VeloZ.Domain.Time;

namespace VeloZ.Worker.MarketData;

/// <summary>
/// The <c>binance_rest</c> market source (the original gateway's behaviour): <c>GET /api/v3/ticker/price</c> of
/// each followed symbol every <see cref="PollInterval"/> (weight 2 each, so 120 per minute and symbol of a 6000
/// budget). A failed poll ends the enumeration with <see cref="MarketSourceException"/> once the other symbols'
/// prices of that round are out; the feed service reports it and restarts with backoff.
/// </summary>
internal sealed class BinanceRestPollingFeed(BinanceRestClient client, IReadOnlyList<string> symbols, TimeProvider clock) : IMarketFeed
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    /// <summary>A feed of one symbol.</summary>
    public BinanceRestPollingFeed(BinanceRestClient client, string symbol, TimeProvider clock)
        : this(client, [symbol], clock)
    {
    }

    public string Name => "binance_rest";

    public async IAsyncEnumerable<MarketTick> ReadTicksAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(PollInterval, clock);
        do
        {
            MarketSourceException? failed = null;
            foreach (var symbol in symbols)
            {
                MarketTick tick;
                try
                {
                    tick = await PollOnceAsync(client, symbol, clock, cancellationToken);
                }
                catch (MarketSourceException ex)
                {
                    // One symbol's failure does not hold back the others' prices of this round.
                    failed ??= ex;
                    continue;
                }

                yield return tick;
            }

            if (failed is not null)
            {
                throw failed;
            }
        }
        while (await timer.WaitForNextTickAsync(cancellationToken));
    }

    /// <summary>One poll; throws <see cref="MarketSourceException"/> on anything but a price.</summary>
    public static async Task<MarketTick> PollOnceAsync(BinanceRestClient client, string symbol, TimeProvider clock, CancellationToken cancellationToken)
    {
        var result = await client.GetTickerPriceAsync(symbol, cancellationToken);
        if (!result.IsSuccess)
        {
            throw new MarketSourceException($"ticker/price failed: {result}", result.RetryAfter);
        }

        // ticker/price carries no time: the venue clock estimate stands in for the event time.
        var received = clock.NowNanos();
        return new MarketTick(symbol, result.Value!.Price, UnixTime.FromUnixMillis(client.ServerClock.NowMs), received);
    }
}

/// <summary>A market source failed; <see cref="RetryAfter"/> is the venue's wish when it gave one.</summary>
internal sealed class MarketSourceException : Exception
{
    public MarketSourceException(string message, TimeSpan? retryAfter = null)
        : base(message) => RetryAfter = retryAfter;

    public MarketSourceException()
    {
    }

    public MarketSourceException(string message)
        : base(message)
    {
    }

    public MarketSourceException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public TimeSpan? RetryAfter { get; }
}
