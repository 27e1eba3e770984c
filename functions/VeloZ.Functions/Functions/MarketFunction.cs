using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using VeloZ.Domain.Configuration;
using VeloZ.Domain.Numerics;
using VeloZ.Functions.Http;
using VeloZ.Functions.Push;
using VeloZ.Storage;

namespace VeloZ.Functions.Functions;

/// <summary>
/// <c>GET /api/market</c>: the latest price of the configured symbol, as the worker last stored it;
/// <c>price</c> and <c>ts_ns</c> are null before the first tick. Storage down → 503 <c>storage_unavailable</c>.
/// </summary>
public sealed class MarketFunction(GatewayOptions options, MarketTickRepository market, EventBroadcaster push)
{
    [Function("Market")]
    public async Task<IActionResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "options", Route = "api/market")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        // Served from memory while the push subscription keeps it current; a Table read otherwise.
        if (push.Connected && push.LatestMarket is { } live && Live(live.Data) is { } fresh && fresh.Symbol == options.MarketSymbol)
        {
            return ApiResults.Utf8Json(StatusCodes.Status200OK, fresh.Body);
        }

        var tick = await market.GetLatestAsync(options.MarketSymbol, cancellationToken);
        var body = new MarketResponse(options.MarketSymbol, tick is null ? null : DecimalText.Trim(tick.Price), tick?.TsNs);
        return ApiResults.Ok(body, ApiJsonContext.Default.MarketResponse);
    }

    /// <summary>
    /// The newest live tick's answer, parsed and serialized once and shared by every request until the next
    /// tick (a function instance lives for one request). Keyed by the event's data string itself, so it is
    /// right whichever host or broadcaster asks.
    /// </summary>
    private static LiveTick? s_live;

    private static LiveTick? Live(string data)
    {
        var cached = Volatile.Read(ref s_live);
        if (cached is not null && ReferenceEquals(cached.Data, data))
        {
            return cached.Symbol is null ? null : cached;
        }

        using var document = System.Text.Json.JsonDocument.Parse(data);
        var root = document.RootElement;
        var parsed = root.TryGetProperty("symbol", out var symbol) && root.TryGetProperty("price", out var price) && root.TryGetProperty("ts_ns", out var ts)
            ? new MarketResponse(symbol.GetString() ?? string.Empty, price.GetDecimal(), ts.GetInt64())
            : null;
        var entry = parsed is null
            ? new LiveTick(data, null, [])
            : new LiveTick(data, parsed.Symbol, System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(parsed, ApiJsonContext.Default.MarketResponse));
        Volatile.Write(ref s_live, entry);
        return entry.Symbol is null ? null : entry;
    }

    /// <summary>One tick's answer: the event data it came from, its symbol (null when the data is not a tick) and the JSON body.</summary>
    private sealed record LiveTick(string Data, string? Symbol, byte[] Body);
}
