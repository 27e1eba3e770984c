using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using VeloZ.Functions.Http;
using VeloZ.Storage;

namespace VeloZ.Functions.Endpoints;

/// <summary>
/// <c>GET /api/orders</c>: the most recent order events (<c>order_update</c>, <c>fill</c>, <c>error</c>), newest
/// last, at most 200, each the event object with its <c>id</c> (as the hub sends it), from the event log.
/// </summary>
public sealed class OrdersFunction(EventLogRepository log)
{
    public const int MaxItems = 200;

    [Function("Orders")]
    public async Task<IActionResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "options", Route = "api/orders")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var events = await log.ReadRecentOrderEventsAsync(MaxItems, cancellationToken);
        var body = new StringBuilder("{\"items\":[");
        for (var i = 0; i < events.Count; i++)
        {
            body.Append(i == 0 ? string.Empty : ",").Append(events[i].ToHubArgument());
        }

        body.Append("]}");
        return ApiResults.RawJson(StatusCodes.Status200OK, body.ToString());
    }
}
