using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using VeloZ.Domain.Configuration;

using VeloZ.Functions.Http;
using VeloZ.Functions.Security;
using VeloZ.Hosting;

namespace VeloZ.Functions.Hosting;

/// <summary>
/// Start-up of the API. One build, two hosts: when the Azure Functions host launched the process (it
/// passes <c>--functions-uri</c>), it runs as an isolated worker with the ASP.NET Core integration;
/// otherwise it serves the same functions standalone on Kestrel at <c>VELOZ_HOST:VELOZ_PORT</c>.
/// </summary>
public static partial class ApiProgram
{
    public const int ConfigurationExitCode = 2;
    public const int PortInUseExitCode = 3;

    public static async Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        return IsStartedByFunctionsHost(args, Environment.GetEnvironmentVariable)
            ? await RunUnderFunctionsHostAsync(args)
            : await RunStandaloneAsync(args);
    }

    /// <summary>
    /// The Functions host always passes <c>--functions-uri</c> (worker 2.x reads nothing else); the
    /// endpoint may also arrive as configuration (<c>Functions__Worker__HostEndpoint</c>).
    /// </summary>
    public static bool IsStartedByFunctionsHost(string[] args, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(environment);
        return args.Any(a => a.StartsWith("--functions-uri", StringComparison.Ordinal))
            || !string.IsNullOrEmpty(environment("Functions__Worker__HostEndpoint"))
            || !string.IsNullOrEmpty(environment("AZURE_FUNCTIONS_Functions__Worker__HostEndpoint"));
    }

    private static async Task<int> RunUnderFunctionsHostAsync(string[] args)
    {
        var builder = FunctionsApplication.CreateBuilder(args);
        if (!TryLoadOptions(builder.Configuration, out var options))
        {
            return ConfigurationExitCode;
        }

        builder.ConfigureFunctionsWebApplication();
        builder.UseMiddleware<FunctionsHostPipelineMiddleware>();
        // No per-request framework lines (their URLs may carry ?access_token= on the stream), as standalone.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        try
        {
            builder.Services.AddVelozApi(options, ApiBinding.FunctionsHost);
        }
        catch (GatewayConfigurationException ex)
        {
            await Console.Error.WriteLineAsync(ex.Message);
            return ConfigurationExitCode;
        }

        using var host = builder.Build();
        host.Services.GetRequiredService<ApiMeterGauges>();
        await host.RunAsync();
        return 0;
    }

    private static async Task<int> RunStandaloneAsync(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        if (!TryLoadOptions(builder.Configuration, out var options))
        {
            return ConfigurationExitCode;
        }

        builder.Logging.AddVelozConsole(options.Logging.Format);

        WebApplication built;
        try
        {
            built = BuildStandalone(builder, options);
        }
        catch (GatewayConfigurationException ex)
        {
            await Console.Error.WriteLineAsync(ex.Message);
            return ConfigurationExitCode;
        }

        await using var app = built;
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("VeloZ.Api");
        try
        {
            await app.StartAsync();
        }
        catch (IOException ex) when (ex.InnerException is SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse } || ex.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
        {
            await Console.Error.WriteLineAsync($"VeloZ API cannot start: {options.Api.Host}:{options.Api.Port} is already in use (set {ConfigurationVariables.Port} or stop the other process).");
            return PortInUseExitCode;
        }

        foreach (var address in app.Urls)
        {
            LogListening(logger, address);
        }

        await app.WaitForShutdownAsync();
        return 0;
    }

    /// <summary>
    /// The standalone host: Kestrel on the addresses <see cref="ApiBinding"/> resolves from
    /// <c>VELOZ_HOST:VELOZ_PORT</c> (the same list decides whether authentication may be off), the
    /// <see cref="ApiPipeline"/>, one endpoint per function (from the same attributes the Functions SDK
    /// reads), JSON 404/405 bodies. Throws <see cref="GatewayConfigurationException"/> for settings that do
    /// not go together.
    /// </summary>
    public static WebApplication BuildStandalone(WebApplicationBuilder builder, GatewayOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        var binding = ApiBinding.Standalone(options.Api);
        builder.Services.AddVelozApi(options, binding);
        builder.WebHost.UseKestrel(k =>
        {
            k.AddServerHeader = false;
            // No API body is larger; the pipeline refuses a larger declared body before reading it.
            k.Limits.MaxRequestBodySize = RequestBody.MaxBytes;
            binding.Listen(k);
        });

        var app = builder.Build();
        app.Services.GetRequiredService<ApiMeterGauges>();
        var pipeline = app.Services.GetRequiredService<ApiPipeline>();
        app.UseRouting();
        app.Use((context, next) => pipeline.InvokeAsync(context, context.GetEndpoint()?.Metadata.GetMetadata<FunctionRoute>(), () => next(context)));
        app.Use(ReplaceEmpty405Async);
        // Explicit UseEndpoints (rather than top-level Map*) so that the 404 terminal below runs only
        // when no function matched, and a known path with the wrong verb still gets routing's 405.
        var routePrefix = HostSettings.ReadRoutePrefix(AppContext.BaseDirectory);
        var referencePage = new ApiReferencePage(app.Services, HostSettings.PathFor(routePrefix, "openapi.json"));
        app.Use(referencePage.InvokeAsync);
#pragma warning disable ASP0014
        app.UseEndpoints(endpoints => endpoints.MapFunctions(typeof(ApiProgram).Assembly, routePrefix));
#pragma warning restore ASP0014
        // The site's root leads to the dashboard (a function, so the Functions host serves the same page at
        // /dashboard/); it is no endpoint of its own, so the route table stays the functions'.
        app.Run(context => IsSiteRoot(context.Request)
            ? DashboardRedirectResult.WriteAsync(context.Response, DashboardRedirectResult.ToPage)
            : ApiErrorWriter.WriteAsync(context, StatusCodes.Status404NotFound, ApiErrors.NotFound, "No such endpoint."));
        return app;
    }

    /// <summary>The interactive reference page of <c>/openapi.json</c> (standalone only).</summary>
    public const string ReferencePagePath = ApiReferencePage.Path;

    private static bool IsSiteRoot(HttpRequest request) =>
        (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)) && request.Path.Value is null or "" or "/";

    /// <summary>Routing answers a known path with an unsupported verb with an empty 405; give it the contract's error body.</summary>
    private static async Task ReplaceEmpty405Async(HttpContext context, RequestDelegate next)
    {
        await next(context);
        if (context.Response.StatusCode == StatusCodes.Status405MethodNotAllowed && !context.Response.HasStarted)
        {
            await ApiErrorWriter.WriteAsync(context, StatusCodes.Status405MethodNotAllowed, ApiErrors.MethodNotAllowed, "This path does not accept that method.");
        }
    }

    private static bool TryLoadOptions(IConfiguration configuration, out GatewayOptions options)
    {
        try
        {
            options = GatewayOptionsLoader.Load(configuration);
            return true;
        }
        catch (GatewayConfigurationException ex)
        {
            Console.Error.WriteLine(ex.Message);
            options = null!;
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, EventId = 1, EventName = "Listening", Message = "VeloZ API listening on {Address}")]
    private static partial void LogListening(ILogger logger, string address);
}
