using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace VeloZ.Functions.Http;

/// <summary>
/// Writes a dashboard file with the headers that keep the page to itself: a Content-Security-Policy that
/// allows only the gateway's own scripts, styles, images and connections (no inline script, no other origin,
/// no framing), <c>nosniff</c>, no <c>Referer</c> (the stream's URL may carry a read key). <c>no-cache</c>: a
/// browser revalidates by <c>ETag</c> (304), so a new build's page is never mixed with an old script.
/// </summary>
public sealed class DashboardFileResult(DashboardFile file) : IActionResult
{
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    public async Task ExecuteResultAsync(ActionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.HttpContext.Request;
        var response = context.HttpContext.Response;
        ApplySecurityHeaders(response.Headers);
        response.Headers.CacheControl = "no-cache";
        response.Headers.ETag = file.ETag;
        if (request.Headers.IfNoneMatch.Any(v => v is not null && v.Split(',').Any(t => t.Trim() == file.ETag || t.Trim() == "*")))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }

        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = file.ContentType;
        response.ContentLength = file.Bytes.Length;
        if (!HttpMethods.IsHead(request.Method))
        {
            await response.Body.WriteAsync(file.Bytes, context.HttpContext.RequestAborted);
        }
    }

    /// <summary>The headers every dashboard answer carries, a file or the redirect to the page.</summary>
    public static void ApplySecurityHeaders(IHeaderDictionary headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
    }
}
