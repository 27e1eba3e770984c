using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using VeloZ.Functions.Http;
using VeloZ.Functions.Security;
using VeloZ.Storage;

namespace VeloZ.Functions.Hosting;

/// <summary>
/// What every request goes through, in both hosts (an ASP.NET Core middleware standalone, a Functions
/// worker middleware under the Functions host), in this order:
/// <list type="number">
/// <item>CORS headers;</item>
/// <item>with authentication off only: the <see cref="BrowserRequestGuard"/> (a loopback <c>Host</c>, no
/// <c>Origin</c> other than the API's own or a listed one) → 403 <c>forbidden</c>, for every path;</item>
/// <item>a preflight (<c>OPTIONS</c>) for a known endpoint is answered 204;</item>
/// <item>authentication and scope (when on): the key from <c>X-API-Key</c>, <c>Authorization: Bearer</c> or,
/// for the stream, <c>?access_token=</c> (a read-scope key only; any other → 403 <c>forbidden</c>); missing or
/// invalid → 401 <c>unauthorized</c>, too weak a scope → 403 <c>forbidden</c>; a request without a valid key from
/// an address with too many failures → 429 (a valid key is admitted whatever its address did); the scope needed comes from the function's route
/// (<see cref="RoutePolicy"/>);</item>
/// <item>the request rate limit per key (per IP without one) → 429 <c>rate_limited</c> with <c>Retry-After</c>;</item>
/// <item>the body size: a declared length over <see cref="RequestBody.MaxBytes"/> is refused with 413
/// <c>body_too_large</c> before a byte of it is read, and the server stops reading an undeclared (chunked)
/// body at that size;</item>
/// <item>the function, with no exception ever reaching the client as a stack trace: storage failures
/// become 503 <c>storage_unavailable</c>, anything unexpected a logged 500 <c>internal_error</c>.</item>
/// </list>
/// Requests that match no function (404/405) pass through to the host's own answer without a key check.
/// </summary>
public sealed partial class ApiPipeline(
    CorsPolicy cors,
    ApiAuthSettings auth,
    BrowserRequestGuard browserGuard,
    ApiKeyService keys,
    ApiRateLimits limits,
    AuditLog audit,
    ILogger<ApiPipeline> logger)
{
    public async Task InvokeAsync(HttpContext context, FunctionRoute? function, Func<Task> next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        cors.Apply(context);
        if (!auth.Enabled && browserGuard.Refusal(context.Request) is { } refusal)
        {
            audit.BrowserRefused(refusal.Reason, ApiCallerContext.RemoteIp(context));
            await ApiErrorWriter.WriteAsync(context, StatusCodes.Status403Forbidden, ApiErrors.Forbidden, refusal.Message);
            return;
        }

        // A CORS preflight for a known endpoint (every function accepts OPTIONS) is answered here;
        // browsers never send credentials on a preflight.
        if (HttpMethods.IsOptions(context.Request.Method) && context.GetEndpoint() is not null)
        {
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }

        try
        {
            if (function is not null && !await AdmitAsync(context, function))
            {
                return;
            }

            await next();
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; there is nobody to answer.
        }
        catch (StorageUnavailableException ex)
        {
            LogStorageUnavailable(logger, context.Request.Path, ex.Message);
            await ApiErrorWriter.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, ApiErrors.StorageUnavailable, "The state store is unreachable; try again shortly.");
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            await ApiErrorWriter.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, ApiErrors.BodyTooLarge, $"The body is larger than {RequestBody.MaxBytes} bytes.");
        }
        catch (BadHttpRequestException ex)
        {
            await ApiErrorWriter.WriteAsync(context, ex.StatusCode, ApiErrors.BadParams, "The request could not be read.");
        }
        catch (Exception ex)
        {
            LogUnexpected(logger, context.Request.Path, ex.GetType().Name, ex.StackTrace);
            await ApiErrorWriter.WriteAsync(context, StatusCodes.Status500InternalServerError, ApiErrors.InternalError, "Unexpected error; it has been logged.");
        }
    }

    /// <summary>Authentication, scope, rate limit and body size; false when the request was answered here.</summary>
    private async Task<bool> AdmitAsync(HttpContext context, FunctionRoute function)
    {
        var remoteIp = ApiCallerContext.RemoteIp(context);
        var method = context.Request.Method;
        var caller = ApiCaller.Anonymous(remoteIp);
        var policy = RoutePolicy.For(function.Route);
        if (auth.Enabled && policy.Required is { } required)
        {
            // The key is checked before the address's failed-authentication lockout: a valid key is admitted even
            // from an address that others behind the same NAT have locked out with bad keys.
            var (presented, key) = ApiCredentials.Read(context.Request, policy.QueryTokenAllowed);
            var identity = presented is ApiCredentials.Presented.Key or ApiCredentials.Presented.QueryKey ? await keys.AuthenticateAsync(key, context.RequestAborted) : null;
            if (identity is null)
            {
                if (limits.AuthFailuresExhausted(remoteIp) is { } lockedFor)
                {
                    audit.AuthLockedOut(method, function.Route, remoteIp);
                    await ApiErrorWriter.WriteAsync(context, StatusCodes.Status429TooManyRequests, ApiErrors.RateLimited, "Too many failed authentications from this address; retry after the indicated time.", lockedFor);
                    return false;
                }

                audit.AuthFailure(presented == ApiCredentials.Presented.None ? "missing_key" : "invalid_key", method, function.Route, remoteIp);
                if (limits.RecordAuthFailure(remoteIp) is { } wait)
                {
                    await ApiErrorWriter.WriteAsync(context, StatusCodes.Status429TooManyRequests, ApiErrors.RateLimited, "Too many failed authentications from this address; retry after the indicated time.", wait);
                    return false;
                }

                context.Response.Headers.WWWAuthenticate = "Bearer realm=\"veloz\"";
                await ApiErrorWriter.WriteAsync(context, StatusCodes.Status401Unauthorized, ApiErrors.Unauthorized, "A valid API key is required: send it as X-API-Key or Authorization: Bearer.");
                return false;
            }

            caller = new ApiCaller(identity.KeyId, identity.Scope, remoteIp);
            if (!Domain.Security.ApiScopes.Allows(identity.Scope, required))
            {
                audit.AuthForbidden(caller, Domain.Security.ApiScopes.ToWire(required), method, function.Route);
                await ApiErrorWriter.WriteAsync(context, StatusCodes.Status403Forbidden, ApiErrors.Forbidden, $"This key's scope does not allow this endpoint; it needs '{Domain.Security.ApiScopes.ToWire(required)}'.");
                return false;
            }

            // A URL ends up in proxy logs, browser history and Referer headers: only a key that can do no
            // more than read may travel in one.
            if (presented == ApiCredentials.Presented.QueryKey && identity.Scope != Domain.Security.ApiScope.Read)
            {
                audit.AuthForbidden(caller, "read (query token)", method, function.Route);
                await ApiErrorWriter.WriteAsync(context, StatusCodes.Status403Forbidden, ApiErrors.Forbidden, $"Only a read-scope key may be sent as ?{RoutePolicy.AccessTokenQueryName}=; send this key as X-API-Key or Authorization: Bearer.");
                return false;
            }
        }

        context.SetCaller(caller);
        if (limits.TryAdmit(caller) is { } retryAfter)
        {
            await ApiErrorWriter.WriteAsync(context, StatusCodes.Status429TooManyRequests, ApiErrors.RateLimited, "Too many requests; retry after the indicated time.", retryAfter);
            return false;
        }

        if (context.Request.ContentLength > RequestBody.MaxBytes)
        {
            await ApiErrorWriter.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, ApiErrors.BodyTooLarge, $"The body is larger than {RequestBody.MaxBytes} bytes.");
            return false;
        }

        // An undeclared (chunked) body: the server itself stops reading it past the limit.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodyLimit)
        {
            bodyLimit.MaxRequestBodySize = RequestBody.MaxBytes;
        }

        return true;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Storage unavailable while serving {Path}: {Reason}")]
    private static partial void LogStorageUnavailable(ILogger logger, PathString path, string reason);

    // The type and stack are logged, not the message: messages of unexpected exceptions can quote
    // request data or connection details.
    [LoggerMessage(Level = LogLevel.Error, Message = "Unexpected {ExceptionType} while serving {Path} at {StackTrace}")]
    private static partial void LogUnexpected(ILogger logger, PathString path, string exceptionType, string? stackTrace);
}
