namespace VeloZ.Domain.Time;

/// <summary>Conversions between <see cref="DateTimeOffset"/> and the contract's <c>ts_ns</c> (ns since the Unix epoch).</summary>
public static class UnixTime
{
    private const long NanosPerTick = 100;

    public static long ToUnixNanos(DateTimeOffset time) => (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * NanosPerTick;

    public static DateTimeOffset FromUnixNanos(long nanos) => DateTimeOffset.UnixEpoch.AddTicks(nanos / NanosPerTick);

    public static long FromUnixMillis(long millis) => millis * 1_000_000;

    /// <summary>The current time as <c>ts_ns</c>, from the injected clock.</summary>
    public static long NowNanos(this TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        return ToUnixNanos(clock.GetUtcNow());
    }
}
