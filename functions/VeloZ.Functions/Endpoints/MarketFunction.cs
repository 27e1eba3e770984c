using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using VeloZ.Domain.Configuration;
using VeloZ.Domain.Numerics;
using VeloZ.Functions.Http;
using VeloZ.Functions.Push;
using VeloZ.Storage;

namespace VeloZ.Functions.Endpoints;

/// <summary>
/// <c>GET /api/market</c>: the latest price of the configured symbol, as the worker last stored it;
/// <c>price</c> and <c>ts_ns</c> are null before the first tick. Storage down → 503 <c>storage_unavailable</c>.
/// </summary>
public sealed class MarketFunction(MarketOptions options, MarketTickRepository market, EventBroadcaster push)
{
    [Function("Market")]
    public async Task<IActionResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "options", Route = "api/market")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        // Served from memory while the push subscription keeps it current; a Table read otherwise.
        if (push.Connected && push.LatestMarket is { } fresh && fresh.Tick.Symbol == options.MarketSymbol)
        {
            return ApiResults.Utf8Json(StatusCodes.Status200OK, fresh.Body);
        }

        var tick = await market.GetLatestAsync(options.MarketSymbol, cancellationToken);
        var body = new MarketResponse(options.MarketSymbol, tick is null ? null : DecimalText.Trim(tick.Price), tick?.TsNs);
        return ApiResults.Ok(body, ApiJsonContext.Default.MarketResponse);
    }
}
