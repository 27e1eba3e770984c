namespace VeloZ.Worker.Status;

/// <summary>
/// The worker's probes, served next to its hub (<c>VELOZ_HUB_URL</c>): <c>GET /health/live</c> answers 200 while the
/// process answers; <c>GET /health/ready</c> answers 200 while the worker's heartbeat reaches storage (a leader and a
/// standby alike: a standby waiting for the lease is doing its job), else 503 with the reason
/// <c>storage_unavailable</c> (no heartbeat written for three intervals, or none yet).
/// </summary>
internal static class WorkerProbes
{
    public const string StorageUnavailable = "storage_unavailable";

    /// <summary>How long without a written heartbeat the worker is not ready.</summary>
    public static readonly TimeSpan HeartbeatSilence = 3 * HeartbeatService.Interval;

    /// <summary>Why the worker is not ready; empty when it is.</summary>
    public static IReadOnlyList<string> Reasons(WorkerState state, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state.HeartbeatWrittenAt is { } at && now - at <= HeartbeatSilence ? [] : [StorageUnavailable];
    }
}
