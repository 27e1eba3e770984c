using VeloZ.Worker.Status;

namespace VeloZ.Worker.Tests.Status;

/// <summary>The worker is ready while its heartbeat reaches storage, and not before the first one or after three silent intervals.</summary>
public sealed class WorkerProbesTests
{
    private static readonly DateTimeOffset s_now = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Ready_follows_the_last_heartbeat_written()
    {
        var state = new WorkerState(TimeProvider.System);

        Assert.Equal([WorkerProbes.StorageUnavailable], WorkerProbes.Reasons(state, s_now));
        state.HeartbeatWritten(s_now);
        Assert.Empty(WorkerProbes.Reasons(state, s_now + WorkerProbes.HeartbeatSilence));
        Assert.Equal([WorkerProbes.StorageUnavailable], WorkerProbes.Reasons(state, s_now + WorkerProbes.HeartbeatSilence + TimeSpan.FromMilliseconds(1)));
    }
}
