using System.Diagnostics.Metrics;
using VeloZ.Storage;

namespace VeloZ.Worker.Status;

/// <summary>
/// The worker's one <see cref="Meter"/>, <c>VeloZ.Worker</c> (names and units in docs/operations.md):
/// <list type="bullet">
/// <item><c>veloz.worker.events.sequenced</c>: events numbered by the sequencer, tagged <c>type</c>.</item>
/// <item><c>veloz.worker.events.published</c>: events handed to the push hub; <c>veloz.worker.events.publish_failed</c>:
/// events whose publish failed (they stay in the event log, and subscribers resume from it).</item>
/// <item><c>veloz.worker.reconciliation.passes</c> and <c>veloz.worker.reconciliation.corrections</c> (orders a pass
/// changed, i.e. what the user data stream had not told).</item>
/// <item><c>veloz.worker.lease.changes</c>: the leader lease's transitions, tagged <c>change</c> (<c>acquired</c>,
/// <c>renew_failed</c>, <c>lost</c>, <c>released</c>).</item>
/// <item>Gauges read when collected: <c>veloz.worker.user_stream.connected</c> and <c>veloz.worker.leader</c> (1 or 0,
/// the lease's state), and <c>veloz.worker.hub.connections</c> (SignalR connections on the worker's own hub, when it
/// serves one).</item>
/// </list>
/// </summary>
internal sealed class WorkerMetrics
{
    /// <summary>The meter's name, for listeners and <c>dotnet-counters --counters</c>.</summary>
    public const string MeterName = "VeloZ.Worker";

    private readonly Counter<long> _sequenced;
    private readonly Counter<long> _published;
    private readonly Counter<long> _publishFailed;
    private readonly Counter<long> _passes;
    private readonly Counter<long> _corrections;
    private readonly Counter<long> _leaseChanges;

    public WorkerMetrics(Meter meter, WorkerState state)
    {
        Meter = meter;
        _sequenced = meter.CreateCounter<long>("veloz.worker.events.sequenced", "{event}", "Events numbered by the sequencer, by type.");
        _published = meter.CreateCounter<long>("veloz.worker.events.published", "{event}", "Events handed to the push hub.");
        _publishFailed = meter.CreateCounter<long>("veloz.worker.events.publish_failed", "{event}", "Events whose publish failed; they stay in the event log.");
        _passes = meter.CreateCounter<long>("veloz.worker.reconciliation.passes", "{pass}", "Reconciliation passes over the open orders and trades.");
        _corrections = meter.CreateCounter<long>("veloz.worker.reconciliation.corrections", "{order}", "Orders a reconciliation pass changed.");
        _leaseChanges = meter.CreateCounter<long>("veloz.worker.lease.changes", "{change}", "Leader lease transitions, by change.");
        meter.CreateObservableGauge("veloz.worker.user_stream.connected", () => state.UserStreamConnected ? 1 : 0, "{connected}", "1 while the user data stream is subscribed.");
        meter.CreateObservableGauge("veloz.worker.leader", () => state.Role == WorkerRoles.Leader ? 1 : 0, "{leader}", "1 while this worker holds the lease and leads.");
    }

    public Meter Meter { get; }

    /// <summary>Counts one lease transition: <c>acquired</c>, <c>renew_failed</c>, <c>lost</c> or <c>released</c>.</summary>
    public void LeaseChanged(string change) => _leaseChanges.Add(1, new KeyValuePair<string, object?>("change", change));

    /// <summary>Reports the worker hub's open SignalR connections (only a worker that serves the hub itself has any).</summary>
    public void ObserveHubConnections(Func<int> count) =>
        Meter.CreateObservableGauge("veloz.worker.hub.connections", count, "{connection}", "SignalR connections on the worker's own hub.");

    public void Sequenced(string eventType, int count) => _sequenced.Add(count, new KeyValuePair<string, object?>("type", eventType));

    public void Published(int count) => _published.Add(count);

    public void PublishFailed(int count) => _publishFailed.Add(count);

    public void ReconciliationPass(int corrections)
    {
        _passes.Add(1);
        if (corrections > 0)
        {
            _corrections.Add(corrections);
        }
    }
}
