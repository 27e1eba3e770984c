using Microsoft.Extensions.DependencyInjection.Extensions;

namespace VeloZ.Worker.Leadership;

/// <summary>A service that runs only while this worker holds the leader lease (started by <see cref="LeadershipService"/>).</summary>
internal sealed record LeaderOnlyService(IHostedService Service)
{
    public string Name => Service.GetType().Name;
}

/// <summary>Registration of leader-only services.</summary>
internal static class LeaderOnlyServices
{
    /// <summary>
    /// Registers <typeparamref name="T"/> (a singleton, unless already registered) to be started when this
    /// worker becomes the leader, after the leader-only services registered before it, and stopped with them.
    /// It is not a hosted service of its own: a standby never starts it.
    /// </summary>
    public static IServiceCollection AddLeaderOnly<T>(this IServiceCollection services)
        where T : class, IHostedService
    {
        services.TryAddSingleton<T>();
        services.AddSingleton(sp => new LeaderOnlyService(sp.GetRequiredService<T>()));
        return services;
    }
}
