using Microsoft.AspNetCore.Http;
using VeloZ.Domain.Configuration;

namespace VeloZ.Functions.Http;

/// <summary>
/// The contract's CORS headers, applied by <c>Hosting.ApiPipeline</c> to every response of both hosts:
/// <c>Access-Control-Allow-Origin</c> only for an origin listed in <c>VELOZ_CORS_ORIGINS</c> (or <c>*</c> when it
/// says <c>*</c>; by default no origin is listed, so no other web page may read the API's answers),
/// <c>-Methods: GET,POST,OPTIONS</c>, <c>-Headers: Content-Type</c> plus the auth headers
/// (<c>Authorization</c>, <c>X-API-Key</c>; always listed, so a dashboard that sends a key works whether
/// authentication is on or off) and <c>Last-Event-ID</c>, and <c>Access-Control-Expose-Headers: Retry-After</c>
/// so a browser client can read how long to wait after a 429.
/// </summary>
public sealed class CorsPolicy(SecurityOptions options)
{
    public const string AllowedMethods = "GET,POST,OPTIONS";
    public const string AllowedHeaders = "Content-Type,Authorization,X-API-Key,Last-Event-ID";
    public const string ExposedHeaders = "Retry-After";

    private readonly HashSet<string> _origins = new(options.CorsOrigins, StringComparer.OrdinalIgnoreCase);

    /// <summary><c>VELOZ_CORS_ORIGINS=*</c>: every web page may call the API and read its answers.</summary>
    public bool AnyOrigin { get; } = options.CorsOrigins.Contains("*");

    /// <summary>Whether a web page of this origin (the browser's <c>Origin</c> header) may call the API.</summary>
    public bool Allows(string origin) => AnyOrigin || _origins.Contains(origin);

    public void Apply(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var headers = context.Response.Headers;
        if (AnyOrigin)
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
