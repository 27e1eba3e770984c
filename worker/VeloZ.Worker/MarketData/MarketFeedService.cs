using VeloZ.Worker.Events;
using VeloZ.Worker.Status;

namespace VeloZ.Worker.MarketData;

/// <summary>
/// Runs the configured <see cref="IMarketFeed"/>, hands each tick to the <see cref="LatestTickBuffer"/>,
/// and keeps the feed state in <see cref="WorkerState"/>. A failing feed is restarted with exponential
/// backoff and jitter; the worker itself never stops because of it.
/// </summary>
internal sealed partial class MarketFeedService(
    Func<IMarketFeed> feedFactory,
    LatestTickBuffer buffer,
    EventInbox events,
    WorkerState state,
    TimeProvider clock,
    ILogger<MarketFeedService> logger) : BackgroundService
{
    private static readonly TimeSpan s_maxBackoff = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Created here, after every hosted service has started (the simulated venue among them).
        var feed = feedFactory();
        var backoff = TimeSpan.FromMilliseconds(500);
        while (!stoppingToken.IsCancellationRequested)
        {
            state.MarketFeedStarting();
            try
            {
                await foreach (var tick in feed.ReadTicksAsync(stoppingToken))
                {
                    state.MarketTickReceived(tick);
                    buffer.Publish(tick);
                    events.Market(tick);
                    backoff = TimeSpan.FromMilliseconds(500);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                state.MarketFeedFailed("market_source_error");
                events.Error("market_source_error", $"{feed.Name} failed ({ex.GetType().Name}); restarting");
                if (ex is MarketSourceException { RetryAfter: { } retryAfter } && retryAfter > backoff)
                {
                    backoff = retryAfter;
                }

                LogFeedFailed(logger, feed.Name, ex.GetType().Name, backoff.TotalMilliseconds);
            }

            var jitter = TimeSpan.FromMilliseconds(Random.Shared.Next(0, (int)(backoff.TotalMilliseconds / 4) + 1));
            await Task.Delay(backoff + jitter, clock, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            backoff = TimeSpan.FromMilliseconds(Math.Min(backoff.TotalMilliseconds * 2, s_maxBackoff.TotalMilliseconds));
        }

        state.MarketFeedStopped();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Market feed {Feed} failed ({ErrorType}); restarting in {BackoffMs} ms")]
    private static partial void LogFeedFailed(ILogger logger, string feed, string errorType, double backoffMs);
}
