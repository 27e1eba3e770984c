using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using VeloZ.Functions.Http;
using VeloZ.Storage;

namespace VeloZ.Functions.Endpoints;

/// <summary><c>GET /api/orders_state</c>: every order's state, oldest first.</summary>
public sealed class OrdersStateFunction(OrderRepository orders)
{
    [Function("OrdersState")]
    public async Task<IActionResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "options", Route = "api/orders_state")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var items = new List<OrderStateResponse>();
        await foreach (var order in orders.ListAsync(cancellationToken))
        {
            items.Add(order.ToResponse());
        }

        items.Sort((a, b) => a.LastTsNs.CompareTo(b.LastTsNs));
        return ApiResults.Ok(new OrdersStateResponse(items), ApiJsonContext.Default.OrdersStateResponse);
    }
}
