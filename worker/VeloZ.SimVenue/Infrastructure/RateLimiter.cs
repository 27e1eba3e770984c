namespace VeloZ.SimVenue.Infrastructure;

/// <summary>
/// Binance's limits as fixed windows on the venue clock (Binance's rest-api.md "LIMITS"): REQUEST_WEIGHT per IP per minute
/// (shared by REST and the WebSocket API) and ORDERS per account per 10 s and per day. A request whose
/// weight would pass the limit is refused and not counted.
/// </summary>
internal sealed class RateLimiter(VenueClock clock, SimVenueOptions options)
{
    private const long MinuteMs = 60_000;
    private const long TenSecondsMs = 10_000;
    private const long DayMs = 86_400_000;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, Window> _weight = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (Window TenSeconds, Window Day)> _orders = new(StringComparer.Ordinal);

    public int WeightLimit => options.RequestWeightPerMinute;

    public int OrdersPer10Seconds => options.OrdersPer10Seconds;

    public int OrdersPerDay => options.OrdersPerDay;

    /// <summary>Adds <paramref name="cost"/> unless that would pass the limit (a zero-cost request still needs room for 1).</summary>
    public bool TryConsumeWeight(string ip, int cost, out int used, out int retryAfterSeconds)
    {
        lock (_gate)
        {
            var now = clock.NowMs;
            var window = Current(_weight, ip, MinuteMs, now);
            if (window.Count + Math.Max(cost, 1) > options.RequestWeightPerMinute)
            {
                used = window.Count;
                retryAfterSeconds = window.SecondsLeft(now);
                return false;
            }

            window.Count += cost;
            used = window.Count;
            retryAfterSeconds = 0;
            return true;
        }
    }

    public int AddWeight(string ip, int cost)
    {
        lock (_gate)
        {
            var window = Current(_weight, ip, MinuteMs, clock.NowMs);
            window.Count += cost;
            return window.Count;
        }
    }

    public int UsedWeight(string ip)
    {
        lock (_gate)
        {
            return Current(_weight, ip, MinuteMs, clock.NowMs).Count;
        }
    }

    /// <summary>Whether the account may place one more order; on refusal names the full interval.</summary>
    public bool HasOrderRoom(string account, out int limit, out string interval, out int retryAfterSeconds)
    {
        lock (_gate)
        {
            var now = clock.NowMs;
            var (tenSeconds, day) = Orders(account, now);
            if (tenSeconds.Count + 1 > options.OrdersPer10Seconds)
            {
                (limit, interval, retryAfterSeconds) = (options.OrdersPer10Seconds, "10 SECOND", tenSeconds.SecondsLeft(now));
                return false;
            }

            if (day.Count + 1 > options.OrdersPerDay)
            {
                (limit, interval, retryAfterSeconds) = (options.OrdersPerDay, "1 DAY", day.SecondsLeft(now));
                return false;
            }

            (limit, interval, retryAfterSeconds) = (0, string.Empty, 0);
            return true;
        }
    }

    /// <summary>Counts an order the engine accepted; returns the new counts.</summary>
    public (int TenSeconds, int Day) CountOrder(string account)
    {
        lock (_gate)
        {
            var (tenSeconds, day) = Orders(account, clock.NowMs);
            tenSeconds.Count++;
            day.Count++;
            return (tenSeconds.Count, day.Count);
        }
    }

    public (int TenSeconds, int Day) OrderCounts(string account)
    {
        lock (_gate)
        {
            var (tenSeconds, day) = Orders(account, clock.NowMs);
            return (tenSeconds.Count, day.Count);
        }
    }

    private (Window TenSeconds, Window Day) Orders(string account, long now)
    {
        if (!_orders.TryGetValue(account, out var pair))
        {
            pair = (new Window(), new Window());
            _orders[account] = pair;
        }

        pair.TenSeconds.Roll(now, TenSecondsMs);
        pair.Day.Roll(now, DayMs);
        return pair;
    }

    private static Window Current(Dictionary<string, Window> windows, string key, long length, long now)
    {
        if (!windows.TryGetValue(key, out var window))
        {
            window = new Window();
            windows[key] = window;
        }

        window.Roll(now, length);
        return window;
    }

    private sealed class Window
    {
        public long Start { get; private set; } = long.MinValue;

        public long Length { get; private set; }

        public int Count { get; set; }

        public void Roll(long now, long length)
        {
            var start = now - (((now % length) + length) % length);
            if (start != Start)
            {
                Start = start;
                Length = length;
                Count = 0;
            }
        }

        public int SecondsLeft(long now) => (int)Math.Max(1, Math.Ceiling((Start + Length - now) / 1000.0));
    }
}
