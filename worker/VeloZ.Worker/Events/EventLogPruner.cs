using VeloZ.Domain.Configuration;
using VeloZ.Domain.Time;
using VeloZ.Storage;

namespace VeloZ.Worker.Events;

/// <summary>
/// Deletes events older than <c>VELOZ_EVENT_RETENTION_HOURS</c> from the event log, once an hour. Resuming
/// clients then get everything retained after their id; the gap is where retention pruned.
/// </summary>
internal sealed partial class EventLogPruner(EventLogRepository log, EventSequencer sequencer, StorageOptions options, TimeProvider clock, ILogger<EventLogPruner> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await sequencer.Ready.WaitAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var cutoff = UnixTime.ToUnixNanos(clock.GetUtcNow() - TimeSpan.FromHours(options.EventRetentionHours));
                var deleted = await log.PruneAsync(cutoff, sequencer.NextId, stoppingToken);
                if (deleted > 0)
                {
                    LogPruned(logger, deleted, options.EventRetentionHours);
                }
            }
            catch (StorageUnavailableException ex)
            {
                LogFailed(logger, ex.Message);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }

            await Task.Delay(Interval, clock, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Event log: {Count} events older than {Hours} h deleted")]
    private static partial void LogPruned(ILogger logger, int count, int hours);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event log pruning failed ({Reason}); next try in an hour")]
    private static partial void LogFailed(ILogger logger, string reason);
}
