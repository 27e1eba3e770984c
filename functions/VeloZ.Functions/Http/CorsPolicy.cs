using Microsoft.AspNetCore.Http;
using VeloZ.Domain.Configuration;

namespace VeloZ.Functions.Http;

/// <summary>
/// The contract's CORS headers, applied by <see cref="ApiPipeline"/> to every response of both hosts:
/// <c>Access-Control-Allow-Origin</c> (<c>VELOZ_CORS_ORIGINS</c>, <c>*</c> by default),
/// <c>-Methods: GET,POST,OPTIONS</c>, <c>-Headers: Content-Type</c> plus the auth headers
/// (<c>Authorization</c>, <c>X-API-Key</c>; always listed, so a dashboard that sends a key works whether
/// authentication is on or off) and <c>Last-Event-ID</c>, and <c>Access-Control-Expose-Headers: Retry-After</c>
/// so a browser client can read how long to wait after a 429.
/// </summary>
public sealed class CorsPolicy(GatewayOptions options)
{
    public const string AllowedMethods = "GET,POST,OPTIONS";
    public const string AllowedHeaders = "Content-Type,Authorization,X-API-Key,Last-Event-ID";
    public const string ExposedHeaders = "Retry-After";

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
        headers.AccessControlExposeHeaders = ExposedHeaders;
    }
}
