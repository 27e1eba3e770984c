using VeloZ.Domain.Time;
using VeloZ.Storage;
using VeloZ.Worker.Events;
using VeloZ.Worker.Venue;

namespace VeloZ.Worker.Orders;

/// <summary>
/// Keeps the account snapshot for <c>/api/account</c>: the venue's balances (<c>GET /api/v3/account</c>,
/// weight 20) at start and every <see cref="Interval"/>; the user data stream's position updates refresh
/// changed assets in between.
/// </summary>
internal sealed partial class AccountSync(VenueSupervisor venue, AccountRepository account, EventInbox events, TimeProvider clock, ILogger<AccountSync> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var next = TimeSpan.FromSeconds(1);
            if (venue.Client is { } client)
            {
                var result = await client.GetAccountAsync(stoppingToken);
                if (result.IsSuccess)
                {
                    try
                    {
                        var ts = UnixTime.FromUnixMillis(result.Value!.UpdateTime > 0 ? result.Value.UpdateTime : clock.GetUtcNow().ToUnixTimeMilliseconds());
                        AssetBalance[] balances = [.. result.Value.Balances.Select(b => new AssetBalance(b.Asset, b.Free, b.Locked))];
                        await account.ReplaceAsync(ts, balances, stoppingToken);
                        events.Account(ts, balances, full: true);
                        next = Interval;
                    }
                    catch (StorageUnavailableException ex)
                    {
                        LogFailed(logger, ex.Message);
                    }
                }
                else
                {
                    LogFailed(logger, result.ToString());
                    next = result.RetryAfter ?? TimeSpan.FromSeconds(5);
                }
            }

            await Task.Delay(next, clock, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Account snapshot failed: {Reason}")]
    private static partial void LogFailed(ILogger logger, string reason);
}
