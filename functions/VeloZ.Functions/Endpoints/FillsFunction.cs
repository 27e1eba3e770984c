using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using VeloZ.Functions.Http;
using VeloZ.Storage;

namespace VeloZ.Functions.Endpoints;

/// <summary>
/// <b>New</b>, scope <c>read</c>. <c>GET /api/fills</c>: the fills VeloZ stored with each order, with the commission
/// the venue charged. <c>?client_order_id=</c>: that order's fills, newest first (unknown id: 404); otherwise a page
/// of the fills of the orders matching <c>symbol</c>, <c>status</c> and <c>since</c> (as for
/// <c>/api/orders_state</c>): orders newest first by creation, each order's fills newest first, at most
/// <c>limit</c> fills, continuing after <c>cursor</c>.
/// </summary>
public sealed class FillsFunction(OrderRepository orders, OrderHistory history)
{
    [Function("Fills")]
    public async Task<IActionResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "options", Route = "api/fills")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Query.ContainsKey("client_order_id"))
        {
            return await OneOrderAsync(request.Query, cancellationToken);
        }

        var (query, after, error) = HistoryQuery.Parse<FillPosition>(request.Query, HistoryCursor.TryDecodeFill, "/api/fills");
        if (error is not null)
        {
            return BadParams(error.Message, error.Field);
        }

        var (items, next) = await history.FillsAsync(query!.Filter, after, query.Limit, cancellationToken);
        return ApiResults.Ok(
            new FillsResponse([.. items.Select(i => i.Order.ToFillResponse(i.Fill))], next is { } n ? HistoryCursor.Encode(n) : null),
            ApiJsonContext.Default.FillsResponse);
    }

    /// <summary>Every fill of one order (an order has few; no paging), newest first.</summary>
    private async Task<IActionResult> OneOrderAsync(IQueryCollection query, CancellationToken cancellationToken)
    {
        var id = query["client_order_id"];
        var text = id.Count == 1 ? id[0] : null;
        if (OrderValidation.ValidateClientOrderId(text) is { } error)
        {
            return BadParams(error.Message, error.Field);
        }

        if (HistoryQuery.FirstGiven(query) is { } other)
        {
            return BadParams($"{other} cannot be combined with client_order_id (an order's fills come in one answer).", other);
        }

        if (await orders.GetAsync(text!, cancellationToken) is not { } stored)
        {
            return ApiResults.Error(StatusCodes.Status404NotFound, ApiErrors.NotFound, "No order with this client_order_id.");
        }

        return ApiResults.Ok(
            new FillsResponse([.. OrderHistory.NewestFills(stored.State).Select(f => stored.State.ToFillResponse(f))], null),
            ApiJsonContext.Default.FillsResponse);
    }

    private static IActionResult BadParams(string message, string field) =>
        ApiResults.Error(StatusCodes.Status400BadRequest, ApiErrors.BadParams, message, field);
}
