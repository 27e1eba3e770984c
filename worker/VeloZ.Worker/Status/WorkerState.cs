using System.Diagnostics.Metrics;
using VeloZ.Domain.Configuration;
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
    private DateTimeOffset? _tradingHaltedUntil;
    private string? _venueRestUrl;
    private string? _hubUrl;
    private Secret? _hubTokenKey;
    private long? _lastEventId;
    private string _role = WorkerRoles.Standby;
    private DateTimeOffset? _heartbeatWrittenAt;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public WorkerState(TimeProvider clock, IMeterFactory? meters = null)
    {
        ArgumentNullException.ThrowIfNull(clock);
        StartedAt = clock.GetUtcNow();
        Metrics = new WorkerMetrics(meters?.Create(WorkerMetrics.MeterName) ?? new Meter(WorkerMetrics.MeterName), this);
    }

    /// <summary>When the heartbeat last reached storage; null before the first write succeeded.</summary>
    public DateTimeOffset? HeartbeatWrittenAt
    {
        get
        {
            lock (_gate)
            {
                return _heartbeatWrittenAt;
            }
        }
    }

    public void HeartbeatWritten(DateTimeOffset at)
    {
        lock (_gate)
        {
            _heartbeatWrittenAt = at;
        }
    }

    /// <summary>The worker's meter (<see cref="WorkerMetrics"/>); its gauges read this state.</summary>
    public WorkerMetrics Metrics { get; }

    /// <summary>Whether the user data stream is subscribed.</summary>
    public bool UserStreamConnected
    {
        get
        {
            lock (_gate)
            {
                return _userStreamConnected;
            }
        }
    }

    /// <summary>Identifies this process in the status row.</summary>
    public string InstanceId { get; } = $"{Environment.MachineName}-{Environment.ProcessId}";

    public DateTimeOffset StartedAt { get; }

    /// <summary>Completes when a state word (feed state, user stream, role) next changes; ticks alone do not count.</summary>
    public Task WaitForChangeAsync()
    {
        lock (_gate)
        {
            return _changed.Task;
        }
    }

    public void MarketFeedStarting() => SetFeedState(MarketFeedStates.Starting, null);

    public void MarketTickReceived(MarketTick tick)
    {
        ArgumentNullException.ThrowIfNull(tick);
        lock (_gate)
        {
            _lastTickTsNs = tick.ReceivedTsNs;
        }

        SetFeedState(MarketFeedStates.Running, null);
    }

    public void MarketFeedFailed(string error) => SetFeedState(MarketFeedStates.Error, error);

    public void MarketFeedStopped() => SetFeedState(MarketFeedStates.Stopped, null);

    public void UserStreamChanged(bool connected)
    {
        lock (_gate)
        {
            if (_userStreamConnected == connected)
            {
                return;
            }

            _userStreamConnected = connected;
            SignalChangeLocked();
        }
    }

    /// <summary>The venue banned this IP until <paramref name="until"/> (null: no ban).</summary>
    public void TradingHalted(DateTimeOffset? until)
    {
        lock (_gate)
        {
            if (_tradingHaltedUntil == until)
            {
                return;
            }

            _tradingHaltedUntil = until;
            SignalChangeLocked();
        }
    }

    /// <summary>The REST base of the venue the worker trades on.</summary>
    public void VenueRestUrl(string? url)
    {
        lock (_gate)
        {
            if (_venueRestUrl == url)
            {
                return;
            }

            _venueRestUrl = url;
            SignalChangeLocked();
        }
    }

    /// <summary>The base URL of the worker's own SignalR hub, once it listens, and the key its tokens are checked with.</summary>
    public void HubUrl(string? url, Secret? tokenKey)
    {
        lock (_gate)
        {
            if (_hubUrl == url && Equals(_hubTokenKey, tokenKey))
            {
                return;
            }

            _hubUrl = url;
            _hubTokenKey = tokenKey;
            SignalChangeLocked();
        }
    }

    /// <summary>Whether this worker holds the leader lease (<see cref="WorkerRoles"/>); decides which status row the heartbeat writes.</summary>
    public string Role
    {
        get
        {
            lock (_gate)
            {
                return _role;
            }
        }

        set
        {
            lock (_gate)
            {
                if (_role == value)
                {
                    return;
                }

                _role = value;
                SignalChangeLocked();
            }
        }
    }

    /// <summary>The id of the last published event (reported with the next heartbeat).</summary>
    public void EventPublished(long id)
    {
        lock (_gate)
        {
            _lastEventId = id;
        }
    }

    private void SetFeedState(string state, string? error)
    {
        lock (_gate)
        {
            if (_feedState == state && _feedError == error)
            {
                return;
            }

            _feedState = state;
            _feedError = error;
            SignalChangeLocked();
        }
    }

    private void SignalChangeLocked()
    {
        var changed = _changed;
        _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        changed.TrySetResult();
    }

    /// <summary>A consistent copy for the status row.</summary>
    public WorkerStatus Snapshot(DateTimeOffset now)
    {
        lock (_gate)
        {
            return new WorkerStatus(InstanceId, StartedAt, now, _feedState, _feedError, _lastTickTsNs, _userStreamConnected, _tradingHaltedUntil, _venueRestUrl, _hubUrl, _lastEventId, _role, _hubTokenKey);
        }
    }
}
