using System.Globalization;

namespace VeloZ.Binance.Rest;

/// <summary>
/// Keeps VeloZ inside Binance's limits (binance-facts §3.1): tracks the request weight the venue reports
/// in <c>X-MBX-USED-WEIGHT-1M</c>, refuses locally a request that would cross the limit, honours
/// <c>Retry-After</c> after a 429 by sending nothing until it passes (so a 429 never becomes a ban),
/// and after a 418 halts everything until the ban ends. The halt is visible through <see cref="HaltedUntil"/>.
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
    private DateTimeOffset? _haltedUntil;

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

    /// <summary>Sets the per-minute weight limit from exchangeInfo's <c>REQUEST_WEIGHT</c> rate limit.</summary>
    public void SetWeightLimit(int limit)
    {
        lock (_gate)
        {
            _weightLimit = Math.Max(1, limit);
        }
    }

    /// <summary>
    /// Null when a request of <paramref name="weight"/> may be sent now; otherwise the refusal
    /// (<see cref="BinanceOutcomeKind.Banned"/> or <see cref="BinanceOutcomeKind.RateLimited"/>) and how long to wait.
    /// </summary>
    public (BinanceOutcomeKind Kind, TimeSpan RetryAfter)? Check(int weight)
    {
        var now = clock.GetUtcNow();
        lock (_gate)
        {
            if (_haltedUntil is { } halted && halted > now)
            {
                return (BinanceOutcomeKind.Banned, halted - now);
            }

            if (_backoffUntil is { } backoff && backoff > now)
            {
                return (BinanceOutcomeKind.RateLimited, backoff - now);
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

            return null;
        }
    }

    /// <summary>Reads Binance's usage headers from any response.</summary>
    public void OnResponse(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (response.Headers.TryGetValues("X-MBX-USED-WEIGHT-1M", out var values)
            && int.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var used))
        {
            lock (_gate)
            {
                _usedWeight = used;
                _usedWeightMinute = CurrentMinute();
            }
        }

        var status = (int)response.StatusCode;
        if (status is 429 or 418)
        {
            var retryAfter = RetryAfter(response) ?? (status == 418 ? TimeSpan.FromMinutes(2) : TimeSpan.FromSeconds(60));
            var until = clock.GetUtcNow() + retryAfter;
            lock (_gate)
            {
                if (status == 418)
                {
                    _haltedUntil = until;
                }
                else
                {
                    _backoffUntil = until;
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

    private long CurrentMinute() => clock.GetUtcNow().ToUnixTimeSeconds() / 60;
}
