using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using VeloZ.Functions.Http;
using VeloZ.Functions.Push;
using VeloZ.Functions.Security;

namespace VeloZ.Functions.Endpoints;

/// <summary>
/// <c>POST /api/negotiate</c>: <c>{"url","accessToken"}</c> for SignalR clients, the redirect form both the
/// JavaScript and .NET clients follow — the worker's own hub or Azure SignalR Service, whichever is
/// configured. 503 <c>push_unavailable</c> while the hub's address is not known yet.
/// </summary>
public sealed class NegotiateFunction(IPushAccess access)
{
    [Function("Negotiate")]
    public async Task<IActionResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", "options", Route = "api/negotiate")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        // The token names the caller's key id, so the hub can close the connection when that key is revoked.
        if (await access.GetAsync(request.HttpContext.Caller().KeyId, cancellationToken) is not { } endpoint)
        {
            return ApiResults.Error(StatusCodes.Status503ServiceUnavailable, ApiErrors.PushUnavailable, "The event hub is not reachable yet; retry shortly.");
        }

        return ApiResults.Ok(new NegotiateResponse(endpoint.Url, endpoint.AccessToken), ApiJsonContext.Default.NegotiateResponse);
    }
}
