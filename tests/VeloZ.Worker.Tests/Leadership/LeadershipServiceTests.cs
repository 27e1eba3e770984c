using System.Collections.Concurrent;
using System.Diagnostics;
using Azure.Core.Pipeline;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Specialized;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using VeloZ.Domain.Configuration;
using VeloZ.Storage;
using VeloZ.Storage.Leadership;
using VeloZ.Testing;
using VeloZ.Worker.Leadership;
using VeloZ.Worker.Status;

namespace VeloZ.Worker.Tests.Leadership;

/// <summary>
/// The leadership loop on Azurite's real blob leases, with recording stand-ins for the leader-only services.
/// Renewals and standby attempts are fast here so the cases take a few seconds; the lease itself keeps Blob
/// storage's minimum of 15 s.
/// </summary>
public sealed class LeadershipServiceTests(AzuriteFixture azurite) : IAsyncDisposable
{
    private static readonly TimeSpan s_patience = TimeSpan.FromSeconds(10);
    private readonly string _prefix = AzuriteFixture.NewStoragePrefix();
    private readonly List<Contender> _contenders = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static WorkerLeaseOptions FastOptions => new()
    {
        RenewInterval = TimeSpan.FromMilliseconds(300),
        RenewRetryInterval = TimeSpan.FromMilliseconds(100),
        AcquireInterval = TimeSpan.FromMilliseconds(200),
    };

