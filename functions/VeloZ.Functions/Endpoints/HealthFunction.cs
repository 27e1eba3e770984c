using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using VeloZ.Binance.Rest;
using VeloZ.Domain.Security;
using VeloZ.Domain.Time;
using VeloZ.Functions.Http;
using VeloZ.Functions.Security;

namespace VeloZ.Functions.Endpoints;

/// <summary>
/// <c>GET /health</c>. <c>ok</c> is true whenever the API process answers; the <b>new</b>
/// <c>components</c> say whether storage is reachable, whether a worker is alive (and a standby ready to
/// take over), how old the market data is, and (<b>new</b>) the trading mode. <b>New</b>: the status is 503
/// (with the same body) when the gateway cannot trade, decided as <c>/health/ready</c> decides it
/// (<see cref="HealthProbeFunctions.Reasons"/>: storage unreachable, no live worker, a venue ban), so a
/// monitor or load balancer that only looks at the status sees it. Open to everyone even with
/// authentication on, so it says nothing secret; and it answers from readings at most 1 s old
/// (<see cref="HealthReadings"/>), so no number of calls costs more than a few storage requests per second.
/// </summary>
public sealed class HealthFunction(HealthReadings health, TradingModeService tradingMode, BinanceClientPool venues, TimeProvider clock)
{
    [Function("Health")]
    public async Task<IActionResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "options", Route = "health")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var readings = await health.ReadAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var status = HealthProbeFunctions.Reasons(readings, now).Count == 0 ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
        if (!readings.StorageReachable)
        {
            var down = new HealthComponents("unavailable", "unknown", null, null, null, false, null, "unknown", "unknown") { VenueWeightUsed1M = VenueUsage(g => g.UsedWeight), VenueOrders10S = VenueUsage(g => g.OrderCount10S) };
            return ApiResults.Json(status, new HealthResponse(true, down), ApiJsonContext.Default.HealthResponse);
        }

        var (worker, standby, tick, mode) = (readings.Worker!, readings.Standby!, readings.Tick, readings.Mode!);
        if (tradingMode.Latest is { ChangedAt: { } switchedAt } latest && (mode.ChangedAt is not { } readAt || switchedAt > readAt))
        {
            // A switch made on this instance since the readings were taken shows at once, as it applies at once.
            mode = latest;
        }

        var marketAgeMs = tick is null ? (long?)null : (clock.NowNanos() - tick.ReceivedTsNs) / 1_000_000;
        var components = new HealthComponents(
            "ok",
            worker.Status is null ? "never_seen" : worker.Alive ? "alive" : "stale",
            worker.HeartbeatAge is { } age ? (long)age.TotalMilliseconds : null,
            worker.Status?.MarketFeedState,
            marketAgeMs,
            worker.UserStreamConnected,
            worker.TradingHaltedUntil is { } halt && halt > now ? UnixTime.ToUnixNanos(halt) : null,
            mode.Mode.ToWire(),
            // The row of a worker that has since become the leader is not a standby.
            standby.Alive && standby.Status!.InstanceId != worker.Status?.InstanceId ? "alive" : "none",
            VenueUsage(g => g.UsedWeight),
            VenueUsage(g => g.OrderCount10S));
        return ApiResults.Json(status, new HealthResponse(true, components), ApiJsonContext.Default.HealthResponse);
    }

    /// <summary>The venue's rate-limit usage as it last reported it to this instance; null before any venue request.</summary>
    private int? VenueUsage(Func<BinanceRateGate, int> read)
    {
        int? most = null;
        foreach (var (_, gate) in venues.Venues)
        {
            most = Math.Max(most ?? 0, read(gate));
        }

        return most;
    }
}
