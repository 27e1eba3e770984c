using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using VeloZ.Functions.Http;
using VeloZ.Functions.Orders;
using VeloZ.Functions.Security;

namespace VeloZ.Functions.Endpoints;

/// <summary>
/// <b>New</b>, scope <c>admin</c>. <c>POST /api/admin/cancel_all</c> (empty body, or <c>{"symbol":"BTCUSDT"}</c>):
/// cancels every open order the gateway knows, each as <c>POST /api/cancel</c> would. Answers
/// <c>{"ok":..,"requested":N,"cancelled":[ids],"not_open":[ids],"failed":[{"client_order_id","error"}]}</c>;
/// <c>ok</c> is false when any cancel failed (they can be retried by calling again).
/// </summary>
public sealed class AdminCancelAllFunction(OrderService orders)
{
    [Function("AdminCancelAll")]
    public async Task<IActionResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", "options", Route = "api/admin/cancel_all")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return await RequestBody.HandleAsync(
            request,
            AdminRequests.ValidateCancelAll,
            async all => ApiResults.Ok(OrderAnswers.ToResponse(await orders.CancelAllAsync(all.Symbol, request.HttpContext.Caller(), cancellationToken)), ApiJsonContext.Default.CancelAllResponse),
            cancellationToken,
            emptyAllowed: true);
    }
}
