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
        var attempts = await store.EnsureCreatedWithRetryAsync(clock, (attempt, reason) => LogWaiting(logger, attempt, reason), cancellationToken);
        LogReady(logger, attempts);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Table storage ready after {Attempt} attempt(s)")]
    private static partial void LogReady(ILogger logger, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Waiting for table storage (attempt {Attempt}): {Reason}")]
    private static partial void LogWaiting(ILogger logger, int attempt, string reason);
}
