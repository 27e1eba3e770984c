using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using VeloZ.Storage;

namespace VeloZ.Functions.Hosting;

/// <summary>
/// Creates the tables in the background at start. It does not hold up start-up: while storage is
/// unreachable the API still answers, with 503 <c>storage_unavailable</c> where it needs state.
/// </summary>
internal sealed partial class ApiStorageInitializer(TableStore store, TimeProvider clock, ILogger<ApiStorageInitializer> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await store.EnsureCreatedWithRetryAsync(clock, (_, reason) => LogWaiting(logger, reason), stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Table storage not ready yet: {Reason}")]
    private static partial void LogWaiting(ILogger logger, string reason);
}
