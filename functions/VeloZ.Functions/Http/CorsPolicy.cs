using Microsoft.AspNetCore.Http;
using VeloZ.Domain.Configuration;

namespace VeloZ.Functions.Http;

/// <summary>
/// The contract's CORS headers, applied by <see cref="ApiPipeline"/> to every response of both hosts:
/// <c>Access-Control-Allow-Origin</c> (<c>VELOZ_CORS_ORIGINS</c>, <c>*</c> by default),
/// <c>-Methods: GET,POST,OPTIONS</c>, <c>-Headers: Content-Type</c> (plus the auth headers).
/// </summary>
public sealed class CorsPolicy(GatewayOptions options)
{
    public const string AllowedMethods = "GET,POST,OPTIONS";
    public const string AllowedHeaders = "Content-Type,Authorization,X-API-Key,Last-Event-ID";

    private readonly bool _anyOrigin = options.CorsOrigins.Contains("*");
    private readonly HashSet<string> _origins = new(options.CorsOrigins, StringComparer.OrdinalIgnoreCase);

    public void Apply(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var headers = context.Response.Headers;
        if (_anyOrigin)
        {
            headers.AccessControlAllowOrigin = "*";
        }
        else
        {
            headers.Vary = "Origin";
            var origin = context.Request.Headers.Origin.ToString();
            if (origin.Length > 0 && _origins.Contains(origin))
            {
                headers.AccessControlAllowOrigin = origin;
            }
        }

        headers.AccessControlAllowMethods = AllowedMethods;
        headers.AccessControlAllowHeaders = AllowedHeaders;
    }
}
