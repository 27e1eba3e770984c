using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using VeloZ.Functions.Http;
using VeloZ.Storage;

namespace VeloZ.Functions.Endpoints;

/// <summary><c>GET /api/order_state?client_order_id=X</c>: one order; missing id → 400, unknown → 404.</summary>
public sealed class OrderStateFunction(OrderRepository orders)
{
    [Function("OrderState")]
    public async Task<IActionResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "options", Route = "api/order_state")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var id = request.Query["client_order_id"];
        var text = id.Count == 1 ? id[0] : null;
        if (OrderValidation.ValidateClientOrderId(text) is { } error)
        {
            return ApiResults.Error(StatusCodes.Status400BadRequest, ApiErrors.BadParams, error.Message, error.Field);
        }

        return await orders.GetAsync(text!, cancellationToken) is { } stored
            ? ApiResults.Ok(stored.State.ToResponse(), ApiJsonContext.Default.OrderStateResponse)
            : ApiResults.Error(StatusCodes.Status404NotFound, ApiErrors.NotFound, "No order with this client_order_id.");
    }
}
