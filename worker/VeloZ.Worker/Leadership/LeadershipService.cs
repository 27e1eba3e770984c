using Azure;
using VeloZ.Storage;
using VeloZ.Storage.Leadership;
using VeloZ.Worker.Status;

namespace VeloZ.Worker.Leadership;

/// <summary>
/// Makes this worker the one active worker, or a standby. A standby asks for the <see cref="WorkerLease"/>
/// every <see cref="WorkerLeaseOptions.AcquireInterval"/>; once it holds it, it starts the leader-only
/// services (venue, market feed, user stream, reconciliation, event sequencing; see
/// <see cref="LeaderOnlyServices"/>) in registration order and renews the lease every
/// <see cref="WorkerLeaseOptions.RenewInterval"/>.
/// </summary>
/// <remarks>
/// <para>Invariant: leader-only work runs only while the lease is held with time to spare. Every leader-only
/// service is started with one shared token, cancelled the moment leadership ends: a renewal the service
/// refuses (the lease is someone else's), no successful renewal before <see cref="WorkerLease.WorkDeadline"/>
/// (a safety margin before the lease can run out), or a service that <see cref="WorkerLeadership.Abdicate"/>s
/// because another worker is active. Then all leader work stops at once, <c>[AUDIT] worker_lease_lost</c> is
/// logged, and the process stops with exit code <see cref="LeadershipLostExitCode"/>, so the orchestrator
/// starts it again, fresh, as a standby.</para>
/// <para>A graceful stop (SIGTERM, Ctrl-C) stops the leader-only services in reverse order while the renewals
/// go on, so they still finish as the leader (the sequencer hands back unused event ids), then releases the
/// lease so a standby takes over at its next attempt instead of waiting for the lease to run out.
/// Leadership that ends while such a stop is under way stops the work the same way, but the process still
/// exits with 0: it was asked to stop, and a restart (what exit code <see cref="LeadershipLostExitCode"/> asks
/// for) would undo that.</para>
/// </remarks>
internal sealed partial class LeadershipService(
    WorkerLease lease,
    WorkerLeadership leadership,
    IEnumerable<LeaderOnlyService> leaderServices,
    WorkerState state,
    IHostApplicationLifetime lifetime,
    TimeProvider clock,
    ILogger<LeadershipService> logger) : IHostedService, IDisposable
{
    /// <summary>Exit code of a worker that lost leadership: restart it and it comes back as a standby.</summary>
    public const int LeadershipLostExitCode = 3;

    private readonly LeaderOnlyService[] _services = [.. leaderServices];
    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationTokenSource _leaderWork = new();
    private readonly TaskCompletionSource _startSequenceDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _gate = new();
    private readonly List<LeaderOnlyService> _started = [];
    private Task _run = Task.CompletedTask;
    private Task? _emergencyStop;
    private Task? _stop;
    private bool _leading;
    private bool _stopRequested;
    private bool _handingOver;
    private bool _lost;
    private bool _releaseAfterLoss;
    private volatile int _exitCode;

    /// <summary>What the process should exit with: 0, or <see cref="LeadershipLostExitCode"/> after leadership was lost.</summary>
    public int ExitCode => _exitCode;

    /// <summary>Cancelled the moment leadership ends other than by a graceful stop; every leader-only service runs under it.</summary>
    public CancellationToken LeaderWork => _leaderWork.Token;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _run = Task.Run(() => RunAsync(_stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <summary>Stops once; later calls wait for the first.</summary>
    public Task StopAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return _stop ??= StopOnceAsync(cancellationToken);
        }
    }

    private async Task StopOnceAsync(CancellationToken cancellationToken)
    {
        await Task.Yield();
        bool leading;
        lock (_gate)
        {
            _stopRequested = true;
            leading = _leading;
        }

        if (leading)
        {
            // The start sequence starts nothing more now; wait for it, so that every started service is stopped.
            await _startSequenceDone.Task.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            LeaderOnlyService[] toStop;
            lock (_gate)
            {
                _handingOver = !_lost;
                toStop = _lost ? [] : [.. _started];
            }

            if (toStop.Length > 0)
            {
                LogHandingOver(logger, toStop.Length);
            }

            // In reverse start order, as the host would, while the renewals go on: they stop as the leader.
            for (var i = toStop.Length - 1; i >= 0; i--)
            {
                await StopQuietlyAsync(toStop[i], cancellationToken);
            }
        }

        Task? emergency;
        lock (_gate)
        {
            emergency = _emergencyStop;
        }

        if (emergency is not null)
        {
            await emergency.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        await _stopping.CancelAsync();
        await _run.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);

        bool release;
        lock (_gate)
        {
            release = (_handingOver && !_lost) || _releaseAfterLoss;
        }

        if (release)
        {
            leadership.Set(false);
            state.Role = WorkerRoles.Standby;
            await ReleaseQuietlyAsync();
        }
    }

    public void Dispose()
    {
        _stopping.Dispose();
        _leaderWork.Dispose();
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        bool leading;
        try
        {
            leading = await BecomeLeaderAsync(stopping);
        }
        catch
        {
            _startSequenceDone.TrySetResult();
            throw;
        }

        if (!leading)
        {
            _startSequenceDone.TrySetResult();
            return;
        }

        // Renewals run from now on, also while the services start; leadership ends as soon as they fail,
        // whether or not every service has started.
        var holding = HoldAsync(stopping);
        var starting = StartServicesAsync();
        if (await holding is { } ending)
        {
            Lose(ending);
        }

        await starting;
    }

    /// <summary>The standby phase: true once this worker holds the lease and leads, false if it stopped first.</summary>
    private async Task<bool> BecomeLeaderAsync(CancellationToken stopping)
    {
        state.Role = WorkerRoles.Standby;
        LogStandby(logger, state.InstanceId, lease.Name, lease.Options.Duration.TotalSeconds);
        if (!await AcquireAsync(stopping))
        {
            return false;
        }

        bool stopFirst;
        lock (_gate)
        {
            stopFirst = _stopRequested;
            _leading = !stopFirst;
        }

        if (stopFirst)
        {
            // Stopped while the lease was being acquired: never lead, give it back.
            await ReleaseQuietlyAsync();
            return false;
        }

        leadership.Set(true);
        state.Role = WorkerRoles.Leader;
        LogAcquired(logger, state.InstanceId, lease.Name, lease.ValidUntil);
        state.Metrics.LeaseChanged("acquired");
        return true;
    }

    /// <summary>Asks for the lease until it is ours (true) or the worker stops (false).</summary>
    private async Task<bool> AcquireAsync(CancellationToken stopping)
    {
        var refusals = 0;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                if (await lease.TryAcquireAsync(stopping))
                {
                    return true;
                }

                if (refusals++ == 0)
                {
                    LogHeldElsewhere(logger, lease.Name, lease.Options.AcquireInterval.TotalSeconds);
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return false;
            }
            catch (Exception ex) when (ex is StorageUnavailableException or RequestFailedException)
            {
                LogAcquireFailed(logger, ex.Message);
            }

            await Task.Delay(lease.Options.AcquireInterval, clock, stopping).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        return false;
    }

    private async Task StartServicesAsync()
    {
        try
        {
            await StartEachAsync();
        }
        finally
        {
            _startSequenceDone.TrySetResult();
        }
    }

    private async Task StartEachAsync()
    {
        foreach (var service in _services)
        {
            lock (_gate)
            {
                if (_stopRequested || _lost)
                {
                    return;
                }
            }

            try
            {
                await service.Service.StartAsync(_leaderWork.Token);
            }
            catch (OperationCanceledException) when (_leaderWork.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogStartFailed(logger, service.Name, ex);
                leadership.Abdicate($"{service.Name} failed to start ({ex.GetType().Name})");
                return;
            }

            bool stopNow;
            lock (_gate)
            {
                _started.Add(service);
                // Leadership was lost while it started, after the others were told to stop.
                stopNow = _lost;
            }

            if (stopNow)
            {
                await StopQuietlyAsync(service, CancellationToken.None);
                return;
            }
        }

        LogLeading(logger, _services.Length);
    }

    /// <summary>Renews until the worker stops (null) or leadership ends (why).</summary>
    private async Task<Ending?> HoldAsync(CancellationToken stopping)
    {
        try
        {
            return await RenewUntilEndAsync(stopping);
        }
        catch (Exception ex) when (!stopping.IsCancellationRequested)
        {
            // Never lead without renewals.
            return new Ending($"the renewal loop failed ({ex.GetType().Name})", LeaseHeld: false);
        }
    }

    /// <remarks>
    /// Every wait is measured on the monotonic clock (<see cref="TimeProvider.GetTimestamp"/>), as the lease's
    /// validity is: a wall clock that jumps neither delays the end of leadership nor hastens a renewal.
    /// </remarks>
    private async Task<Ending?> RenewUntilEndAsync(CancellationToken stopping)
    {
        var options = lease.Options;
        var renewedAt = clock.GetTimestamp();
        var renewAfter = options.RenewInterval;
        while (true)
        {
            if (lease.WorkTimeLeft is not { } workLeft)
            {
                return new Ending("the lease is no longer held", LeaseHeld: false);
            }

            var untilRenewal = renewAfter - clock.GetElapsedTime(renewedAt);
            var wait = untilRenewal < workLeft ? untilRenewal : workLeft;
            if (wait > TimeSpan.Zero)
            {
                using var wake = CancellationTokenSource.CreateLinkedTokenSource(stopping);
                await Task.WhenAny(Task.Delay(wait, clock, wake.Token), leadership.Abdication);
                await wake.CancelAsync();
            }

            if (stopping.IsCancellationRequested)
            {
                return null;
            }

            if (leadership.Abdication.IsCompleted)
            {
                return new Ending(await leadership.Abdication, LeaseHeld: true);
            }

            workLeft = lease.WorkTimeLeft ?? TimeSpan.Zero;
            if (workLeft <= TimeSpan.Zero)
            {
                var until = lease.ValidUntil;
                lease.Forget();
                return new Ending($"no renewal succeeded before the work deadline (the lease can run out at {until:O})", LeaseHeld: false);
            }

            if (clock.GetElapsedTime(renewedAt) < renewAfter)
            {
                continue;
            }

            try
            {
                // A renewal that is still unanswered at the deadline is as good as failed.
                using var timeout = new CancellationTokenSource(workLeft, clock);
                using var attempt = CancellationTokenSource.CreateLinkedTokenSource(stopping, timeout.Token);
                if (!await lease.TryRenewAsync(attempt.Token))
                {
                    return new Ending("the renewal was refused: the lease is no longer this worker's", LeaseHeld: false);
                }

                renewedAt = clock.GetTimestamp();
                renewAfter = options.RenewInterval;
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return null;
            }
            catch (OperationCanceledException)
            {
                // The deadline passed during the request; the next turn ends leadership.
            }
            catch (Exception ex) when (ex is StorageUnavailableException or RequestFailedException)
            {
                LogRenewFailed(logger, ex.Message, lease.WorkDeadline);
                state.Metrics.LeaseChanged("renew_failed");
                renewedAt = clock.GetTimestamp();
                renewAfter = options.RenewRetryInterval;
            }
        }
    }

    private void Lose(Ending ending)
    {
        LeaderOnlyService[] toStop;
        bool stopRequested;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (_lost)
            {
                return;
            }

            stopRequested = _stopRequested;

            _lost = true;
            _releaseAfterLoss = ending.LeaseHeld && !_handingOver;
            // During a graceful stop the services are being stopped already; cancelling their token is enough.
            toStop = _handingOver ? [] : [.. _started];
            _emergencyStop = done.Task;
        }

        // First stop the work, all of it at once: every leader-only service runs under this token.
        leadership.Set(false);
        try
        {
            _leaderWork.Cancel();
        }
        catch (AggregateException ex)
        {
            LogCancelCallbackFailed(logger, ex.InnerException?.GetType().Name ?? nameof(AggregateException));
        }

        state.Role = WorkerRoles.Standby;
        state.Metrics.LeaseChanged("lost");
        if (stopRequested)
        {
            // Stopping on request anyway: no restart wanted, the exit code stays 0.
            LogLostWhileStopping(logger, state.InstanceId, ending.Reason);
        }
        else
        {
            _exitCode = LeadershipLostExitCode;
            LogLost(logger, state.InstanceId, ending.Reason, LeadershipLostExitCode);
        }

        _ = StopAllAsync(toStop, done);
        lifetime.StopApplication();
    }

    private async Task StopAllAsync(LeaderOnlyService[] services, TaskCompletionSource done)
    {
        try
        {
            await Task.WhenAll(services.Select(s => StopQuietlyAsync(s, CancellationToken.None)));
        }
        finally
        {
            done.TrySetResult();
        }
    }

    private async Task StopQuietlyAsync(LeaderOnlyService service, CancellationToken cancellationToken)
    {
        try
        {
            await service.Service.StopAsync(cancellationToken);
        }
        catch (Exception ex)
        {
            LogStopFailed(logger, service.Name, ex.GetType().Name);
        }
    }

    private async Task ReleaseQuietlyAsync()
    {
        try
        {
            // The SDK's request timeout bounds this; a lease not released simply runs out.
            if (await lease.ReleaseAsync(CancellationToken.None))
            {
                LogReleased(logger, state.InstanceId, lease.Name);
                state.Metrics.LeaseChanged("released");
            }
        }
        catch (Exception ex) when (ex is StorageUnavailableException or RequestFailedException)
        {
            LogReleaseFailed(logger, ex.Message, lease.Options.Duration.TotalSeconds);
        }
    }

    private sealed record Ending(string Reason, bool LeaseHeld);

    [LoggerMessage(Level = LogLevel.Information, Message = "Worker {InstanceId} is a standby: asking for the lease {Lease} ({Seconds} s)")]
    private static partial void LogStandby(ILogger logger, string instanceId, string lease, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Standby: another worker holds the lease {Lease}; asking again every {Seconds} s")]
    private static partial void LogHeldElsewhere(ILogger logger, string lease, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Standby: could not ask for the worker lease: {Reason}")]
    private static partial void LogAcquireFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "[AUDIT] worker_lease_acquired: worker {InstanceId} leads (lease {Lease} valid until {ValidUntil:O})")]
    private static partial void LogAcquired(ILogger logger, string instanceId, string lease, DateTimeOffset? validUntil);

    [LoggerMessage(Level = LogLevel.Information, Message = "Leading: {Count} leader-only services started")]
    private static partial void LogLeading(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Worker lease renewal failed ({Reason}); retrying until {Deadline:O}")]
    private static partial void LogRenewFailed(ILogger logger, string reason, DateTimeOffset? deadline);

    [LoggerMessage(Level = LogLevel.Critical, Message = "[AUDIT] worker_lease_lost: worker {InstanceId} stopped all venue and sequencing work: {Reason}; exiting with code {ExitCode} to restart as a standby")]
    private static partial void LogLost(ILogger logger, string instanceId, string reason, int exitCode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "[AUDIT] worker_lease_lost: worker {InstanceId} stopped all venue and sequencing work while stopping on request: {Reason}; exiting with code 0")]
    private static partial void LogLostWhileStopping(ILogger logger, string instanceId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopping: handing over leadership after stopping {Count} leader-only services")]
    private static partial void LogHandingOver(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "[AUDIT] worker_lease_released: worker {InstanceId} gave up the lease {Lease}; a standby takes over at once")]
    private static partial void LogReleased(ILogger logger, string instanceId, string lease);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not release the worker lease ({Reason}); a standby takes over when it runs out (at most {Seconds} s)")]
    private static partial void LogReleaseFailed(ILogger logger, string reason, double seconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Leader-only service {Service} failed to start")]
    private static partial void LogStartFailed(ILogger logger, string service, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Leader-only service {Service} failed to stop cleanly ({ErrorType})")]
    private static partial void LogStopFailed(ILogger logger, string service, string errorType);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A leader-only service failed while being cancelled ({ErrorType})")]
    private static partial void LogCancelCallbackFailed(ILogger logger, string errorType);
}
