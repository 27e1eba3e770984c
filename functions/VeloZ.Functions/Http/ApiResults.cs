using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace VeloZ.Functions.Http;

/// <summary>Factory for the API's responses, so every function answers with the contract's bodies.</summary>
public static class ApiResults
{
    public static IActionResult Ok<T>(T value, JsonTypeInfo<T> typeInfo) => new ApiJsonResult<T>(StatusCodes.Status200OK, value, typeInfo);

    /// <summary>A JSON body with another status than 200 (e.g. a probe's 503).</summary>
    public static IActionResult Json<T>(int statusCode, T value, JsonTypeInfo<T> typeInfo) => new ApiJsonResult<T>(statusCode, value, typeInfo);

    public static IActionResult Error(int statusCode, string error, string? message = null, string? field = null, int? code = null) =>
        new ApiJsonResult<ErrorResponse>(statusCode, new ErrorResponse(false, error, message, field, code), ApiJsonContext.Default.ErrorResponse);

    /// <summary>A body that is already JSON text (e.g. events as they were logged).</summary>
    public static IActionResult RawJson(int statusCode, string json) => new Utf8JsonResult(statusCode, System.Text.Encoding.UTF8.GetBytes(json));

    /// <summary>A body already serialized to UTF-8 JSON (e.g. shared by many requests), sent with its length.</summary>
    public static IActionResult Utf8Json(int statusCode, byte[] json) => new Utf8JsonResult(statusCode, json);

    public static IActionResult Error(int statusCode, ErrorResponse body, TimeSpan? retryAfter = null) =>
        new ApiJsonResult<ErrorResponse>(statusCode, body, ApiJsonContext.Default.ErrorResponse, retryAfter);
}

/// <summary>The contract's error codes.</summary>
public static class ApiErrors
{
    public const string BadJson = "bad_json";
    public const string BadParams = "bad_params";
    public const string NotFound = "not_found";
    public const string MethodNotAllowed = "method_not_allowed";
    public const string StorageUnavailable = "storage_unavailable";
    public const string InternalError = "internal_error";
    public const string BinanceNotConfigured = "binance_not_configured";
    public const string FilterViolation = "filter_violation";
    public const string VenueRejected = "venue_rejected";
    public const string DuplicateClientOrderId = "duplicate_client_order_id";
    public const string OrderNotOpen = "order_not_open";
    public const string StatusUnknown = "status_unknown";
    public const string ExecutionUnavailable = "execution_unavailable";
    public const string RateLimited = "rate_limited";
    public const string PushUnavailable = "push_unavailable";
    public const string Unauthorized = "unauthorized";
    public const string Forbidden = "forbidden";
    public const string BodyTooLarge = "body_too_large";
    public const string UnsupportedMediaType = "unsupported_media_type";
    public const string CancelOnly = "cancel_only";
}

/// <summary>A UTF-8 JSON body written as given, with <c>Content-Length</c> (no MVC services needed, so it runs under both hosts).</summary>
public sealed class Utf8JsonResult(int statusCode, byte[] json) : IActionResult
{
    public int StatusCode => statusCode;

    public async Task ExecuteResultAsync(ActionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var response = context.HttpContext.Response;
        response.StatusCode = statusCode;
        response.ContentType = "application/json; charset=utf-8";
        response.ContentLength = json.Length;
        await response.Body.WriteAsync(json, context.HttpContext.RequestAborted);
    }
}
