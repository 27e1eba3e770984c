using System.Globalization;

namespace VeloZ.Binance.Rest;

/// <summary>
/// Keeps VeloZ inside Binance's limits (Binance Spot API docs, rest-api.md: "LIMITS"; CHANGELOG 2026-03-27 for the 0-weight cancel) without ever standing between a user and a cancel:
/// <list type="bullet">
/// <item>request weight: tracks <c>X-MBX-USED-WEIGHT-1M</c> and refuses locally a request that would cross
/// the limit; after a weight 429 sends nothing for <c>Retry-After</c>, except cancels, which Binance charges
/// weight 0 when they succeed (since 2026-04-02); a cancel itself answered 429 stops cancels too until then;</item>
/// <item>unfilled order count: tracks <c>X-MBX-ORDER-COUNT-10S</c>/<c>-1D</c> against the <c>ORDERS</c> limits
/// of exchangeInfo and refuses locally a new order the venue would refuse (429 <c>-1015</c>); a -1015 stops only
/// new orders, never cancels or queries;</item>
/// <item>a 418 (IP ban) halts everything until the ban ends, visible through <see cref="HaltedUntil"/>.</item>
/// </list>
/// Thread-safe.
/// </summary>
public sealed class BinanceRateGate(TimeProvider clock)
{
    /// <summary>Fraction of the weight limit VeloZ allows itself, leaving room for other clients of the same IP.</summary>
    public const double WeightBudget = 0.9;

    private readonly Lock _gate = new();
    private int _weightLimit = 6000;
    private int _usedWeight;
    private long _usedWeightMinute = -1;
    private DateTimeOffset? _backoffUntil;
    private DateTimeOffset? _cancelBackoffUntil;
    private DateTimeOffset? _newOrdersBlockedUntil;
    private DateTimeOffset? _haltedUntil;

    // Binance's ORDERS limits (exchangeInfo rateLimits; defaults 50 / 10 s and 160,000 / day) and the count the
    // venue last reported in each window, plus the orders sent since.
    private readonly OrderWindow _tenSeconds = new(TimeSpan.FromSeconds(10), 50);
    private readonly OrderWindow _day = new(TimeSpan.FromDays(1), 160_000);

    /// <summary>While set and in the future, trading is halted because the venue banned this IP (418).</summary>
    public DateTimeOffset? HaltedUntil
    {
        get
        {
            lock (_gate)
            {
                return _haltedUntil is { } until && until > clock.GetUtcNow() ? until : null;
            }
        }
    }

    /// <summary>The last weight the venue reported for the current minute.</summary>
    public int UsedWeight
    {
        get
        {
            lock (_gate)
            {
                return _usedWeightMinute == CurrentMinute() ? _usedWeight : 0;
            }
        }
    }

    /// <summary>The unfilled order count of the current 10-second window, as reported by the venue plus the orders sent since.</summary>
    public int OrderCount10S
    {
        get
        {
            lock (_gate)
            {
                return _tenSeconds.Count(clock.GetUtcNow());
            }
        }
    }

    /// <summary>Sets the per-minute weight limit from exchangeInfo's <c>REQUEST_WEIGHT</c> rate limit.</summary>
    public void SetWeightLimit(int limit)
    {
        lock (_gate)
        {
            _weightLimit = Math.Max(1, limit);
        }
    }

    /// <summary>
    /// Sets an <c>ORDERS</c> limit from exchangeInfo (<c>SECOND</c>×10 or <c>DAY</c>×1, the intervals of the
    /// <c>X-MBX-ORDER-COUNT-10S</c>/<c>-1D</c> headers); other intervals are ignored.
    /// </summary>
    public void SetOrderLimit(string interval, int intervalNum, int limit)
    {
        lock (_gate)
        {
            var window = (interval, intervalNum) switch
            {
                ("SECOND", 10) => _tenSeconds,
                ("DAY", 1) => _day,
                _ => null,
            };
            window?.SetLimit(Math.Max(1, limit));
        }
    }

    /// <summary>
    /// Null when a request of <paramref name="weight"/> may be sent now; otherwise the refusal
    /// (<see cref="BinanceOutcomeKind.Banned"/> or <see cref="BinanceOutcomeKind.RateLimited"/>) and how long to wait.
    /// </summary>
    public (BinanceOutcomeKind Kind, TimeSpan RetryAfter)? Check(int weight) => Check(weight, BinanceRequestKind.Other);

