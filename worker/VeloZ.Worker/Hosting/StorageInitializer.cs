using VeloZ.Storage;

namespace VeloZ.Worker.Hosting;

/// <summary>
/// Creates the tables before any other service starts. Storage may come up after the worker
/// (Azurite starting beside it), so this waits with backoff instead of failing the process.
/// </summary>
internal sealed partial class StorageInitializer(TableStore store, TimeProvider clock, ILogger<StorageInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var delay = TimeSpan.FromMilliseconds(250);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await store.EnsureCreatedAsync(cancellationToken);
                LogReady(logger, attempt);
                return;
            }
            catch (StorageUnavailableException ex)
            {
                LogWaiting(logger, attempt, ex.Message);
                await Task.Delay(delay, clock, cancellationToken);
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 5000));
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Table storage ready after {Attempt} attempt(s)")]
    private static partial void LogReady(ILogger logger, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Waiting for table storage (attempt {Attempt}): {Reason}")]
    private static partial void LogWaiting(ILogger logger, int attempt, string reason);
}
