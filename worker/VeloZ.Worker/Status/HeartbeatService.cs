using VeloZ.Storage;

namespace VeloZ.Worker.Status;

/// <summary>
/// Writes the worker's status row every <see cref="Interval"/>, and at once when a state word changes
/// (feed running/error/stopped, user stream connected, leader/standby): the heartbeat by which the API judges
/// whether a worker is alive, plus the market feed and user stream state. It runs in the leader and in a
/// standby alike; each writes its own row (<see cref="WorkerStatus.Role"/>), so a standby never hides the
/// leader's addresses. On shutdown it writes a last row with the feed <c>stopped</c> (before the leader
/// hands over its lease).
/// </summary>
internal sealed partial class HeartbeatService(
    WorkerState state,
    WorkerStatusRepository repository,
    TimeProvider clock,
    ILogger<HeartbeatService> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var changed = state.WaitForChangeAsync();
                await WriteAsync(stoppingToken);
                await Task.WhenAny(changed, Task.Delay(Interval, clock, stoppingToken));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        state.MarketFeedStopped();
        await WriteAsync(cancellationToken);
    }

    private async Task WriteAsync(CancellationToken cancellationToken)
    {
        try
        {
            var now = clock.GetUtcNow();
            await repository.WriteAsync(state.Snapshot(now), cancellationToken);
            state.HeartbeatWritten(now);
        }
        catch (StorageUnavailableException ex)
        {
            LogHeartbeatFailed(logger, ex.Message);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not write the worker heartbeat: {Reason}")]
    private static partial void LogHeartbeatFailed(ILogger logger, string reason);
}
