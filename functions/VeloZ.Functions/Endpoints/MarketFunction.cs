using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Primitives;
using VeloZ.Domain.Configuration;
using VeloZ.Domain.Numerics;
using VeloZ.Functions.Http;
using VeloZ.Functions.Push;
using VeloZ.Storage;

namespace VeloZ.Functions.Endpoints;

/// <summary>
/// <c>GET /api/market</c>: the latest price of a followed symbol, as the worker last stored it; <c>price</c> and
/// <c>ts_ns</c> are null before the first tick. <b>New</b>: <c>?symbol=</c> (any case) picks one of
/// <see cref="MarketOptions.MarketSymbols"/>; without it, the first. A malformed symbol (or more than one) is 400
/// <c>bad_params</c> on the field <c>symbol</c>; a symbol VeloZ does not follow is 404 <c>not_found</c> on that field.
/// Storage down → 503 <c>storage_unavailable</c>.
/// </summary>
public sealed class MarketFunction(MarketOptions options, MarketTickRepository market, EventBroadcaster push)
{
    [Function("Market")]
    public async Task<IActionResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "options", Route = "api/market")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (symbol, refusal) = FollowedSymbol(request.Query["symbol"], options);
        if (refusal is not null)
        {
            return refusal;
        }

        // Served from memory while the push subscription keeps it current; a Table read otherwise.
        if (push.Connected && push.LatestMarketOf(symbol!) is { } fresh)
        {
            return ApiResults.Utf8Json(StatusCodes.Status200OK, fresh.Body);
        }

        var tick = await market.GetLatestAsync(symbol!, cancellationToken);
        var body = new MarketResponse(symbol!, tick is null ? null : DecimalText.Trim(tick.Price), tick?.TsNs);
        return ApiResults.Ok(body, ApiJsonContext.Default.MarketResponse);
    }

    /// <summary>The symbol <c>?symbol=</c> asks for (the first followed one when absent), or the answer refusing it.</summary>
    internal static (string? Symbol, IActionResult? Refusal) FollowedSymbol(StringValues asked, MarketOptions options)
    {
        if (asked.Count == 0)
        {
            return (options.MarketSymbol, null);
        }

        var (symbol, refusal) = SymbolQuery.Read(asked, options.MarketSymbol);
        return refusal is not null || options.MarketSymbols.Contains(symbol!, StringComparer.Ordinal)
            ? (symbol, refusal)
            : (null, ApiResults.Error(StatusCodes.Status404NotFound, ApiErrors.NotFound, $"{symbol} is not a followed symbol; followed: {string.Join(", ", options.MarketSymbols)}.", "symbol"));
    }
}
