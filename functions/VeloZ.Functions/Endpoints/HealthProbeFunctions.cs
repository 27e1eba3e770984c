using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using VeloZ.Functions.Http;

namespace VeloZ.Functions.Endpoints;

/// <summary>
/// <b>New</b>: probes for an orchestrator (Container Apps, Kubernetes), open like <c>/health</c> and answered from the
/// same readings (at most 1 s old, <see cref="HealthReadings"/>):
/// <list type="bullet">
/// <item><c>GET /health/live</c>: 200 <c>{"ok":true,"reasons":[]}</c> whenever the process answers; restart it
/// only when this fails.</item>
/// <item><c>GET /health/ready</c>: 200 when the gateway can trade, else 503 with <c>ok</c> false and the reasons:
/// <c>storage_unavailable</c>, <c>no_worker</c> (no worker heartbeat: no leader to reconcile, push and, in
/// <c>sim_engine</c>, host the venue), <c>venue_banned</c> (the venue banned this IP; trading is halted).</item>
/// </list>
/// </summary>
public sealed class HealthProbeFunctions(HealthReadings health, TimeProvider clock)
{
    public const string StorageUnavailable = "storage_unavailable";
    public const string NoWorker = "no_worker";
    public const string VenueBanned = "venue_banned";

    [Function("HealthLive")]
    public static IActionResult Live(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "options", Route = "health/live")] HttpRequest request) =>
        ApiResults.Ok(new ProbeResponse(true, []), ApiJsonContext.Default.ProbeResponse);

    [Function("HealthReady")]
    public async Task<IActionResult> ReadyAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "options", Route = "health/ready")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var reasons = Reasons(await health.ReadAsync(cancellationToken), clock.GetUtcNow());
        return reasons.Count == 0
            ? ApiResults.Ok(new ProbeResponse(true, reasons), ApiJsonContext.Default.ProbeResponse)
            : ApiResults.Json(StatusCodes.Status503ServiceUnavailable, new ProbeResponse(false, reasons), ApiJsonContext.Default.ProbeResponse);
    }

    /// <summary>Why the gateway cannot trade according to <paramref name="readings"/>; empty when it can.</summary>
    internal static IReadOnlyList<string> Reasons(HealthReadings.Readings readings, DateTimeOffset now)
    {
        if (!readings.StorageReachable)
        {
            return [StorageUnavailable];
        }

        var reasons = new List<string>(2);
        if (readings.Worker is not { Alive: true })
        {
            reasons.Add(NoWorker);
        }

        if (readings.Worker?.TradingHaltedUntil is { } halted && halted > now)
        {
            reasons.Add(VenueBanned);
        }

        return reasons;
    }
}
