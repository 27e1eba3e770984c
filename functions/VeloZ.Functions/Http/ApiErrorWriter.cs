using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;

namespace VeloZ.Functions.Http;

/// <summary>Writes the contract's error body straight to a response, for code that runs outside a function's result (the pipeline, streams).</summary>
public static class ApiErrorWriter
{
    /// <summary>Writes an error body unless the response has already started (then it can only be aborted).</summary>
    public static async Task WriteAsync(HttpContext context, int status, string error, string message, TimeSpan? retryAfter = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Response.HasStarted)
        {
            context.Abort();
            return;
        }

        var headers = context.Response.Headers.ToDictionary(h => h.Key, h => h.Value);
        context.Response.Clear();
        foreach (var (name, value) in headers.Where(h => h.Key.StartsWith("Access-Control-", StringComparison.OrdinalIgnoreCase) || h.Key is "Vary" or "WWW-Authenticate"))
        {
            context.Response.Headers[name] = value;
        }

        if (status == StatusCodes.Status413PayloadTooLarge || HasUndrainableBody(context.Request))
        {
            // The body is left unread and too big (or of unknown size) for the server to skip: this
            // connection cannot carry another request, and the client must not try.
            context.Response.Headers.Connection = "close";
        }

        var result = ApiResults.Error(status, new ErrorResponse(false, error, message), retryAfter);
        await result.ExecuteResultAsync(new ActionContext(context, context.GetRouteData(), new ActionDescriptor()));
    }

    /// <summary>A body over the limit, or a chunked one of unknown size: the server will not read past the limit to skip it.</summary>
    private static bool HasUndrainableBody(HttpRequest request) =>
        request.ContentLength > RequestBody.MaxBytes
        || (request.ContentLength is null && request.HttpContext.Features.Get<IHttpRequestBodyDetectionFeature>() is { CanHaveBody: true });
}
