using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using VeloZ.Storage;

namespace VeloZ.Functions.Http;

/// <summary>
/// What every request goes through, in both hosts (an ASP.NET Core middleware standalone, a Functions
/// worker middleware under the Functions host): CORS headers, <c>OPTIONS</c> answered with 204, and no
/// exception ever reaching the client as a stack trace: storage failures become 503
/// <c>storage_unavailable</c>, anything unexpected a logged 500 <c>internal_error</c>.
/// </summary>
public sealed partial class ApiPipeline(CorsPolicy cors, ILogger<ApiPipeline> logger)
{
    public async Task InvokeAsync(HttpContext context, Func<Task> next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        cors.Apply(context);
        // A CORS preflight for a known endpoint (every function accepts OPTIONS) is answered here.
        if (HttpMethods.IsOptions(context.Request.Method) && context.GetEndpoint() is not null)
        {
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }

        try
        {
            await next();
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; there is nobody to answer.
        }
        catch (StorageUnavailableException ex)
        {
            LogStorageUnavailable(logger, context.Request.Path, ex.Message);
            await WriteErrorAsync(context, StatusCodes.Status503ServiceUnavailable, ApiErrors.StorageUnavailable, "The state store is unreachable; try again shortly.");
        }
        catch (BadHttpRequestException ex)
        {
            await WriteErrorAsync(context, ex.StatusCode, ApiErrors.BadParams, "The request could not be read.");
        }
        catch (Exception ex)
        {
            LogUnexpected(logger, context.Request.Path, ex.GetType().Name, ex.StackTrace);
            await WriteErrorAsync(context, StatusCodes.Status500InternalServerError, ApiErrors.InternalError, "Unexpected error; it has been logged.");
        }
    }

    /// <summary>Writes an error body unless the response has already started (then it can only be aborted).</summary>
    public static async Task WriteErrorAsync(HttpContext context, int status, string error, string message)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Response.HasStarted)
        {
            context.Abort();
            return;
        }

        var headers = context.Response.Headers.ToDictionary(h => h.Key, h => h.Value);
        context.Response.Clear();
        foreach (var (name, value) in headers.Where(h => h.Key.StartsWith("Access-Control-", StringComparison.OrdinalIgnoreCase) || h.Key == "Vary"))
        {
            context.Response.Headers[name] = value;
        }

        var result = ApiResults.Error(status, error, message);
        await result.ExecuteResultAsync(new ActionContext(context, context.GetRouteData(), new ActionDescriptor()));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Storage unavailable while serving {Path}: {Reason}")]
    private static partial void LogStorageUnavailable(ILogger logger, PathString path, string reason);

    // The type and stack are logged, not the message: messages of unexpected exceptions can quote
    // request data or connection details.
    [LoggerMessage(Level = LogLevel.Error, Message = "Unexpected {ExceptionType} while serving {Path} at {StackTrace}")]
    private static partial void LogUnexpected(ILogger logger, PathString path, string exceptionType, string? stackTrace);
}
