using VeloZ.Domain.Market;
using VeloZ.Storage;

namespace VeloZ.Worker.Status;

/// <summary>
/// In-memory view of what the worker is doing, written by its services and snapshotted by the
/// <see cref="HeartbeatService"/> into the status row. Thread-safe: every member locks.
/// </summary>
internal sealed class WorkerState
{
    private readonly Lock _gate = new();
    private string _feedState = MarketFeedStates.Starting;
    private string? _feedError;
    private long? _lastTickTsNs;
    private bool _userStreamConnected;

    public WorkerState(TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        StartedAt = clock.GetUtcNow();
    }

    /// <summary>Identifies this process in the status row.</summary>
    public string InstanceId { get; } = $"{Environment.MachineName}-{Environment.ProcessId}";

    public DateTimeOffset StartedAt { get; }

    public void MarketFeedStarting()
    {
        lock (_gate)
        {
            _feedState = MarketFeedStates.Starting;
        }
    }

    public void MarketTickReceived(MarketTick tick)
    {
        ArgumentNullException.ThrowIfNull(tick);
        lock (_gate)
        {
            _feedState = MarketFeedStates.Running;
            _feedError = null;
            _lastTickTsNs = tick.ReceivedTsNs;
        }
    }

    public void MarketFeedFailed(string error)
    {
        lock (_gate)
        {
            _feedState = MarketFeedStates.Error;
            _feedError = error;
        }
    }

    public void MarketFeedStopped()
    {
        lock (_gate)
        {
            _feedState = MarketFeedStates.Stopped;
        }
    }

    public void UserStreamChanged(bool connected)
    {
        lock (_gate)
        {
            _userStreamConnected = connected;
        }
    }

    /// <summary>A consistent copy for the status row.</summary>
    public WorkerStatus Snapshot(DateTimeOffset now)
    {
        lock (_gate)
        {
            return new WorkerStatus(InstanceId, StartedAt, now, _feedState, _feedError, _lastTickTsNs, _userStreamConnected);
        }
    }
}
