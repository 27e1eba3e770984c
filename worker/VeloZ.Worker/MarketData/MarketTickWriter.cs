using VeloZ.Storage;

namespace VeloZ.Worker.MarketData;

/// <summary>
/// Stores the latest tick of each symbol in Table storage, each symbol at most once per
/// <see cref="MinWriteInterval"/>: ticks that arrive in between are conflated per symbol by the
/// <see cref="LatestTickBuffer"/>, so a fast feed costs a bounded number of writes (one per symbol and interval)
/// and every symbol's price is stored, however busy another one is. A failed write is logged and the next tick is tried.
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
                foreach (var tick in await buffer.ReadAllAsync(stoppingToken))
                {
                    try
                    {
                        await repository.UpsertLatestAsync(tick, stoppingToken);
                    }
                    catch (StorageUnavailableException ex)
                    {
                        LogWriteFailed(logger, tick.Symbol, ex.Message);
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }

            await Task.Delay(MinWriteInterval, clock, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not store the latest tick of {Symbol}: {Reason}")]
    private static partial void LogWriteFailed(ILogger logger, string symbol, string reason);
}