    [Fact]
    public async Task One_contender_leads_and_starts_its_services_in_order_while_the_other_waits_as_a_standby()
    {
        var a = Start("a");
        await Eventually(() => a.State.Role == WorkerRoles.Leader);
        var b = Start("b");
        await Eventually(() => a.Started.Count == 2);
        await Task.Delay(1000, Ct);

        Assert.Equal(["a-venue", "a-sequencer"], a.Started);
        Assert.True(a.Leadership.IsLeader);
        Assert.Equal(WorkerRoles.Standby, b.State.Role);
        Assert.Empty(b.Started);
        Assert.False(b.Leadership.IsLeader);
        Assert.Contains(a.Logs, l => l.StartsWith("[AUDIT] worker_lease_acquired", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_graceful_stop_stops_the_services_in_reverse_order_as_the_leader_then_hands_the_lease_over_at_once()
    {
        var a = Start("a");
        await Eventually(() => a.Started.Count == 2);
        var b = Start("b");
        await Task.Delay(500, Ct);
        Assert.Empty(b.Started);

        await a.Service.StopAsync(Ct);
        var handedOver = Stopwatch.StartNew();
        await Eventually(() => b.Started.Count == 2);

        Assert.True(handedOver.Elapsed < TimeSpan.FromSeconds(5), $"the standby took {handedOver.Elapsed} (the lease lasts 15 s)");
        Assert.Equal(["a-sequencer", "a-venue"], a.Stopped);
        // Both stopped while this worker still led: the sequencer can hand back its unused ids.
        Assert.All(a.LeaderWhenStopped, Assert.True);
        Assert.Equal(0, a.Service.ExitCode);
        Assert.Equal(0, a.Lifetime.StopRequests);
        Assert.Contains(a.Logs, l => l.StartsWith("[AUDIT] worker_lease_released", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_refused_renewal_stops_all_leader_work_at_once_and_asks_the_process_to_exit_with_code_3()
    {
        var a = Start("a");
        await Eventually(() => a.Started.Count == 2);

        // Another party breaks the lease: the next renewal is refused.
        await LeaseBlobClient().GetBlobLeaseClient().BreakAsync(TimeSpan.Zero, cancellationToken: Ct);
        await Eventually(() => a.Lifetime.StopRequests > 0);

        Assert.True(a.Service.LeaderWork.IsCancellationRequested);
        Assert.Equal(["a-sequencer", "a-venue"], a.Cancelled.Order());
        Assert.All(a.LeaderWhenStopped, Assert.False);
        Assert.False(a.Leadership.IsLeader);
        Assert.Equal(WorkerRoles.Standby, a.State.Role);
        Assert.Equal(LeadershipService.LeadershipLostExitCode, a.Service.ExitCode);
        Assert.Contains(a.Logs, l => l.StartsWith("[AUDIT] worker_lease_lost", StringComparison.Ordinal) && l.Contains("refused", StringComparison.Ordinal));
        await a.Service.StopAsync(Ct);
        Assert.Equal(2, a.Stopped.Count);
        Assert.DoesNotContain(a.Logs, l => l.Contains("worker_lease_released", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Renewals_that_keep_failing_end_leadership_before_the_lease_can_pass_to_anyone_else()
    {
        // 15 s lease, work deadline 2 s after the last successful request (a 13 s margin keeps this case short).
        var a = Start("a", FastOptions with { SafetyMargin = TimeSpan.FromSeconds(13) });
        await Eventually(() => a.Started.Count == 2);

        a.Storage.Fail = true;
        var outage = Stopwatch.StartNew();
        await Eventually(() => a.Lifetime.StopRequests > 0);

        Assert.True(outage.Elapsed < TimeSpan.FromSeconds(4), $"gave up after {outage.Elapsed}");
        Assert.True(a.Service.LeaderWork.IsCancellationRequested);
        Assert.Equal(LeadershipService.LeadershipLostExitCode, a.Service.ExitCode);
        Assert.Contains(a.Logs, l => l.StartsWith("[AUDIT] worker_lease_lost", StringComparison.Ordinal) && l.Contains("work deadline", StringComparison.Ordinal));
        // The service still holds the lease for this worker: nobody else can have started leading yet.
        Assert.False(await WorkerLease(FastOptions).TryAcquireAsync(Ct));
    }

    [Fact]
    public async Task Leadership_ends_at_the_work_deadline_even_when_the_wall_clock_is_set_back()
    {
        // 15 s lease, work deadline 2 s after the last successful request, as above.
        var clock = new SettableWallClock();
        var a = Start("a", FastOptions with { SafetyMargin = TimeSpan.FromSeconds(13) }, clock);
        await Eventually(() => a.Started.Count == 2);

        // A time sync sets the wall clock back an hour while storage becomes unreachable.
        clock.WallClockOffset = TimeSpan.FromHours(-1);
        a.Storage.Fail = true;
        var outage = Stopwatch.StartNew();
        await Eventually(() => a.Lifetime.StopRequests > 0);

        Assert.True(outage.Elapsed < TimeSpan.FromSeconds(4), $"gave up after {outage.Elapsed}");
        Assert.True(a.Service.LeaderWork.IsCancellationRequested);
        Assert.False(a.Leadership.IsLeader);
        Assert.Contains(a.Logs, l => l.StartsWith("[AUDIT] worker_lease_lost", StringComparison.Ordinal) && l.Contains("work deadline", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Leadership_that_ends_during_a_requested_stop_still_exits_with_0()
    {
        var a = Start("a");
        await Eventually(() => a.Started.Count == 2);
        a.HoldStops();

        // The services are still stopping (as the leader) when leadership ends.
        var stopping = a.Service.StopAsync(Ct);
        await Eventually(() => a.LeaderWhenStopped.Count == 1);
        a.Leadership.Abdicate("the event sequencer was fenced");
        await Eventually(() => a.Logs.Any(l => l.StartsWith("[AUDIT] worker_lease_lost", StringComparison.Ordinal)));
        a.ReleaseStops();
        await stopping.WaitAsync(s_patience, Ct);

        Assert.True(a.Service.LeaderWork.IsCancellationRequested);
        Assert.Equal(0, a.Service.ExitCode);
        Assert.Contains(a.Logs, l => l.StartsWith("[AUDIT] worker_lease_lost", StringComparison.Ordinal) && l.Contains("while stopping on request", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Abdicating_stops_the_work_and_releases_the_lease_for_a_standby()
    {
        var a = Start("a");
        await Eventually(() => a.Started.Count == 2);
        var b = Start("b");

        a.Leadership.Abdicate("the event sequencer was fenced");
        await Eventually(() => a.Lifetime.StopRequests > 0);
        Assert.True(a.Service.LeaderWork.IsCancellationRequested);
        Assert.Equal(LeadershipService.LeadershipLostExitCode, a.Service.ExitCode);
        Assert.Contains(a.Logs, l => l.StartsWith("[AUDIT] worker_lease_lost", StringComparison.Ordinal) && l.Contains("fenced", StringComparison.Ordinal));

        var released = Stopwatch.StartNew();
        await a.Service.StopAsync(Ct);
        await Eventually(() => b.Started.Count == 2);
        Assert.True(released.Elapsed < TimeSpan.FromSeconds(5), $"the standby took {released.Elapsed}");
    }

    [Fact]
    public async Task A_standby_stopped_before_it_led_starts_nothing_and_keeps_the_leader_in_place()
    {
        var a = Start("a");
        await Eventually(() => a.Started.Count == 2);
        var b = Start("b");
        await Task.Delay(500, Ct);

        await b.Service.StopAsync(Ct);
        await Task.Delay(500, Ct);

        Assert.Empty(b.Started);
        Assert.Equal(0, b.Service.ExitCode);
        Assert.True(a.Leadership.IsLeader);
        Assert.Empty(a.Cancelled);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var contender in _contenders)
        {
            await contender.Service.StopAsync(CancellationToken.None);
            contender.Service.Dispose();
        }
    }

    private Contender Start(string name, WorkerLeaseOptions? options = null, TimeProvider? clock = null)
    {
        var storage = new FlakyHandler();
        clock ??= TimeProvider.System;
        var lease = WorkerLease(options ?? FastOptions, storage, clock);
        var contender = new Contender(name, lease, storage, clock);
        _contenders.Add(contender);
        _ = contender.Service.StartAsync(Ct);
        return contender;
    }

    private WorkerLease WorkerLease(WorkerLeaseOptions options, FlakyHandler? storage = null, TimeProvider? clock = null)
    {
        var clientOptions = new BlobClientOptions { Transport = new HttpClientTransport(new HttpClient(storage ?? new FlakyHandler())) };
        clientOptions.Retry.MaxRetries = 0;
        clientOptions.Retry.NetworkTimeout = options.RequestTimeout;
        var blob = new BlobServiceClient(azurite.ConnectionString, clientOptions)
            .GetBlobContainerClient(_prefix + LeaseBlob.ContainerName)
            .GetBlobClient(LeaseBlob.BlobName);
        return new WorkerLease(blob, options, clock ?? TimeProvider.System);
    }

    private BlobClient LeaseBlobClient() =>
        new BlobServiceClient(azurite.ConnectionString).GetBlobContainerClient(_prefix + LeaseBlob.ContainerName).GetBlobClient(LeaseBlob.BlobName);

    private static async Task Eventually(Func<bool> condition)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(watch.Elapsed < s_patience, "condition not met in time");
            await Task.Delay(50, Ct);
        }
    }

    /// <summary>One worker's leadership with two recording leader-only services.</summary>
    private sealed class Contender
    {
        private readonly ConcurrentQueue<string> _started = new();
        private readonly ConcurrentQueue<string> _stopped = new();
        private readonly ConcurrentQueue<string> _cancelled = new();
        private readonly ConcurrentQueue<bool> _leaderWhenStopped = new();
        private TaskCompletionSource _stopGate = CompletedGate();

        public Contender(string name, WorkerLease lease, FlakyHandler storage, TimeProvider clock)
        {
            Storage = storage;
            Leadership = new WorkerLeadership(lease);
            State = new WorkerState(TimeProvider.System);
            Service = new LeadershipService(
                lease,
                Leadership,
                [new LeaderOnlyService(new RecordingService($"{name}-venue", this)), new LeaderOnlyService(new RecordingService($"{name}-sequencer", this))],
                State,
                Lifetime,
                clock,
                Logger);
        }

        public FlakyHandler Storage { get; }

        public WorkerLeadership Leadership { get; }

        public WorkerState State { get; }

        public LeadershipService Service { get; }

        public FakeLifetime Lifetime { get; } = new();

        public CapturingLogger Logger { get; } = new();

        public IReadOnlyList<string> Logs => [.. Logger.Lines];

        public IReadOnlyList<string> Started => [.. _started];

        public IReadOnlyList<string> Stopped => [.. _stopped];

        public IReadOnlyList<string> Cancelled => [.. _cancelled];

        public IReadOnlyList<bool> LeaderWhenStopped => [.. _leaderWhenStopped];

        /// <summary>From now on the services' stops wait until <see cref="ReleaseStops"/>.</summary>
        public void HoldStops() => _stopGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        public void ReleaseStops() => _stopGate.TrySetResult();

        private static TaskCompletionSource CompletedGate()
        {
            var gate = new TaskCompletionSource();
            gate.SetResult();
            return gate;
        }

        private sealed class RecordingService(string name, Contender owner) : BackgroundService
        {
            public override Task StartAsync(CancellationToken cancellationToken)
            {
                owner._started.Enqueue(name);
                return base.StartAsync(cancellationToken);
            }

            public override async Task StopAsync(CancellationToken cancellationToken)
            {
                owner._leaderWhenStopped.Enqueue(owner.Leadership.IsLeader);
                await owner._stopGate.Task.WaitAsync(cancellationToken);
                await base.StopAsync(cancellationToken);
                owner._stopped.Enqueue(name);
            }

            protected override async Task ExecuteAsync(CancellationToken stoppingToken)
            {
                await Task.Delay(Timeout.Infinite, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                if (owner.Service.LeaderWork.IsCancellationRequested)
                {
                    owner._cancelled.Enqueue(name);
                }
            }
        }
    }

    /// <summary>The system clock, except that its wall clock can be set off; timestamps and timers run on unchanged.</summary>
    private sealed class SettableWallClock : TimeProvider
    {
        public TimeSpan WallClockOffset { get; set; }

        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + WallClockOffset;
    }

    private sealed class FakeLifetime : IHostApplicationLifetime
    {
        private int _stopRequests;

        public int StopRequests => Volatile.Read(ref _stopRequests);

        public CancellationToken ApplicationStarted => CancellationToken.None;

        public CancellationToken ApplicationStopping => CancellationToken.None;

        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void StopApplication() => Interlocked.Increment(ref _stopRequests);
    }

    /// <summary>Passes requests to Azurite, or fails them as an unreachable storage account would.</summary>
    private sealed class FlakyHandler() : DelegatingHandler(new HttpClientHandler())
    {
        public volatile bool Fail;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Fail ? throw new HttpRequestException("storage unreachable (test)") : base.SendAsync(request, cancellationToken);
    }

    private sealed class CapturingLogger : ILogger<LeadershipService>
    {
        public ConcurrentQueue<string> Lines { get; } = new();

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Enqueue(formatter(state, exception));
    }
}
