using System.Collections.Concurrent;
using VeloZ.Binance.Filters;
using VeloZ.Binance.Rest;
using VeloZ.Domain.Configuration;
using VeloZ.Functions.Runtime;

namespace VeloZ.Functions.Orders;

/// <summary>
/// Which venue the API trades on, and with which credentials: in <c>sim_engine</c>, the simulated venue
/// the worker hosts (its URL comes from the worker's status row) with VeloZ's test-only key; in the Binance
/// modes, <c>VELOZ_BINANCE_TRADE_BASE_URL</c> with the configured key and secret (none → 400
/// <c>binance_not_configured</c>). A venue ban reported by the worker or seen here halts trading.
/// </summary>
public sealed class VenueAccess(VenueOptions options, WorkerStatusView workerStatus, BinanceClientPool pool, TimeProvider clock) : IDisposable
{
    private readonly ConcurrentDictionary<BinanceRestClient, ExchangeInfoCache> _rules = new();

    /// <summary>A venue connection ready for trading requests.</summary>
    public sealed record Venue(BinanceRestClient Client, ExchangeInfoCache Rules);

    /// <summary>The trading venue, or the refusal that explains why there is none.</summary>
    public async Task<(Venue? Venue, OrderOutcome.Refused? Unavailable)> GetAsync(CancellationToken cancellationToken)
    {
        BinanceRestClient client;
        var worker = await workerStatus.ReadRecentAsync(cancellationToken);
        if (options.ExecutionMode == ExecutionMode.SimEngine)
        {
            if (!worker.Alive || worker.Status?.VenueRestUrl is not { } url || !Uri.TryCreate(url, UriKind.Absolute, out var venueUrl))
            {
                return (null, new OrderOutcome.Refused(OrderProblem.ExecutionUnavailable, "The simulated venue is not running: start the worker (sim_engine mode)."));
            }

            client = pool.For(venueUrl, SimVenueCredentials.ApiKey, SimVenueCredentials.ApiSecret);
        }
        else if (!options.BinanceCredentialsPresent)
        {
            return (null, new OrderOutcome.Refused(OrderProblem.BinanceNotConfigured, "Set VELOZ_BINANCE_API_KEY and VELOZ_BINANCE_API_SECRET to trade in this execution mode."));
        }
        else
        {
            client = pool.For(options.BinanceTradeBaseUrl, options.BinanceApiKey, options.BinanceApiSecret);
        }

        var halted = Max(worker.TradingHaltedUntil, client.RateGate.HaltedUntil);
        if (halted is { } until && until > clock.GetUtcNow())
        {
            return (null, new OrderOutcome.Refused(OrderProblem.ExecutionUnavailable, $"Trading is halted: the venue banned this IP until {until:O}."));
        }

        return (new Venue(client, _rules.GetOrAdd(client, c => new ExchangeInfoCache(c, clock))), null);
    }

    public void Dispose()
    {
        foreach (var cache in _rules.Values)
        {
            cache.Dispose();
        }
    }

    private static DateTimeOffset? Max(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a > b ? a : b;
}
