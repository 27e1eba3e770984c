using VeloZ.Storage;

namespace VeloZ.Worker.MarketData;

/// <summary>
/// Stores the latest tick in Table storage, at most once per <see cref="MinWriteInterval"/>: ticks that
/// arrive in between are conflated by the <see cref="LatestTickBuffer"/>, so a fast feed costs a bounded
/// number of writes. A failed write is logged and the next tick is tried.
/// </summary>
internal sealed partial class MarketTickWriter(
    LatestTickBuffer buffer,
    IMarketTickStore repository,
    TimeProvider clock,
    ILogger<MarketTickWriter> logger) : BackgroundService
{
    /// <summary>Minimum time between two writes of the latest tick.</summary>
    public static readonly TimeSpan MinWriteInterval = TimeSpan.FromMilliseconds(250);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var tick = await buffer.ReadAsync(stoppingToken);
                await repository.UpsertLatestAsync(tick, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (StorageUnavailableException ex)
            {
                LogWriteFailed(logger, ex.Message);
            }

            await Task.Delay(MinWriteInterval, clock, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not store the latest tick: {Reason}")]
    private static partial void LogWriteFailed(ILogger logger, string reason);
}
