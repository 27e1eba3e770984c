using Microsoft.Extensions.DependencyInjection;
using VeloZ.Domain.Configuration;

namespace VeloZ.Hosting;

/// <summary>Makes the validated options available to services, whole and per concern.</summary>
public static class OptionsServiceCollectionExtensions
{
    /// <summary>
    /// Registers <paramref name="options"/> and each of its concerns, so a service asks for the one it needs
    /// (<see cref="VenueOptions"/>, <see cref="StorageOptions"/>, ...) and only start-up code and the rules that
    /// span concerns see the whole.
    /// </summary>
    public static IServiceCollection AddVelozOptions(this IServiceCollection services, GatewayOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.AddSingleton(options);
        services.AddSingleton(options.Api);
        services.AddSingleton(options.Market);
        services.AddSingleton(options.Venue);
        services.AddSingleton(options.Storage);
        services.AddSingleton(options.Push);
        services.AddSingleton(options.Security);
        return services;
    }
}
