using VeloZ.Domain.Configuration;
using VeloZ.Domain.Market;
using VeloZ.Functions.Runtime;
using VeloZ.Functions.Security;
using VeloZ.Storage;

namespace VeloZ.Functions.Endpoints;

/// <summary>
/// What <c>/health</c> reports from storage (the worker's and a standby's status rows, the latest tick, the
/// trading mode), read at most once per <see cref="RecentEnough"/> for all callers together: the endpoint is
/// open to anyone, so its cost in storage requests must not grow with the number of calls. An outage is
/// remembered for the same time as a reading, so a flood of calls during one does not retry storage either.
/// </summary>
public sealed class HealthReadings(WorkerStatusView worker, MarketTickRepository market, TradingModeService tradingMode, MarketOptions options, TimeProvider clock)
{
    /// <summary>The oldest reading <c>/health</c> answers from.</summary>
    public static readonly TimeSpan RecentEnough = TimeSpan.FromSeconds(1);

    /// <summary>When a reading is refreshed in the background while still in use.</summary>
    public static readonly TimeSpan RefreshAfter = TimeSpan.FromMilliseconds(500);

    private readonly RecentValue<Readings> _recent = new(RefreshAfter, RecentEnough, clock);

    /// <summary>The readings, at most <see cref="RecentEnough"/> old; <see cref="Readings.StorageReachable"/> false during an outage.</summary>
    public Task<Readings> ReadAsync(CancellationToken cancellationToken) => _recent.GetAsync(ReadNowAsync, cancellationToken);

    private async Task<Readings> ReadNowAsync(CancellationToken cancellationToken)
    {
        try
        {
            // Four independent reads, sent together.
            var workerRead = worker.ReadAsync(cancellationToken);
            var standbyRead = worker.ReadStandbyAsync(cancellationToken);
            var tickRead = market.GetLatestAsync(options.MarketSymbol, cancellationToken);
            var modeRead = tradingMode.ReadAsync(cancellationToken);
            await Task.WhenAll(workerRead, standbyRead, tickRead, modeRead);
            return new Readings(true, await workerRead, await standbyRead, await tickRead, await modeRead);
        }
        catch (StorageUnavailableException)
        {
            return new Readings(false, null, null, null, null);
        }
    }

    /// <summary>One reading of everything; the parts are null when storage was unreachable.</summary>
    public sealed record Readings(bool StorageReachable, WorkerStatusView.Snapshot? Worker, WorkerStatusView.Snapshot? Standby, MarketTick? Tick, TradingControl? Mode);
}
