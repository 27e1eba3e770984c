using VeloZ.Binance.Rest;

namespace VeloZ.Binance.Filters;

/// <summary>
/// Symbol rules from <c>exchangeInfo</c> (weight 20), cached per symbol for <see cref="RefreshAfter"/>
/// and refreshed on the next request after that; the <c>REQUEST_WEIGHT</c> limit is handed to the rate
/// gate. If a refresh fails, the last known rules are kept (filters rarely change) and the failure is
/// returned only when nothing is known yet.
/// </summary>
public sealed class ExchangeInfoCache(BinanceRestClient client, TimeProvider clock) : IDisposable
{
    public static readonly TimeSpan RefreshAfter = TimeSpan.FromMinutes(30);

    private readonly Dictionary<string, (SymbolRules Rules, DateTimeOffset FetchedAt)> _rules = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _refresh = new(1, 1);

    public async Task<BinanceResult<SymbolRules>> GetAsync(string symbol, CancellationToken cancellationToken)
    {
        if (TryGetFresh(symbol) is { } fresh)
        {
            return BinanceResult.Ok(fresh, 200);
        }

        await _refresh.WaitAsync(cancellationToken);
        try
        {
            if (TryGetFresh(symbol) is { } fetchedMeanwhile)
            {
                return BinanceResult.Ok(fetchedMeanwhile, 200);
            }

            var result = await client.GetExchangeInfoAsync(symbol, cancellationToken);
            if (result.IsSuccess && result.Value!.Symbols.FirstOrDefault(s => s.Symbol == symbol) is { } info)
            {
                var rules = SymbolRules.From(info);
                foreach (var limit in result.Value.RateLimits.Where(l => l.RateLimitType == "REQUEST_WEIGHT" && l.Interval == "MINUTE" && l.IntervalNum == 1))
                {
                    client.RateGate.SetWeightLimit(limit.Limit);
                }

                foreach (var limit in result.Value.RateLimits.Where(l => l.RateLimitType == "ORDERS"))
                {
                    client.RateGate.SetOrderLimit(limit.Interval, limit.IntervalNum, limit.Limit);
                }

                lock (_rules)
                {
                    _rules[symbol] = (rules, clock.GetUtcNow());
                }

                return BinanceResult.Ok(rules, 200);
            }

            lock (_rules)
            {
                if (_rules.TryGetValue(symbol, out var stale))
                {
                    return BinanceResult.Ok(stale.Rules, 200);
                }
            }

            return result.IsSuccess
                ? new BinanceResult<SymbolRules>(BinanceOutcomeKind.Rejected, null, BinanceErrorCodes.BadSymbol, "Invalid symbol.", 400)
                : result.As<SymbolRules>();
        }
        finally
        {
            _refresh.Release();
        }
    }

    public void Dispose() => _refresh.Dispose();

    private SymbolRules? TryGetFresh(string symbol)
    {
        lock (_rules)
        {
            return _rules.TryGetValue(symbol, out var entry) && clock.GetUtcNow() - entry.FetchedAt < RefreshAfter ? entry.Rules : null;
        }
    }
}
