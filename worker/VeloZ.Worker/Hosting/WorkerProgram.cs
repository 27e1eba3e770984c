using VeloZ.Binance.Rest;
using VeloZ.Domain.Configuration;
using VeloZ.Domain.Hosting;
using VeloZ.Storage;
using VeloZ.Worker.MarketData;
using VeloZ.Worker.Orders;
using VeloZ.Worker.Status;
using VeloZ.Worker.Venue;

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

    public static IServiceCollection AddVelozWorker(this IServiceCollection services, GatewayOptions options)
    {
        services.AddSingleton(options);
        services.AddSingleton(TimeProvider.System);
        services.AddVelozStorage(options);
        services.AddSingleton<WorkerState>();
        services.AddSingleton<LatestTickBuffer>();
        services.AddBinanceClientPool();
        services.AddSingleton<SimVenueHost>();
        services.AddSingleton<MarketFeedSelector>();
        services.AddSingleton<Func<IMarketFeed>>(sp => sp.GetRequiredService<MarketFeedSelector>().Create);
        services.AddHostedService<StorageInitializer>();
        // Hosted services start in this order: the venue is up before the market feed connects to it.
        services.AddHostedService(sp => sp.GetRequiredService<SimVenueHost>());
        services.AddHostedService<MarketFeedService>();
        services.AddSingleton<VenueSupervisor>();
        services.AddHostedService(sp => sp.GetRequiredService<VenueSupervisor>());
        services.AddSingleton<OrderReconciler>();
        services.AddHostedService(sp => sp.GetRequiredService<OrderReconciler>());
        services.AddHostedService<AccountSync>();
        services.AddHostedService<UserStreamService>();
        services.AddHostedService<MarketTickWriter>();
        services.AddHostedService<HeartbeatService>();
        return services;
    }
}