    /// <summary>
    /// Null when a request of <paramref name="kind"/> and <paramref name="weight"/> may be sent now; otherwise the
    /// refusal and how long to wait. A new order that passes is counted against the ORDERS limits at once.
    /// </summary>
    public (BinanceOutcomeKind Kind, TimeSpan RetryAfter)? Check(int weight, BinanceRequestKind kind)
    {
        var now = clock.GetUtcNow();
        lock (_gate)
        {
            if (_haltedUntil is { } halted && halted > now)
            {
                return (BinanceOutcomeKind.Banned, halted - now);
            }

            if (kind == BinanceRequestKind.Cancel)
            {
                // A successful cancel costs no weight and no order count: it goes unless a cancel itself was
                // answered 429 (then the venue is refusing them too, and insisting would earn a ban).
                return _cancelBackoffUntil is { } cancelBackoff && cancelBackoff > now
                    ? (BinanceOutcomeKind.RateLimited, cancelBackoff - now)
                    : null;
            }

            if (_backoffUntil is { } backoff && backoff > now)
            {
                return (BinanceOutcomeKind.RateLimited, backoff - now);
            }

            if (kind == BinanceRequestKind.NewOrder)
            {
                if (_newOrdersBlockedUntil is { } blocked && blocked > now)
                {
                    return (BinanceOutcomeKind.RateLimited, blocked - now);
                }

                foreach (var window in new[] { _tenSeconds, _day })
                {
                    if (window.IsFull(now))
                    {
                        return (BinanceOutcomeKind.RateLimited, window.End(now) - now);
                    }
                }
            }

            if (_usedWeightMinute == CurrentMinute() && _usedWeight + weight > _weightLimit * WeightBudget)
            {
                var nextMinute = DateTimeOffset.FromUnixTimeSeconds((_usedWeightMinute + 1) * 60);
                return (BinanceOutcomeKind.RateLimited, nextMinute - now);
            }

            if (_usedWeightMinute == CurrentMinute())
            {
                // Count our own request until the venue's next header says otherwise.
                _usedWeight += weight;
            }

            if (kind == BinanceRequestKind.NewOrder)
            {
                _tenSeconds.Add(now);
                _day.Add(now);
            }

            return null;
        }
    }

    /// <summary>Reads Binance's usage headers from any response (a query's, by default).</summary>
    public void OnResponse(HttpResponseMessage response) => OnResponse(response, BinanceRequestKind.Other, null);

    /// <summary>
    /// Reads Binance's usage headers from the response to a request of <paramref name="kind"/>, and after a 429
    /// or 418 (<paramref name="code"/> is the error code of its body) stops what that limit covers.
    /// </summary>
    public void OnResponse(HttpResponseMessage response, BinanceRequestKind kind, int? code)
    {
        ArgumentNullException.ThrowIfNull(response);
        var now = clock.GetUtcNow();
        lock (_gate)
        {
            if (HeaderInt(response, "X-MBX-USED-WEIGHT-1M") is { } used)
            {
                _usedWeight = used;
                _usedWeightMinute = CurrentMinute();
            }

            if (HeaderInt(response, "X-MBX-ORDER-COUNT-10S") is { } tenSeconds)
            {
                _tenSeconds.Report(now, tenSeconds);
            }

            if (HeaderInt(response, "X-MBX-ORDER-COUNT-1D") is { } day)
            {
                _day.Report(now, day);
            }
        }

        var status = (int)response.StatusCode;
        if (status is 429 or 418)
        {
            var retryAfter = RetryAfter(response) ?? (status == 418 ? TimeSpan.FromMinutes(2) : TimeSpan.FromSeconds(60));
            var until = now + retryAfter;
            lock (_gate)
            {
                if (status == 418)
                {
                    _haltedUntil = until;
                }
                else if (code == BinanceErrorCodes.TooManyOrders)
                {
                    // The unfilled order count is full: new orders wait, cancels and queries do not.
                    _newOrdersBlockedUntil = until;
                }
                else
                {
                    _backoffUntil = until;
                    if (kind == BinanceRequestKind.Cancel)
                    {
                        _cancelBackoffUntil = until;
                    }
                }
            }
        }
    }

    /// <summary>The <c>Retry-After</c> of a response (seconds, or an HTTP date).</summary>
    public TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta;
        }

        return header?.Date is { } date ? date - clock.GetUtcNow() : null;
    }

    private static int? HeaderInt(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values)
        && int.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : null;

    private long CurrentMinute() => clock.GetUtcNow().ToUnixTimeSeconds() / 60;

    /// <summary>
    /// One ORDERS interval. Windows are taken as aligned to the Unix epoch (as the weight minute is); the
    /// count is the venue's last report in the current window plus the orders sent since.
    /// </summary>
    private sealed class OrderWindow(TimeSpan length, int limit)
    {
        private int _limit = limit;
        private long _index = long.MinValue;
        private int _count;

        public void SetLimit(int value) => _limit = value;

        public int Count(DateTimeOffset now) => Index(now) == _index ? _count : 0;

        public bool IsFull(DateTimeOffset now) => Count(now) >= _limit;

        public DateTimeOffset End(DateTimeOffset now) => DateTimeOffset.UnixEpoch + (length * (Index(now) + 1));

        public void Add(DateTimeOffset now)
        {
            Roll(now);
            _count++;
        }

        public void Report(DateTimeOffset now, int count)
        {
            Roll(now);
            _count = count;
        }

        private void Roll(DateTimeOffset now)
        {
            var index = Index(now);
            if (index != _index)
            {
                _index = index;
                _count = 0;
            }
        }

        private long Index(DateTimeOffset now) => (now - DateTimeOffset.UnixEpoch).Ticks / length.Ticks;
    }
}
