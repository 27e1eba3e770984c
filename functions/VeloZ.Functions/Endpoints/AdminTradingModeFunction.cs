using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using VeloZ.Domain.Security;
using VeloZ.Domain.Time;
using VeloZ.Functions.Http;
using VeloZ.Functions.Security;
using VeloZ.Storage;

namespace VeloZ.Functions.Endpoints;

/// <summary>
/// <b>New</b>, scope <c>admin</c>: the trading brake. <c>GET /api/admin/trading_mode</c> reads it;
/// <c>POST /api/admin/trading_mode</c> with <c>{"mode":"cancel_only"}</c> (or <c>"normal"</c>) switches it.
/// The mode is stored in Table storage (it survives restarts), shows in <c>/api/config</c> and
/// <c>/health</c>, and in <c>cancel_only</c> every new order is refused with 409 <c>cancel_only</c>.
/// </summary>
public sealed class AdminTradingModeFunction(TradingModeService tradingMode)
{
    [Function("AdminTradingMode")]
    public async Task<IActionResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", "options", Route = "api/admin/trading_mode")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (HttpMethods.IsGet(request.Method))
        {
            return Answer(await tradingMode.ReadAsync(cancellationToken));
        }

        return await RequestBody.HandleAsync(
            request,
            AdminRequests.ValidateTradingMode,
            async change => Answer(await tradingMode.SetAsync(change.Mode, request.HttpContext.Caller(), cancellationToken)),
            cancellationToken);
    }

    private static IActionResult Answer(TradingControl control) => ApiResults.Ok(
        new TradingModeResponse(true, control.Mode.ToWire(), control.ChangedAt is { } at ? UnixTime.ToUnixNanos(at) : null, control.ChangedBy),
        ApiJsonContext.Default.TradingModeResponse);
}
