using VeloZ.Storage.Leadership;

namespace VeloZ.Worker.Leadership;

/// <summary>
/// This worker's leadership as its services see it. <see cref="LeadershipService"/> alone sets it; any service
/// may <see cref="Abdicate"/> when it finds that another worker is doing the leader's work.
/// </summary>
internal sealed class WorkerLeadership(WorkerLease lease)
{
    private readonly TaskCompletionSource<string> _abdication = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _leading;

    /// <summary>
    /// True while this worker leads and its lease is held with time to spare: work that assumes it is the only
    /// active worker (such as handing back unused event ids at stop) checks this first.
    /// </summary>
    public bool IsLeader => _leading && lease.IsHeld;

    /// <summary>Completes with the reason once a service asked to give leadership up.</summary>
    public Task<string> Abdication => _abdication.Task;

    /// <summary>
    /// Gives leadership up at once because <paramref name="reason"/> shows that another worker is active
    /// (for example, it reserved event ids under this one). Handled like a lost lease.
    /// </summary>
    public void Abdicate(string reason) => _abdication.TrySetResult(reason);

    internal void Set(bool leading) => _leading = leading;
}
