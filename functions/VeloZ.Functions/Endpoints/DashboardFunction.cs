using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

using VeloZ.Functions.Http;

namespace VeloZ.Functions.Endpoints;

/// <summary>
/// <b>New</b>: <c>GET /dashboard/</c>, the web dashboard, and <c>GET /dashboard/&lt;file&gt;</c>, its scripts and
/// styles (<see cref="DashboardAssets"/>). Open even with authentication on: the files hold no data; the page
/// asks the API for everything with the key the user types in. <c>/dashboard</c> without the slash redirects to
/// <c>/dashboard/</c> so that the page's relative links resolve under both hosts. An unknown file is the
/// contract's 404 <c>not_found</c>.
/// </summary>
public sealed class DashboardFunction(DashboardAssets assets)
{
    public const string Route = "dashboard/{*file}";

    [Function("Dashboard")]
    public IActionResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "options", Route = Route)] HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        // The file comes from the path, not a route value: the worker under the Functions host sees the same
        // path, while route values reach it only through trigger metadata.
        var path = request.Path.Value ?? string.Empty;
        var marker = path.IndexOf("/dashboard", StringComparison.OrdinalIgnoreCase);
        var rest = marker < 0 ? string.Empty : path[(marker + "/dashboard".Length)..];
        if (rest.Length == 0)
        {
            return new DashboardRedirectResult(DashboardRedirectResult.ToPage);
        }

        return assets.Find(rest[1..]) is { } file
            ? new DashboardFileResult(file)
            : ApiResults.Error(StatusCodes.Status404NotFound, ApiErrors.NotFound, "No such dashboard file.");
    }
}
