using VeloZ.Binance.Rest;
using VeloZ.Domain.Configuration;
using VeloZ.Domain.Hosting;
using VeloZ.Storage;
using VeloZ.Worker.Events;
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
        var builder = WebApplication.CreateBuilder(args);
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
        PushHosting.ConfigureKestrel(builder, options);

        await using var app = builder.Build();
        PushHosting.MapEndpoints(app, options);
        try
        {
            await app.StartAsync();
        }
        catch (IOException ex)
        {
            await Console.Error.WriteLineAsync($"{GatewayOptionsLoader.HubUrl}: cannot listen on {options.HubUrl} ({ex.Message})");
            return ConfigurationExitCode;
        }

        PushHosting.ReportHubUrl(app, options);
        await app.WaitForShutdownAsync();
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
        services.AddSingleton<EventInbox>();
        services.AddVelozPush(options);
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
        services.AddSingleton<EventSequencer>();
        services.AddHostedService(sp => sp.GetRequiredService<EventSequencer>());
        services.AddHostedService<OrderNotesListener>();
        services.AddHostedService<EventLogPruner>();
        return services;
    }
}
