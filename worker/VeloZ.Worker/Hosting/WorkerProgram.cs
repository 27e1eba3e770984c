using VeloZ.Binance.Rest;
using VeloZ.Domain.Configuration;
using VeloZ.Hosting;
using VeloZ.Storage;
using VeloZ.Storage.Leadership;
using VeloZ.Worker.Events;
using VeloZ.Worker.Leadership;
using VeloZ.Worker.MarketData;
using VeloZ.Worker.Orders;
using VeloZ.Worker.Status;
using VeloZ.Worker.Venue;

namespace VeloZ.Worker.Hosting;

/// <summary>
/// Start-up of the worker process: validate configuration (exit 2 with one line per bad variable),
/// then run the long-lived services until Ctrl-C or SIGTERM (exit 0), or until this worker loses the
/// leader lease (exit <see cref="LeadershipService.LeadershipLostExitCode"/>).
/// </summary>
internal static partial class WorkerProgram
{
    public const int ConfigurationExitCode = 2;

    public static async Task<int> RunAsync(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
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

        builder.Logging.AddVelozConsole(options.Logging.Format);
        builder.Services.AddVelozWorker(options);
        PushHosting.ConfigureKestrel(builder, options.Push);

        await using var app = builder.Build();
        var startLog = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(WorkerProgram));
        foreach (var warning in GatewayOptionsLoader.Warnings(options))
        {
            LogConfigurationWarning(startLog, warning.Variable, warning.Message);
        }

        PushHosting.MapEndpoints(app, options.Push);
        try
        {
            await app.StartAsync();
        }
        catch (IOException ex)
        {
            await Console.Error.WriteLineAsync($"{ConfigurationVariables.HubUrl}: cannot listen on {options.Push.HubUrl} ({ex.Message})");
            return ConfigurationExitCode;
        }

        PushHosting.ReportHubUrl(app, options.Push);
        await app.WaitForShutdownAsync();
        // 0 after a normal stop; LeadershipLostExitCode when leadership was lost (restart to come back as a standby).
        return app.Services.GetRequiredService<LeadershipService>().ExitCode;
    }

    public static IServiceCollection AddVelozWorker(this IServiceCollection services, GatewayOptions options)
    {
        services.AddVelozOptions(options);
        services.AddSingleton(TimeProvider.System);
        services.AddVelozStorage(options.Storage);
        services.AddSingleton<WorkerState>();
        services.AddVelozTelemetry(options.Telemetry, new TelemetryScope("veloz-worker", [WorkerTracing.SourceName], [WorkerMetrics.MeterName]));
        services.AddSingleton<LatestTickBuffer>();
        services.AddBinanceClientPool();
        services.AddSingleton<MarketFeedSelector>();
        services.AddSingleton<Func<IMarketFeed>>(sp => sp.GetRequiredService<MarketFeedSelector>().Create);
        services.AddSingleton<EventInbox>();
        services.AddVelozPush(options.Push);
        // A standby runs only these: table creation, the lease loop and the heartbeat (and the hub, which stays
        // quiet because nothing publishes to it).
        services.AddSingleton(sp => WorkerLease.Create(options.Storage, TimeProvider.System, sp.GetRequiredService<StorageConnection>()));
        services.AddSingleton<WorkerLeadership>();
        services.AddHostedService<StorageInitializer>();
        services.AddSingleton<LeadershipService>();
        services.AddHostedService(sp => sp.GetRequiredService<LeadershipService>());
        services.AddHostedService<HeartbeatService>();
        // Leader-only services, started in this order once this worker holds the lease: the venue is up before
        // the market feed connects to it.
        services.AddLeaderOnly<SimVenueHost>();
        services.AddLeaderOnly<MarketFeedService>();
        services.AddLeaderOnly<VenueSupervisor>();
        services.AddLeaderOnly<OrderReconciler>();
        services.AddLeaderOnly<AccountSync>();
        services.AddLeaderOnly<UserStreamService>();
        services.AddLeaderOnly<MarketTickWriter>();
        services.AddLeaderOnly<EventSequencer>();
        services.AddLeaderOnly<OrderNotesListener>();
        services.AddLeaderOnly<EventLogPruner>();
        return services;
    }

    [LoggerMessage(EventId = 20, Level = LogLevel.Warning, Message = "Configuration: {Variable}: {Warning}")]
    private static partial void LogConfigurationWarning(ILogger logger, string variable, string warning);
}
