using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using VeloZ.Domain.Configuration;
using VeloZ.Domain.Security;
using VeloZ.Domain.Time;
using VeloZ.Functions.Hosting;
using VeloZ.Functions.Http;
using VeloZ.Functions.Security;
using VeloZ.Storage;

namespace VeloZ.Functions.Functions;

/// <summary>
/// <c>GET /health</c>: liveness. <c>ok</c> is true whenever the API process answers; the <b>new</b>
/// <c>components</c> say whether storage is reachable, whether a worker is alive (and a standby ready to
/// take over), how old the market data is, and (<b>new</b>) the trading mode. Open to everyone even with
/// authentication on, so it says nothing secret.
/// </summary>
public sealed class HealthFunction(WorkerStatusView workerStatus, MarketTickRepository market, TradingModeService tradingMode, GatewayOptions options, TimeProvider clock)
{
    [Function("Health")]
    public async Task<IActionResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "options", Route = "health")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        try
        {
            // Four independent reads, sent together.
            var workerRead = workerStatus.ReadAsync(cancellationToken);
            var standbyRead = workerStatus.ReadStandbyAsync(cancellationToken);
            var tickRead = market.GetLatestAsync(options.MarketSymbol, cancellationToken);
            var modeRead = tradingMode.ReadAsync(cancellationToken);
            await Task.WhenAll(workerRead, standbyRead, tickRead, modeRead);
            var (worker, standby, tick, mode) = (await workerRead, await standbyRead, await tickRead, await modeRead);
            var marketAgeMs = tick is null ? (long?)null : (clock.NowNanos() - tick.ReceivedTsNs) / 1_000_000;
            var components = new HealthComponents(
                "ok",
                worker.Status is null ? "never_seen" : worker.Alive ? "alive" : "stale",
                worker.HeartbeatAge is { } age ? (long)age.TotalMilliseconds : null,
                worker.Status?.MarketFeedState,
                marketAgeMs,
                worker.UserStreamConnected,
                worker.TradingHaltedUntil is { } halt && halt > clock.GetUtcNow() ? UnixTime.ToUnixNanos(halt) : null,
                mode.Mode.ToWire(),
                // The row of a worker that has since become the leader is not a standby.
                standby.Alive && standby.Status!.InstanceId != worker.Status?.InstanceId ? "alive" : "none");
            return ApiResults.Ok(new HealthResponse(true, components), ApiJsonContext.Default.HealthResponse);
        }
        catch (StorageUnavailableException)
        {
            var components = new HealthComponents("unavailable", "unknown", null, null, null, false, null, "unknown", "unknown");
            return ApiResults.Ok(new HealthResponse(true, components), ApiJsonContext.Default.HealthResponse);
        }
    }
}
