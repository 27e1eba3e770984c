using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace VeloZ.Push.Azure;

public static class AzureSignalRServiceCollectionExtensions
{
    /// <summary>The name of the <see cref="HttpClient"/> the publisher uses.</summary>
    public const string HttpClientName = "VeloZ.Push.AzureSignalR";

    /// <summary>
    /// Registers Azure SignalR Service as the push channel: <see cref="IEventPublisher"/> (and
    /// <see cref="AzureSignalRRestPublisher"/>) publishing to <paramref name="hub"/>, and
    /// <see cref="AzureSignalRClientAccess"/> for negotiate and the API's own subscription. Options are validated here,
    /// so a wrong setting stops start-up. Uses the registered <see cref="TimeProvider"/> (the system clock if none).
    /// </summary>
    public static IServiceCollection AddAzureSignalRPublisher(this IServiceCollection services, SignalRConnectionString connectionString, string hub = AzureSignalROptions.DefaultHub, Action<AzureSignalROptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(connectionString);
        var options = new AzureSignalROptions { Hub = hub };
        configure?.Invoke(options);
        options.Validate();

        services.TryAddSingleton(TimeProvider.System);
        // One long-lived client in a singleton: the pooled connections are recycled so DNS changes are still seen.
        services.AddHttpClient(HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan);
        services.AddSingleton(sp => new AzureSignalRRestPublisher(
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName),
            connectionString,
            options,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<AzureSignalRRestPublisher>>()));
        services.AddSingleton<IEventPublisher>(sp => sp.GetRequiredService<AzureSignalRRestPublisher>());
        services.AddSingleton(sp => new AzureSignalRClientAccess(connectionString, options, sp.GetRequiredService<TimeProvider>()));
        return services;
    }
}
