using Microsoft.Extensions.DependencyInjection;
using VeloZ.Domain.Configuration;

namespace VeloZ.Storage;

/// <summary>Registers VeloZ's Table storage repositories.</summary>
public static class StorageServiceCollectionExtensions
{
    public static IServiceCollection AddVelozStorage(this IServiceCollection services, StorageOptions options)
    {
        // Connection string or managed identity, chosen once; other storage clients start from the same choice.
        var connection = StorageConnection.FromOptions(options);
        services.AddSingleton(connection);
        services.AddSingleton(new TableStore(options, connection));
        services.AddSingleton<MarketTickRepository>();
        services.AddSingleton<IMarketTickStore>(sp => sp.GetRequiredService<MarketTickRepository>());
        services.AddSingleton<WorkerStatusRepository>();
        services.AddSingleton<OrderRepository>();
        services.AddSingleton<OrderHistory>();
        services.AddSingleton<TradeCursorRepository>();
        services.AddSingleton<AccountRepository>();
        services.AddSingleton<EventLogRepository>();
        services.AddSingleton<SequencerRepository>();
        services.AddSingleton(new OrderNotes(options, connection));
        services.AddSingleton<ApiKeyRepository>();
        services.AddSingleton<TradingControlRepository>();
        return services;
    }
}
