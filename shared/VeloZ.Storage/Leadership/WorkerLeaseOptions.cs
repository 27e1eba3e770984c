using VeloZ.Domain.Configuration;

namespace VeloZ.Storage.Leadership;

/// <summary>
/// Timing of the worker's leader lease. Only <see cref="Duration"/> is a setting
/// (<c>VELOZ_WORKER_LEASE_SECONDS</c>); the rest follow from it and are overridable for tests.
/// </summary>
/// <remarks>
/// With the default 15 s: the leader renews every 5 s, retries a failed renewal every second, and stops all
/// leader work 12 s after the start of its last successful request if no renewal succeeded by then, 3 s
/// before the service can hand the lease to anyone else. A standby asks for the lease every 2 s, so it takes
/// over at most about 2 s after the lease ends.
/// </remarks>
public sealed record WorkerLeaseOptions
{
    /// <summary>The shortest fixed lease Blob storage grants.</summary>
    public static readonly TimeSpan MinDuration = TimeSpan.FromSeconds(15);

    /// <summary>The longest fixed lease Blob storage grants.</summary>
    public static readonly TimeSpan MaxDuration = TimeSpan.FromSeconds(60);

    private readonly TimeSpan _duration = MinDuration;
    private readonly TimeSpan? _renewInterval;
    private readonly TimeSpan? _safetyMargin;

    /// <summary>How long one acquire or renewal holds the lease (15-60 s, Blob storage's limits).</summary>
    public TimeSpan Duration
    {
        get => _duration;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, MinDuration);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, MaxDuration);
            _duration = value;
        }
    }

    /// <summary>How often the leader renews: a third of <see cref="Duration"/>, so two renewals can fail before it matters.</summary>
    public TimeSpan RenewInterval
    {
        get => _renewInterval ?? Duration / 3;
        init => _renewInterval = value;
    }

    /// <summary>How soon a failed (transient) renewal is tried again.</summary>
    public TimeSpan RenewRetryInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How often a standby asks for the lease.</summary>
    public TimeSpan AcquireInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long before the lease can end the leader gives up its work: a fifth of <see cref="Duration"/>. It
    /// covers the time the work takes to stop and any difference in how fast the two clocks run.
    /// </summary>
    public TimeSpan SafetyMargin
    {
        get => _safetyMargin ?? Duration / 5;
        init => _safetyMargin = value;
    }

    /// <summary>Longest wait for one lease request; a slower answer counts as a failed request.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>The lease timing of <c>VELOZ_WORKER_LEASE_SECONDS</c>.</summary>
    public static WorkerLeaseOptions From(StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new WorkerLeaseOptions { Duration = TimeSpan.FromSeconds(options.WorkerLeaseSeconds) };
    }
}
