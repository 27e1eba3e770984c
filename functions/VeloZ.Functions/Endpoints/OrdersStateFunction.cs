using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using VeloZ.Functions.Http;
using VeloZ.Storage;

namespace VeloZ.Functions.Endpoints;

/// <summary>
/// <c>GET /api/orders_state</c>. Without any of <see cref="HistoryQuery.Names"/>: every order's state, oldest change
/// first, exactly as before paging existed (existing scripts read this whole list). With any of them: one page of
/// orders newest first (by creation), filtered by <c>symbol</c>, <c>status</c> and <c>since</c>, at most
/// <c>limit</c>, continuing after <c>cursor</c>, with the <c>next_cursor</c> of the following page; read through
/// <see cref="OrderHistory"/>, so a page never holds more than its own orders in memory.
/// </summary>
public sealed class OrdersStateFunction(OrderRepository orders, OrderHistory history)
{
    [Function("OrdersState")]
    public async Task<IActionResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "options", Route = "api/orders_state")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (HistoryQuery.FirstGiven(request.Query) is null)
        {
            return await EveryOrderAsync(cancellationToken);
        }

        var (query, after, error) = HistoryQuery.Parse<OrderPosition>(request.Query, HistoryCursor.TryDecodeOrder, "/api/orders_state");
        if (error is not null)
        {
            return ApiResults.Error(StatusCodes.Status400BadRequest, ApiErrors.BadParams, error.Message, error.Field);
        }

        var (items, next) = await history.OrdersAsync(query!.Filter, after, query.Limit, cancellationToken);
        return ApiResults.Ok(
            new OrdersPageResponse([.. items.Select(o => o.ToResponse())], next is { } n ? HistoryCursor.Encode(n) : null),
            ApiJsonContext.Default.OrdersPageResponse);
    }

    /// <summary>The seed answer: every order, sorted by its last change, oldest first (the whole list, as scripts expect it).</summary>
    private async Task<IActionResult> EveryOrderAsync(CancellationToken cancellationToken)
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
