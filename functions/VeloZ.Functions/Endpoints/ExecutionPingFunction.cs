using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using VeloZ.Functions.Http;
using VeloZ.Functions.Orders;

namespace VeloZ.Functions.Endpoints;

/// <summary>
/// <c>GET /api/execution/ping</c>: venue connectivity. <c>{"ok":true,"result":{}}</c> when the trading
/// venue answers <c>/api/v3/ping</c>; <c>{"ok":false,"error":"binance_not_configured"}</c> without
/// credentials in a Binance mode; otherwise <c>{"ok":false,"error":"execution_unavailable"}</c>.
/// </summary>
public sealed class ExecutionPingFunction(VenueAccess venues)
{
    [Function("ExecutionPing")]
    public async Task<IActionResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "options", Route = "api/execution/ping")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var (venue, unavailable) = await venues.GetAsync(cancellationToken);
        if (venue is null)
        {
            return ApiResults.Ok(new PingResponse(false, null, OrderAnswers.ErrorOf(unavailable!.Problem)), ApiJsonContext.Default.PingResponse);
        }

        var ping = await venue.Client.PingAsync(cancellationToken);
        return ApiResults.Ok(
            ping.IsSuccess ? new PingResponse(true, new EmptyObject(), null) : new PingResponse(false, null, ApiErrors.ExecutionUnavailable),
            ApiJsonContext.Default.PingResponse);
    }
}
