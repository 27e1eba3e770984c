using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Template;
using Scalar.AspNetCore;

namespace VeloZ.Functions.Hosting;

/// <summary>
/// Standalone only: Scalar's interactive reference of <c>/openapi.json</c> at <see cref="Path"/>. Its script comes from
/// the package itself (no CDN), and the page loads no web fonts and sends no telemetry, so it works offline.
/// Scalar's endpoints are kept out of the host's route table, which stays exactly the functions' (the same as under
/// the Functions host, a test compares them): they are mapped on a private route builder and served by
/// <see cref="InvokeAsync"/> after the <see cref="ApiPipeline"/> (CORS and the browser guard apply; no key is asked,
/// as for the document it shows).
/// </summary>
internal sealed class ApiReferencePage
{
    public const string Path = "/docs";

    private readonly (TemplateMatcher Matcher, RouteEndpoint Endpoint)[] _endpoints;

    public ApiReferencePage(IServiceProvider services, string documentPath)
    {
        var builder = new PrivateRouteBuilder(services);
        builder.MapScalarApiReference(Path, options =>
        {
            options.WithTitle("VeloZ API").WithOpenApiRoutePattern(documentPath).DisableTelemetry();
            options.DefaultFonts = false;
        });
        _endpoints = [.. builder.DataSources
            .SelectMany(d => d.Endpoints)
            .OfType<RouteEndpoint>()
            .Select(e => (new TemplateMatcher(new RouteTemplate(e.RoutePattern), new RouteValueDictionary(e.RoutePattern.Defaults)), e))];
    }

    /// <summary>Serves a request under <see cref="Path"/> that one of the page's endpoints matches, else passes it on.</summary>
    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (context.GetEndpoint() is null && context.Request.Path.StartsWithSegments(Path, StringComparison.OrdinalIgnoreCase))
        {
            foreach (var (matcher, endpoint) in _endpoints)
            {
                var values = new RouteValueDictionary();
                if (endpoint.RequestDelegate is { } handler
                    && endpoint.Metadata.GetMetadata<HttpMethodMetadata>() is { } methods
                    && methods.HttpMethods.Contains(context.Request.Method, StringComparer.OrdinalIgnoreCase)
                    && matcher.TryMatch(context.Request.Path, values))
                {
                    context.Request.RouteValues = values;
                    await handler(context);
                    return;
                }
            }
        }

        await next(context);
    }

    /// <summary>A route builder whose endpoints are not added to the application's route table.</summary>
    private sealed class PrivateRouteBuilder(IServiceProvider services) : IEndpointRouteBuilder
    {
        public IServiceProvider ServiceProvider => services;

        public ICollection<EndpointDataSource> DataSources { get; } = [];

        public IApplicationBuilder CreateApplicationBuilder() => new ApplicationBuilder(services);
    }
}
