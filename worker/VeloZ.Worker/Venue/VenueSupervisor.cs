using VeloZ.Binance.Rest;
using VeloZ.Domain.Configuration;
using VeloZ.Worker.Status;

namespace VeloZ.Worker.Venue;

/// <summary>
/// Keeps the worker's view of the trading venue current: samples the venue's clock at start and every
/// <see cref="ClockSyncInterval"/> (signed requests carry venue time), pings it every
/// <see cref="CheckInterval"/>, and reports a 418 ban (trading halted until the ban ends) and the
/// venue's REST URL in the status row. In <c>sim_engine</c> the venue
/// is the simulated one the worker hosts, with VeloZ's test-only key; otherwise it is
/// <c>VELOZ_BINANCE_TRADE_BASE_URL</c> with the configured key and secret.
/// </summary>
internal sealed partial class VenueSupervisor(
    VenueOptions options,
    SimVenueHost simVenue,
    BinanceClientPool clients,
    WorkerState state,
    TimeProvider clock,
    ILogger<VenueSupervisor> logger) : BackgroundService
{
    public static readonly TimeSpan ClockSyncInterval = TimeSpan.FromMinutes(10);
    public static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(5);

    /// <summary>The trading client, once started (null when the mode has no credentials).</summary>
    public BinanceRestClient? Client { get; private set; }

    /// <summary>The WebSocket API endpoint of the trading venue (user data stream).</summary>
    public Uri WebSocketApiUrl => options.ExecutionMode == ExecutionMode.SimEngine ? simVenue.Handle.WebSocketApiUri : options.BinanceWsApiUrl;

    private readonly TaskCompletionSource<BinanceRestClient?> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes with <see cref="Client"/> once the supervisor has started.</summary>
    public Task<BinanceRestClient?> WhenReadyAsync => _ready.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Client = CreateClient();
        _ready.TrySetResult(Client);
        if (Client is null)
        {
            LogNoCredentials(logger, options.ExecutionMode.ToWire());
            return;
        }

        state.VenueRestUrl(Client.Options.BaseUrl.AbsoluteUri.TrimEnd('/'));
        var nextSync = DateTimeOffset.MinValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            if (clock.GetUtcNow() >= nextSync)
            {
                var sync = await Client.SyncClockAsync(stoppingToken);
                if (sync.IsSuccess)
                {
                    nextSync = clock.GetUtcNow() + ClockSyncInterval;
                    LogClockSynced(logger, Client.ServerClock.OffsetMs);
                }
                else
                {
                    nextSync = clock.GetUtcNow() + CheckInterval;
                    LogClockSyncFailed(logger, sync.ToString());
                }
            }

            // A light ping (weight 1) keeps connectivity and a venue ban (418) visible even while idle.
            await Client.PingAsync(stoppingToken);
            state.TradingHalted(Client.RateGate.HaltedUntil);
            await Task.Delay(CheckInterval, clock, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private BinanceRestClient? CreateClient()
    {
        if (options.ExecutionMode == ExecutionMode.SimEngine)
        {
            return clients.For(simVenue.Handle.RestBaseUri, SimVenueCredentials.ApiKey, SimVenueCredentials.ApiSecret);
        }

        return options.BinanceCredentialsPresent
            ? clients.For(options.BinanceTradeBaseUrl, options.BinanceApiKey, options.BinanceApiSecret)
            : null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Execution mode {Mode} has no Binance key and secret; venue supervision is off (orders answer binance_not_configured)")]
    private static partial void LogNoCredentials(ILogger logger, string mode);

    [LoggerMessage(Level = LogLevel.Information, Message = "Venue clock offset {OffsetMs} ms")]
    private static partial void LogClockSynced(ILogger logger, long offsetMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Venue clock sync failed: {Result}")]
    private static partial void LogClockSyncFailed(ILogger logger, string result);
}
