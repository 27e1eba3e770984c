using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using VeloZ.Functions.Http;
using VeloZ.Functions.Orders;
using VeloZ.Functions.Runtime;
using VeloZ.Functions.Security;

namespace VeloZ.Functions.Endpoints;

/// <summary><c>POST /api/cancel</c>: cancel by client order id; unknown → 404, already final → 409 <c>order_not_open</c>.</summary>
public sealed class CancelFunction(OrderService orders)
{
    [Function("Cancel")]
    public async Task<IActionResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", "options", Route = "api/cancel")] HttpRequest request,
        CancellationToken cancellationToken)
        => await RequestBody.HandleAsync(request, OrderValidation.ValidateCancel, async cancel => OrderAnswers.ToHttp(await CancelAsync(cancel, request.HttpContext.Caller(), cancellationToken)), cancellationToken);

    private async Task<OrderOutcome> CancelAsync(CancelRequest cancel, ApiCaller caller, CancellationToken cancellationToken)
    {
        using var span = ApiTracing.StartOrder("cancel", cancel.ClientOrderId, cancel.Symbol);
        var outcome = await orders.CancelAsync(cancel, caller, cancellationToken);
        ApiTracing.Answered(span, outcome is OrderOutcome.Refused refused ? OrderAnswers.ErrorOf(refused.Problem) : "cancelled", null);
        return outcome;
    }
}
