using VeloZ.Storage;

namespace VeloZ.Functions.Runtime;

/// <summary>
/// The API's reading of the worker status rows (the leader's, and a standby's): a worker whose heartbeat is older than
/// <see cref="StaleAfter"/> is treated as down, and then nothing it last reported (such as a connected
/// user stream) is believed.
/// </summary>
public sealed class WorkerStatusView(WorkerStatusRepository repository, TimeProvider clock)
{
    /// <summary>Five missed heartbeats (the worker writes one every 2 s).</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromSeconds(10);

    /// <summary>How long <see cref="ReadRecentAsync"/> may reuse a read.</summary>
    public static readonly TimeSpan RecentEnough = TimeSpan.FromSeconds(1);

    /// <summary>When a reading is refreshed in the background while still in use.</summary>
    public static readonly TimeSpan RefreshAfter = TimeSpan.FromMilliseconds(500);

    private readonly RecentValue<Snapshot> _recent = new(RefreshAfter, RecentEnough, clock);

    /// <summary>
    /// A snapshot at most <see cref="RecentEnough"/> old, refreshed ahead in the background, for the order
    /// path: it spares a storage read per order, and the worker itself writes the row only every 2 s.
    /// </summary>
    public Task<Snapshot> ReadRecentAsync(CancellationToken cancellationToken) => _recent.GetAsync(ReadAsync, cancellationToken);

    public async Task<Snapshot> ReadAsync(CancellationToken cancellationToken) => Judge(await repository.ReadAsync(cancellationToken));

    /// <summary>Whether a standby worker is waiting to take over: its own row, judged by the same <see cref="StaleAfter"/>.</summary>
    public async Task<Snapshot> ReadStandbyAsync(CancellationToken cancellationToken) => Judge(await repository.ReadStandbyAsync(cancellationToken));

    private Snapshot Judge(WorkerStatus? status)
    {
        if (status is null)
        {
            return new Snapshot(null, false, null);
        }

        var age = clock.GetUtcNow() - status.HeartbeatAt;
        return new Snapshot(status, age <= StaleAfter && status.MarketFeedState != MarketFeedStates.Stopped, age);
    }

    /// <summary>The row (null when no worker ever ran), whether the worker is alive, and the heartbeat's age.</summary>
    public sealed record Snapshot(WorkerStatus? Status, bool Alive, TimeSpan? HeartbeatAge)
    {
        public bool UserStreamConnected => Alive && Status is { UserStreamConnected: true };

        /// <summary>
        /// The venue's ban as the worker last reported it. Believed even from a stale worker: a ban is
        /// safer to respect than to forget.
        /// </summary>
        public DateTimeOffset? TradingHaltedUntil => Status?.TradingHaltedUntil;
    }
}
