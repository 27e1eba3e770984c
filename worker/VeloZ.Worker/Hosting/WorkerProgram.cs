using VeloZ.Domain.Configuration;
using VeloZ.Domain.Hosting;
using VeloZ.Storage;
using VeloZ.Worker.MarketData;
using VeloZ.Worker.Status;

namespace VeloZ.Worker.Hosting;

/// <summary>
/// Start-up of the worker process: validate configuration (exit 2 with one line per bad variable),
/// then run the long-lived services until Ctrl-C or SIGTERM.
/// </summary>
internal static class WorkerProgram
{
    public const int ConfigurationExitCode = 2;

    public static async Task<int> RunAsync(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(args);
        GatewayOptions options;
        try
        {
            options = GatewayOptionsLoader.Load(builder.Configuration);
            ValidateForWorker(options);
        }
        catch (GatewayConfigurationException ex)
        {
            await Console.Error.WriteLineAsync(ex.Message);
            return ConfigurationExitCode;
        }

        builder.Logging.AddVelozConsole();
        builder.Services.AddVelozWorker(options);

        using var host = builder.Build();
        await host.RunAsync();
        return 0;
    }

    /// <summary>Settings the API accepts but this worker cannot serve yet stop the worker at start, loudly.</summary>
    private static void ValidateForWorker(GatewayOptions options)
    {
        if (options.MarketSource != MarketSource.Sim)
        {
            throw new GatewayConfigurationException(
            [
                new ConfigurationError(GatewayOptionsLoader.MarketSource, $"'{options.MarketSource.ToWire()}' has no market feed in this worker build; allowed values here: sim"),
            ]);
        }
    }

    public static IServiceCollection AddVelozWorker(this IServiceCollection services, GatewayOptions options)
    {
        services.AddSingleton(options);
        services.AddSingleton(TimeProvider.System);
        services.AddVelozStorage(options);
        services.AddSingleton<WorkerState>();
        services.AddSingleton<LatestTickBuffer>();
        services.AddSingleton<IMarketFeed, SimulatedMarketFeed>();
        services.AddHostedService<StorageInitializer>();
        services.AddHostedService<MarketFeedService>();
        services.AddHostedService<MarketTickWriter>();
        services.AddHostedService<HeartbeatService>();
        return services;
    }
}
