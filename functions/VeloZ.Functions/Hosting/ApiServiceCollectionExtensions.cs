using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.DependencyInjection;
using VeloZ.Binance.Rest;
using VeloZ.Domain.Configuration;
using VeloZ.Functions.Endpoints;
using VeloZ.Functions.Http;
using VeloZ.Functions.Orders;
using VeloZ.Functions.Push;
using VeloZ.Functions.Runtime;
using VeloZ.Functions.Security;
using VeloZ.Hosting;
using VeloZ.Push.Azure;
using VeloZ.Storage;

namespace VeloZ.Functions.Hosting;

/// <summary>The API's services, registered the same way under both hosts.</summary>
public static class ApiServiceCollectionExtensions
{
    /// <summary>
    /// Registers the API. Throws <see cref="Domain.Configuration.GatewayConfigurationException"/> when the options and
    /// the binding do not go together (see <see cref="ApiAuthSettings.Resolve"/>).
    /// </summary>
    public static IServiceCollection AddVelozApi(this IServiceCollection services, GatewayOptions options, ApiBinding binding)
    {
        ArgumentNullException.ThrowIfNull(binding);
        var auth = ApiAuthSettings.Resolve(options, binding);
        var host = binding.Host;
        services.AddVelozOptions(options);
        services.AddSingleton(TimeProvider.System);
        services.AddVelozStorage(options.Storage);
        services.AddSingleton<WorkerStatusView>();
        services.AddSingleton<CorsPolicy>();
        services.AddSingleton<DashboardAssets>();
        services.AddSingleton<BrowserRequestGuard>();
        services.AddSingleton(binding);
        services.AddSingleton(auth);
        services.AddSingleton<ApiKeyService>();
        services.AddSingleton<ApiRateLimits>();
        services.AddSingleton<AuditLog>();
        services.AddSingleton<TradingModeService>();
        services.AddSingleton<HealthReadings>();
        services.AddSingleton(new FunctionRouteIndex(FunctionRouteTable.FromAssembly(typeof(ApiProgram).Assembly)));
        services.AddSingleton<ApiPipeline>();
        services.AddBinanceClientPool();
        services.AddSingleton<VenueAccess>();
        services.AddSingleton<OrderService>();
        services.AddMetrics();
        services.AddSingleton<ApiMetrics>();
        services.AddSingleton<ApiMeterGauges>();
        // Under the Functions host: the invocation's span and the Functions resource attributes, continuing the host's trace.
        services.AddVelozTelemetry(
            options.Telemetry,
            new TelemetryScope("veloz-api", [ApiTracing.SourceName], [ApiMetrics.MeterName]),
            host == ApiHostKind.FunctionsHost ? otel => otel.UseFunctionsWorkerDefaults() : null);

        services.AddHostedService<ApiStorageInitializer>();
        services.AddSingleton(new ApiHost(UnderFunctionsHost: host == ApiHostKind.FunctionsHost));
        services.AddSingleton<EventBroadcaster>();
        services.AddSingleton<OpenStreams>();
        services.AddHostedService<StreamKeyWatch>();
        if (options.Push.UsesAzureSignalR)
        {
            // Only the client access is used here (negotiate and the API's own subscription); the worker publishes.
            services.AddAzureSignalRPublisher(SignalRConnectionString.Parse(options.Push.AzureSignalRConnectionString));
            services.AddSingleton<IPushAccess, AzurePushAccess>();
        }
        else
        {
            services.AddSingleton<IPushAccess, LocalPushAccess>();
        }
        services.AddHostedService<PushSubscription>();
        services.AddSingleton<OrderNoteSender>();
        services.AddHostedService(sp => sp.GetRequiredService<OrderNoteSender>());
        services.AddHostedService<OrderWritesDrain>();
        services.AddHostedService<SecurityStartupReport>();
        return services;
    }
}
