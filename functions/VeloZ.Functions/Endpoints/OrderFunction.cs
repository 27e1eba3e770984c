using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using VeloZ.Functions.Http;
using VeloZ.Functions.Orders;
using VeloZ.Functions.Security;

namespace VeloZ.Functions.Endpoints;

/// <summary><c>POST /api/order</c>: place a LIMIT GTC order (JSON or form body). See <see cref="OrderService"/>.</summary>
public sealed class OrderFunction(OrderService orders)
{
    [Function("Order")]
    public async Task<IActionResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", "options", Route = "api/order")] HttpRequest request,
        CancellationToken cancellationToken)
        => await RequestBody.HandleAsync(request, OrderValidation.ValidateOrder, async order => OrderAnswers.ToHttp(await orders.PlaceAsync(order, request.HttpContext.Caller(), cancellationToken)), cancellationToken);
}
