using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using VeloZ.Functions.Push;
using VeloZ.Push.Azure;
using VeloZ.Binance.Rest;
using VeloZ.Functions.Orders;
using VeloZ.Domain.Configuration;
using VeloZ.Functions.Http;
using VeloZ.Storage;

namespace VeloZ.Functions.Hosting;

/// <summary>The API's services, registered the same way under both hosts.</summary>
public static class ApiServiceCollectionExtensions
{
    public static IServiceCollection AddVelozApi(this IServiceCollection services, GatewayOptions options)
    {
        services.AddSingleton(options);
        services.AddSingleton(TimeProvider.System);
        services.AddVelozStorage(options);
        services.AddSingleton<WorkerStatusView>();
        services.AddSingleton<CorsPolicy>();
        services.AddSingleton<ApiPipeline>();
        services.AddBinanceClientPool();
        services.AddSingleton<VenueAccess>();
        services.AddSingleton<OrderService>();
        services.AddHostedService<ApiStorageInitializer>();
        services.TryAddSingleton(new ApiHost(UnderFunctionsHost: false));
        services.AddSingleton<EventBroadcaster>();
        if (options.UsesAzureSignalR)
        {
            // Only the client access is used here (negotiate and the API's own subscription); the worker publishes.
            services.AddAzureSignalRPublisher(SignalRConnectionString.Parse(options.AzureSignalRConnectionString));
            services.AddSingleton<IPushAccess, AzurePushAccess>();
        }
        else
        {
            services.AddSingleton<IPushAccess, LocalPushAccess>();
        }
        services.AddHostedService<PushSubscription>();
        services.AddSingleton<OrderNoteSender>();
        services.AddHostedService(sp => sp.GetRequiredService<OrderNoteSender>());
        return services;
    }
}
