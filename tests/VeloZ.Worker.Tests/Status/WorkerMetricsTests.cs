using VeloZ.Storage;
using VeloZ.Worker.Status;

namespace VeloZ.Worker.Tests.Status;

/// <summary>The worker's meter: gauges that follow the worker's state, counters that count what they say.</summary>
public sealed class WorkerMetricsTests
{
    [Fact]
    public void The_gauges_follow_the_user_stream_and_the_lease()
    {
        var state = new WorkerState(TimeProvider.System);
        using var recorder = new WorkerMetricsRecorder(state.Metrics.Meter);

        Assert.Equal(0, recorder.Observe("veloz.worker.user_stream.connected"));
        Assert.Equal(0, recorder.Observe("veloz.worker.leader"));
        state.UserStreamChanged(true);
        state.Role = WorkerRoles.Leader;
        Assert.Equal(1, recorder.Observe("veloz.worker.user_stream.connected"));
        Assert.Equal(1, recorder.Observe("veloz.worker.leader"));
        state.UserStreamChanged(false);
        Assert.Equal(0, recorder.Observe("veloz.worker.user_stream.connected"));
    }

    [Fact]
    public void A_reconciliation_pass_counts_once_and_its_corrections_as_many_as_it_made()
    {
        var state = new WorkerState(TimeProvider.System);
        using var recorder = new WorkerMetricsRecorder(state.Metrics.Meter);

        state.Metrics.ReconciliationPass(0);
        state.Metrics.ReconciliationPass(3);
        state.Metrics.PublishFailed(2);

        Assert.Equal(2, recorder.Sum("veloz.worker.reconciliation.passes"));
        Assert.Equal(3, recorder.Sum("veloz.worker.reconciliation.corrections"));
        Assert.Equal(2, recorder.Sum("veloz.worker.events.publish_failed"));
    }

    [Fact]
    public void Lease_transitions_are_counted_by_change_and_the_hubs_connections_are_observed()
    {
        var state = new WorkerState(TimeProvider.System);
        using var recorder = new WorkerMetricsRecorder(state.Metrics.Meter);
        var open = 3;
        state.Metrics.ObserveHubConnections(() => open);

        state.Metrics.LeaseChanged("acquired");
        state.Metrics.LeaseChanged("renew_failed");
        state.Metrics.LeaseChanged("renew_failed");
        state.Metrics.LeaseChanged("lost");

        Assert.Equal(1, recorder.Sum("veloz.worker.lease.changes", ("change", "acquired")));
        Assert.Equal(2, recorder.Sum("veloz.worker.lease.changes", ("change", "renew_failed")));
        Assert.Equal(1, recorder.Sum("veloz.worker.lease.changes", ("change", "lost")));
        Assert.Equal(0, recorder.Sum("veloz.worker.lease.changes", ("change", "released")));
        Assert.Equal(3, recorder.Observe("veloz.worker.hub.connections"));
        open = 1;
        Assert.Equal(1, recorder.Observe("veloz.worker.hub.connections"));
    }
}
