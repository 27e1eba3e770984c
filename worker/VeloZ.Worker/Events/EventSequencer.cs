using Azure;
using VeloZ.Domain.Configuration;
using VeloZ.Domain.Events;
using VeloZ.Domain.Orders;
using VeloZ.Domain.Time;
using VeloZ.Storage;
using VeloZ.Worker.Leadership;
using VeloZ.Worker.Status;

namespace VeloZ.Worker.Events;

/// <summary>
/// The single sequencer of events. Every other worker service only tells it what happened
/// through the <see cref="EventInbox"/> ("this order's row may have changed", a price, balances, an error);
/// it numbers the resulting events, writes the durable ones to the event log, then
/// publishes all of them in id order.
/// </summary>
/// <remarks>
/// <para>Order events are derived, not relayed: the sequencer compares the order row (the truth, written by
/// the API with the venue's answer, by the user stream and by reconciliation, through the one state machine)
/// with what it has already told about that order (<see cref="ToldOrders"/>, compared by <see cref="OrderDiff"/>;
/// balances likewise by <see cref="AccountDiff"/>). What was told is rebuilt from the event log at start, so a
/// restart neither repeats nor forgets.</para>
/// <para>Ids are reserved in blocks of <see cref="BlockSize"/> (<see cref="EventIdBlocks"/>). It runs only in the worker that holds the
/// leader lease; the ETag-checked reservation is the second line of defence behind the lease: a reservation
/// that fails because another worker moved it means this worker is no longer the active one, so it stops
/// sequencing at once and gives up leadership (<see cref="WorkerLeadership.Abdicate"/>).</para>
/// <para>Leadership is checked before every write and every publication, not only per block: a worker whose
/// lease ended (or is within its safety margin of ending) neither reserves, logs nor publishes one more event,
/// also not on a retry while storage is down. It stops sequencing and gives leadership up.</para>
/// <para>Market ticks are published at once and logged at most once per second and symbol (conflated per symbol,
/// <see cref="MarketLogConflation"/>); everything else is logged before it is published.</para>
/// <para>What was told about a finished order is forgotten one event retention period
/// (<see cref="StorageOptions.EventRetentionHours"/>) after its final status was told.</para>
/// </remarks>
internal sealed partial class EventSequencer(
    EventInbox inbox,
    SequencerRepository reservations,
    EventLogRepository log,
    OrderRepository orders,
    IEventSink sink,
    WorkerState state,
    WorkerLeadership leadership,
    StorageOptions options,
    TimeProvider clock,
    ILogger<EventSequencer> logger) : BackgroundService
{
    public const int BlockSize = EventIdBlocks.BlockSize;
    public static readonly TimeSpan MarketLogInterval = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan s_sweepOverlap = TimeSpan.FromSeconds(30);
    private const int ParallelReads = 16;
    private static readonly TimeSpan s_firstRetry = TimeSpan.FromMilliseconds(200);

    private readonly EventIdBlocks _ids = new();
    private readonly ToldOrders _told = new();
    private readonly AccountDiff _account = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private readonly MarketLogConflation _marketLog = new(MarketLogInterval);
    private DateTimeOffset _sweptThrough;

    /// <summary>Completes once the sequencer has restored its ids and memory and publishes.</summary>
    public Task Ready => _ready.Task;

    /// <summary>The id the next event will get.</summary>
    public long NextId => _ids.NextId;

    /// <summary>How many orders the sequencer remembers what it told of (a snapshot: its loop changes it).</summary>
    internal int RememberedOrders => _told.Count;

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        // A clean stop hands back the unused part of the block, so the next start continues without a gap. Only
        // the leader does: after leadership is lost, another worker may have read the row already, and moving it
        // under that worker would fence it.
        if (_ids.ETag is { } etag && _ready.Task.IsCompletedSuccessfully && leadership.IsLeader)
        {
            try
            {
                await reservations.TryReserveAsync(_ids.Unused, etag, _ids.Owner, cancellationToken);
            }
            catch (Exception ex) when (ex is StorageUnavailableException or OperationCanceledException)
            {
                LogReleaseFailed(logger, ex.GetType().Name);
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await InitializeAsync(stoppingToken);
            _ready.TrySetResult();
            while (!stoppingToken.IsCancellationRequested)
            {
                var now = clock.GetUtcNow();
                if (now - _sweptThrough >= SweepInterval)
                {
                    await SweepAsync(now - s_sweepOverlap, stoppingToken);
                    _sweptThrough = now;
                }

                await ProcessAsync(stoppingToken);
                _told.ForgetFinished(clock.GetUtcNow() - TimeSpan.FromHours(options.EventRetentionHours));
                await inbox.WaitAsync(SweepInterval, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (SequencerFencedException)
        {
            LogFenced(logger);
            _ready.TrySetCanceled(CancellationToken.None);
            leadership.Abdicate("the event sequencer was fenced: another worker reserved event ids");
        }
        catch (LeadershipEndedException)
        {
            LogLeadershipEnded(logger);
            _ready.TrySetCanceled(CancellationToken.None);
            leadership.Abdicate("the event sequencer found the lease no longer held");
        }
    }

    /// <summary>Throws unless this worker still leads with its lease held: checked before every write and publication.</summary>
    private void EnsureLeading()
    {
        if (!leadership.IsLeader)
        {
            throw new LeadershipEndedException();
        }
    }

    private async Task InitializeAsync(CancellationToken cancellationToken)
    {
        var since = await UntilStorageAnswersAsync(
            async () =>
            {
                EnsureLeading();
                var (reserved, etag) = await reservations.ReadAsync(cancellationToken);
                _ids.Restore(reserved, etag);
                var newest = await RestoreMarksAsync(reserved, cancellationToken);
                await ReserveAsync(1, cancellationToken);
                // Orders changed since shortly before the last told event (or within retention if none) may
                // hold untold changes, e.g. placed through the API while no worker ran.
                var retention = clock.GetUtcNow() - TimeSpan.FromHours(options.EventRetentionHours);
                var since = newest is { } ts ? UnixTime.FromUnixNanos(ts) - TimeSpan.FromMinutes(10) : retention;
                return since < retention ? retention : since;
            },
            cancellationToken);
        var now = clock.GetUtcNow();
        await SweepAsync(since, cancellationToken);
        _sweptThrough = now;
        LogStarted(logger, _ids.NextId, _told.Count);
    }

    /// <summary>
    /// Rebuilds what was told about each order from the retained order events; returns the newest event's time.
    /// </summary>
    /// <remarks>
    /// The log is written in two steps: the event rows, then the <c>recent</c> rows that hold the order events.
    /// A worker that died in between (killed, or its lease lost) left its last batch only in the event rows,
    /// where resuming clients and the API's gap filling already find it: those facts were told. That batch lies
    /// within the two blocks below the reservation (a batch is at most one block and is numbered after the
    /// reservation that covers it), so those rows are read too, and what only they hold is copied to
    /// <c>recent</c>.
    /// </remarks>
    private async Task<long?> RestoreMarksAsync(long reservedThrough, CancellationToken cancellationToken)
    {
        var told = new Dictionary<long, GatewayEvent>();
        await foreach (var e in log.ReadAllOrderEventsAsync(cancellationToken))
        {
            told[e.Id] = e;
        }

        var tail = (await log.ReadRangeAsync(Math.Max(0, reservedThrough - (2 * BlockSize) + 1), reservedThrough, cancellationToken))
            .Where(e => e.IsOrderFeed && !told.ContainsKey(e.Id))
            .ToList();
        if (tail.Count > 0)
        {
            EnsureLeading();
            await log.AppendRecentAsync(tail, cancellationToken);
            LogRecovered(logger, tail.Count, tail[0].Id);
            foreach (var e in tail)
            {
                told[e.Id] = e;
            }
        }

        // Restored memory is kept a whole retention period from now, whenever it was told.
        var newestFirst = told.Values.OrderByDescending(e => e.Id).ToList();
        _told.Restore(newestFirst, clock.GetUtcNow());
        return newestFirst.Count > 0 ? newestFirst[0].TsNs : null;
    }

    /// <summary>
    /// Tells what the rows changed since <paramref name="since"/> hold and was not told yet: the fallback for a
    /// change whose note never came. The scan's rows are compared as they are (they are newer than anything told
    /// before the scan began), so the sweep costs one query, not one more read per changed order.
    /// </summary>
    private async Task SweepAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        var swept = new List<OrderState>();
        try
        {
            await foreach (var order in orders.ListChangedSinceAsync(since, cancellationToken))
            {
                swept.Add(order);
                if (swept.Count == BlockSize)
                {
                    await TellOrdersAsync(swept, cancellationToken);
                    swept.Clear();
                }
            }
        }
        catch (StorageUnavailableException ex)
        {
            LogStorageWaiting(logger, ex.Message);
        }

        await TellOrdersAsync(swept, cancellationToken);
    }

    private async Task TellOrdersAsync(List<OrderState> changed, CancellationToken cancellationToken)
    {
        var drafts = changed.SelectMany(order => OrderDiff.Untold(order, _told)).ToList();
        // A batch never exceeds one block of ids (see RestoreMarksAsync).
        foreach (var slice in drafts.Chunk(BlockSize))
        {
            await TellAsync(slice, cancellationToken);
        }
    }

    private async Task ProcessAsync(CancellationToken cancellationToken)
    {
        var (touched, ticks, errors, account, applied) = inbox.Drain();
        var drafts = new List<GatewayEvent>();
        var toRead = applied.Count == 0 ? null : touched.ToHashSet(StringComparer.Ordinal);
        foreach (var (clientOrderId, transitions) in applied)
        {
            // Changed here: the transitions say what changed, no read needed. An order also changed elsewhere
            // (touched) is read below, and its row tells both changes.
            if (!toRead!.Contains(clientOrderId))
            {
                drafts.AddRange(OrderDiff.FromTransitions(transitions, _told));
            }
        }

        if (touched.Count > 0)
        {
            var read = await ReadOrdersAsync(touched, cancellationToken);
            if (read is null)
            {
                // Storage is down: look at these orders again on the next pass.
                inbox.TouchOrders(touched);
            }
            else
            {
                foreach (var order in read)
                {
                    drafts.AddRange(OrderDiff.Untold(order, _told));
                }
            }
        }

        if (account is { } a && _account.Next(a.TsNs, a.Balances, a.Full) is { } accountEvent)
        {
            drafts.Add(accountEvent);
        }

        drafts.AddRange(errors);
        drafts.AddRange(ticks.Select(EventPayloads.Market));
        if (drafts.Count == 0)
        {
            return;
        }

        // A batch never exceeds one block of ids, so that the last batch before a crash lies within the two
        // blocks below the reservation (see RestoreMarksAsync).
        foreach (var slice in drafts.Chunk(BlockSize))
        {
            await TellAsync(slice, cancellationToken);
        }
    }

    /// <summary>Numbers, logs and publishes one batch of at most <see cref="BlockSize"/> events.</summary>
    private async Task TellAsync(GatewayEvent[] drafts, CancellationToken cancellationToken)
    {
        EnsureLeading();
        await ReserveAsync(drafts.Length, cancellationToken);
        var numbered = _ids.Number(drafts);
        foreach (var e in numbered)
        {
            state.Metrics.Sequenced(e.Type, 1);
        }

        var now = clock.GetUtcNow();
        var logged = numbered.Where(e => _marketLog.IsDue(e, now)).ToList();
        if (logged.Count > 0)
        {
            await AppendWithRetryAsync(logged, cancellationToken);
            _marketLog.Logged(logged, now);
        }

        var toldAt = clock.GetUtcNow();
        foreach (var e in numbered)
        {
            _told.Remember(e, toldAt);
        }

        // The lease may have ended while the batch was logged: nothing is published after that.
        EnsureLeading();
        using var span = WorkerTracing.StartPublish(numbered);
        try
        {
            await sink.PublishAsync(numbered, cancellationToken);
            state.Metrics.Published(numbered.Count);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            state.Metrics.PublishFailed(numbered.Count);
            WorkerTracing.PublishFailed(span, ex);
            // Logged events are not lost: subscribers resume from the log by id.
            LogPublishFailed(logger, numbered.Count, numbered[0].Id, ex.GetType().Name, ex.Message);
        }

        state.EventPublished(numbered[^1].Id);
    }

    private async Task<List<OrderState>?> ReadOrdersAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        var result = new OrderState?[ids.Count];
        try
        {
            await Parallel.ForEachAsync(
                Enumerable.Range(0, ids.Count),
                new ParallelOptions { MaxDegreeOfParallelism = ParallelReads, CancellationToken = cancellationToken },
                async (i, ct) => result[i] = (await orders.GetAsync(ids[i], ct))?.State);
        }
        catch (StorageUnavailableException ex)
        {
            LogStorageWaiting(logger, ex.Message);
            return null;
        }

        return [.. result.OfType<OrderState>()];
    }

    private async Task ReserveAsync(int count, CancellationToken cancellationToken)
    {
        if (_ids.ReservationNeeded(count) is not { } through)
        {
            return;
        }

        var etag = await UntilStorageAnswersAsync(
            () =>
            {
                EnsureLeading();
                return reservations.TryReserveAsync(through, _ids.ETag, _ids.Owner, cancellationToken);
            },
            cancellationToken)
            ?? throw new SequencerFencedException();
        _ids.Reserved(through, etag);
    }

    private async Task AppendWithRetryAsync(List<GatewayEvent> events, CancellationToken cancellationToken)
    {
        try
        {
            // Nothing is published before it is logged; the events keep their ids while storage is down.
            await UntilStorageAnswersAsync(
                async () =>
                {
                    // Also on every retry: the lease can end while storage is down.
                    EnsureLeading();
                    await log.AppendAsync(events, cancellationToken);
                    return true;
                },
                cancellationToken);
        }
        catch (RequestFailedException ex)
        {
            // Not a transient failure (e.g. an oversized row): publish anyway rather than stall every event.
            LogAppendRejected(logger, events[0].Id, ex.Status, ex.ErrorCode);
        }
    }

    /// <summary>Runs <paramref name="call"/> until storage answers, waiting out outages with jittered backoff up to 5 s.</summary>
    private Task<T> UntilStorageAnswersAsync<T>(Func<Task<T>> call, CancellationToken cancellationToken) =>
        StorageRetry.UntilAnswersAsync(_ => call(), (_, reason) => LogStorageWaiting(logger, reason), s_firstRetry, clock, cancellationToken);

    private sealed class SequencerFencedException : Exception;

    private sealed class LeadershipEndedException : Exception;

    [LoggerMessage(Level = LogLevel.Information, Message = "Event sequencer ready: next id {NextId}, {Orders} orders remembered")]
    private static partial void LogStarted(ILogger logger, long nextId, int orders);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event sequencer waiting for storage: {Reason}")]
    private static partial void LogStorageWaiting(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Publishing {Count} events from id {FirstId} failed ({ErrorType}: {Reason}); subscribers resume them from the log")]
    private static partial void LogPublishFailed(ILogger logger, int count, long firstId, string errorType, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Event log refused events from id {FirstId} (HTTP {Status}, {Code}); published without logging")]
    private static partial void LogAppendRejected(ILogger logger, long firstId, int status, string? code);

    [LoggerMessage(Level = LogLevel.Critical, Message = "[AUDIT] event_sequencer_fenced: another worker reserved event ids; this worker stops sequencing")]
    private static partial void LogFenced(ILogger logger);

    [LoggerMessage(Level = LogLevel.Critical, Message = "[AUDIT] event_sequencer_stopped: the worker lease is no longer held; this worker logs and publishes no more events")]
    private static partial void LogLeadershipEnded(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The previous sequencer stopped between its two log writes: {Count} order events from id {FirstId} were logged but not in the recent table; restored")]
    private static partial void LogRecovered(ILogger logger, int count, long firstId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not hand back unused event ids at stop ({ErrorType}); the next start skips them")]
    private static partial void LogReleaseFailed(ILogger logger, string errorType);
}
