using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace VeloZ.FunctionsHost.TestApp;

/// <summary>
/// Functions that exercise the host's side of the contract: route values, forwarded headers, keys,
/// chunked streaming, a failing invocation and a crashing worker. Served under <c>routePrefix: testapi</c>.
/// </summary>
public sealed partial class TestFunctions(ILogger<TestFunctions> logger)
{
    /// <summary>Echoes what the worker saw: the route value (bound by name from trigger metadata and from routing), the headers the host adds.</summary>
    [Function("Echo")]
    public static IActionResult Echo(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", Route = "echo/{id}")] HttpRequest request,
        string id)
    {
        var body = new Dictionary<string, string?>
        {
            ["id"] = id,
            ["routeId"] = request.RouteValues.TryGetValue("id", out var routeId) ? Convert.ToString(routeId, CultureInfo.InvariantCulture) : null,
            ["method"] = request.Method,
            ["invocationId"] = request.Headers["x-ms-invocation-id"].ToString(),
            ["host"] = request.Host.Value,
            ["query"] = request.QueryString.Value,
        };
        return new ContentResult { Content = JsonSerializer.Serialize(body), ContentType = "application/json", StatusCode = 200 };
    }

    /// <summary>Needs a function key (the host checks it; the worker never does).</summary>
    [Function("Secret")]
    public static IActionResult Secret([HttpTrigger(AuthorizationLevel.Function, "get", Route = "secret")] HttpRequest request) =>
        new ContentResult { Content = "secret-ok", ContentType = "text/plain", StatusCode = 200 };

    /// <summary>Needs the master key.</summary>
    [Function("AdminOnly")]
    public static IActionResult AdminOnly([HttpTrigger(AuthorizationLevel.Admin, "get", Route = "admin-only")] HttpRequest request) =>
        new ContentResult { Content = "admin-ok", ContentType = "text/plain", StatusCode = 200 };

    /// <summary>Server-sent events: <c>count</c> events (default 3), <c>gapMs</c> apart (default 400), each flushed at once.</summary>
    [Function("Stream")]
    public static async Task Stream([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "stream")] HttpRequest request, CancellationToken cancellationToken)
    {
        var count = int.TryParse(request.Query["count"], CultureInfo.InvariantCulture, out var c) ? c : 3;
        var gap = TimeSpan.FromMilliseconds(int.TryParse(request.Query["gapMs"], CultureInfo.InvariantCulture, out var g) ? g : 400);
        var response = request.HttpContext.Response;
        response.StatusCode = 200;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        for (var i = 1; i <= count; i++)
        {
            await response.WriteAsync($"id: {i}\nevent: tick\ndata: {{\"n\":{i}}}\n\n", cancellationToken);
            await response.Body.FlushAsync(cancellationToken);
            if (i < count)
            {
                await Task.Delay(gap, cancellationToken);
            }
        }
    }

    /// <summary>Throws: the worker answers 500 over HTTP and Failure over gRPC.</summary>
    [Function("Fail")]
    public IActionResult Fail([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "fail")] HttpRequest request)
    {
        LogAboutToFail(logger);
        throw new InvalidOperationException("Deliberate failure for the stand-in tests.");
    }

    /// <summary>Takes the whole worker down, as a fatal bug would.</summary>
    [Function("Crash")]
    public async Task<IActionResult> Crash([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "crash")] HttpRequest request)
    {
        LogAboutToCrash(logger);
        // Let the log line reach the host before the process dies.
        await Task.Delay(300);
        Environment.FailFast("Deliberate crash for the stand-in tests.");
        return new OkResult();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Fail function about to throw")]
    private static partial void LogAboutToFail(ILogger logger);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Crash function about to bring the worker down")]
    private static partial void LogAboutToCrash(ILogger logger);
}
