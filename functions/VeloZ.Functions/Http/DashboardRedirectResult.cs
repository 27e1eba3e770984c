using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace VeloZ.Functions.Http;

/// <summary>A 302 to the dashboard's page (a local path only), with the dashboard's security headers.</summary>
public sealed class DashboardRedirectResult(string location) : IActionResult
{
    /// <summary>
    /// Relative, so it resolves to <c>/dashboard/</c> from both <c>/</c> and <c>/dashboard</c> whatever the route
    /// prefix, and can never point at another site.
    /// </summary>
    public const string ToPage = "dashboard/";

    public Task ExecuteResultAsync(ActionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return WriteAsync(context.HttpContext.Response, location);
    }

    /// <summary>Answers with the redirect (for a plain endpoint, outside a function).</summary>
    public static Task WriteAsync(HttpResponse response, string location)
    {
        ArgumentNullException.ThrowIfNull(response);
        DashboardFileResult.ApplySecurityHeaders(response.Headers);
        response.StatusCode = StatusCodes.Status302Found;
        response.Headers.Location = location;
        response.ContentLength = 0;
        return Task.CompletedTask;
    }
}
