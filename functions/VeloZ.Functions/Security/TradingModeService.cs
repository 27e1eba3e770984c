using VeloZ.Domain.Security;
using VeloZ.Functions.Runtime;
using VeloZ.Storage;

namespace VeloZ.Functions.Security;

/// <summary>
/// The trading brake (<c>normal</c> / <c>cancel_only</c>), kept in Table storage so it survives restarts and
/// holds for every API instance. The order path uses a reading at most <see cref="RecentEnough"/> old (as it
/// does the worker's status), refreshed ahead in the background (<see cref="RecentValue{T}"/>): a switch is
/// effective at once on the instance that made it, and within that time on every other instance. Reads that fail propagate as <see cref="StorageUnavailableException"/>
/// (503), so an order is never placed without knowing the brake is off.
/// </summary>
public sealed class TradingModeService(TradingControlRepository repository, TimeProvider clock, AuditLog audit)
{
    /// <summary>How long the order path may reuse a read.</summary>
    public static readonly TimeSpan RecentEnough = TimeSpan.FromSeconds(1);

    /// <summary>When a reading is refreshed in the background while still in use.</summary>
    public static readonly TimeSpan RefreshAfter = TimeSpan.FromMilliseconds(500);

    private readonly RecentValue<TradingControl> _recent = new(RefreshAfter, RecentEnough, clock);

    /// <summary>The mode, at most <see cref="RecentEnough"/> old.</summary>
    public Task<TradingControl> ReadRecentAsync(CancellationToken cancellationToken) => _recent.GetAsync(repository.ReadAsync, cancellationToken);

    /// <summary>The mode this instance last read or switched to, without reading storage; null before the first.</summary>
    public TradingControl? Latest => _recent.Latest;

    /// <summary>The mode as stored now.</summary>
    public async Task<TradingControl> ReadAsync(CancellationToken cancellationToken)
    {
        var control = await repository.ReadAsync(cancellationToken);
        _recent.Set(control);
        return control;
    }

    /// <summary>Switches the mode (an audit line records who, from where, and the change).</summary>
    public async Task<TradingControl> SetAsync(TradingMode mode, ApiCaller caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var before = await repository.ReadAsync(cancellationToken);
        var control = new TradingControl(mode, clock.GetUtcNow(), caller.KeyId);
        await repository.WriteAsync(control, cancellationToken);
        _recent.Set(control);
        audit.TradingModeChanged(caller, before.Mode.ToWire(), mode.ToWire());
        return control;
    }
}
