namespace VeloZ.Binance.Rest;

/// <summary>
/// Binance's clock as seen from here: the offset between the venue's <c>serverTime</c> and the injected
/// local clock, sampled from <c>GET /api/v3/time</c> (the midpoint of the round trip is taken as the
/// moment the venue read its clock). Signed requests take their <c>timestamp</c> from <see cref="NowMs"/>.
/// Thread-safe.
/// </summary>
public sealed class BinanceServerClock(TimeProvider clock)
{
    private long _offsetMs;
    private long _lastSyncTicks = long.MinValue;

    /// <summary>Venue time minus local time, in milliseconds.</summary>
    public long OffsetMs => Interlocked.Read(ref _offsetMs);

    /// <summary>When the offset was last measured (local clock), or null if never.</summary>
    public DateTimeOffset? LastSync
    {
        get
        {
            var ticks = Interlocked.Read(ref _lastSyncTicks);
            return ticks == long.MinValue ? null : new DateTimeOffset(ticks, TimeSpan.Zero);
        }
    }

    /// <summary>The venue's current time in Unix milliseconds, by our best estimate.</summary>
    public long NowMs => clock.GetUtcNow().ToUnixTimeMilliseconds() + OffsetMs;

    /// <summary>Records one sample: the venue said <paramref name="serverTimeMs"/> between sending and receiving.</summary>
    public void Record(long serverTimeMs, DateTimeOffset sentAt, DateTimeOffset receivedAt)
    {
        var midpointMs = (sentAt.ToUnixTimeMilliseconds() + receivedAt.ToUnixTimeMilliseconds()) / 2;
        Interlocked.Exchange(ref _offsetMs, serverTimeMs - midpointMs);
        Interlocked.Exchange(ref _lastSyncTicks, receivedAt.UtcTicks);
    }
}
