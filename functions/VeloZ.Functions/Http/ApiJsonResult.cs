using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Mvc;

namespace VeloZ.Functions.Http;

/// <summary>
/// A JSON response written with a source-generated serializer: <c>application/json; charset=utf-8</c>,
/// decimals as JSON numbers without exponent, nulls kept. It depends on nothing host-specific, so it
/// executes the same under the Functions host and on the standalone Kestrel host.
/// </summary>
public sealed class ApiJsonResult<T>(int statusCode, T value, JsonTypeInfo<T> typeInfo, TimeSpan? retryAfter = null) : IActionResult
{
    public int StatusCode => statusCode;

    public T Value => value;

    public async Task ExecuteResultAsync(ActionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var response = context.HttpContext.Response;
        response.StatusCode = statusCode;
        response.ContentType = "application/json; charset=utf-8";
        if (retryAfter is { } wait)
        {
            response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        await JsonSerializer.SerializeAsync(response.Body, value, typeInfo, context.HttpContext.RequestAborted);
    }
}
