using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using VeloZ.Domain.Orders;
using VeloZ.Functions.Http;
using VeloZ.Functions.Orders;
using VeloZ.Functions.Runtime;
using VeloZ.Functions.Security;

namespace VeloZ.Functions.Endpoints;

/// <summary><c>POST /api/order</c>: place an order of any type (JSON or form body), timed in <see cref="ApiMetrics"/> and traced by <see cref="ApiTracing"/>. See <see cref="OrderService"/>.</summary>
public sealed class OrderFunction(OrderService orders, ApiMetrics metrics, TimeProvider clock)
{
    [Function("Order")]
    public async Task<IActionResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", "options", Route = "api/order")] HttpRequest request,
        CancellationToken cancellationToken)
        => await RequestBody.HandleAsync(request, OrderValidation.ValidateOrder, async order => OrderAnswers.ToHttp(await PlaceAsync(order, request.HttpContext.Caller(), cancellationToken)), cancellationToken);

    private async Task<OrderOutcome> PlaceAsync(OrderRequest order, ApiCaller caller, CancellationToken cancellationToken)
    {
        var started = clock.GetTimestamp();
        using var span = ApiTracing.StartOrder("place", order.ClientOrderId, order.Symbol);
        var outcome = await orders.PlaceAsync(order, caller, cancellationToken);
        var tag = outcome is OrderOutcome.Refused refused ? OrderAnswers.ErrorOf(refused.Problem) : "placed";
        metrics.OrderAnswered(clock.GetElapsedTime(started), tag, order.Ticket.Type.ToWire());
        ApiTracing.Answered(span, tag, (outcome as OrderOutcome.Placed)?.ClientOrderId);
        return outcome;
    }
}
