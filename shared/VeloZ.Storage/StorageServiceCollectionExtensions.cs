using Microsoft.Extensions.DependencyInjection;
using VeloZ.Domain.Configuration;

namespace VeloZ.Storage;

/// <summary>Registers VeloZ's Table storage repositories.</summary>
public static class StorageServiceCollectionExtensions
{
    public static IServiceCollection AddVelozStorage(this IServiceCollection services, GatewayOptions options)
    {
        services.AddSingleton(new TableStore(options));
        services.AddSingleton<MarketTickRepository>();
        services.AddSingleton<IMarketTickStore>(sp => sp.GetRequiredService<MarketTickRepository>());
        services.AddSingleton<WorkerStatusRepository>();
        services.AddSingleton<OrderRepository>();
        services.AddSingleton<AccountRepository>();
        services.AddSingleton<ApiKeyRepository>();
        services.AddSingleton<TradingControlRepository>();
        return services;
    }
}
