using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using VeloZ.Functions.Http;
using VeloZ.Functions.Orders;

namespace VeloZ.Functions.Functions;

/// <summary><c>POST /api/order</c>: place a LIMIT GTC order (JSON or form body). See <see cref="OrderService"/>.</summary>
public sealed class OrderFunction(OrderService orders)
{
    [Function("Order")]
    public async Task<IActionResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", "options", Route = "api/order")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var (body, error, message) = await RequestBody.ReadAsync(request, cancellationToken);
        if (body is null)
        {
            return ApiResults.Error(StatusCodes.Status400BadRequest, error!, message);
        }

        var (order, fieldError) = OrderValidation.ValidateOrder(body);
        return order is null
            ? ApiResults.Error(StatusCodes.Status400BadRequest, ApiErrors.BadParams, fieldError!.Message, fieldError.Field)
            : await orders.PlaceAsync(order, cancellationToken);
    }
}
