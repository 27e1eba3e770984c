using Microsoft.Extensions.DependencyInjection;
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
        services.AddHostedService<ApiStorageInitializer>();
        return services;
    }
}
