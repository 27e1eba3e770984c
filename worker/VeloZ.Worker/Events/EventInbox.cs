using VeloZ.Domain.Events;
using VeloZ.Domain.Market;
using VeloZ.Domain.Orders;
using VeloZ.Domain.Time;
using VeloZ.Storage;

namespace VeloZ.Worker.Events;

/// <summary>
/// What the worker's services tell the <see cref="EventSequencer"/>: "this order's row may have changed"
/// (a change made elsewhere, to be read), "this order changed so" (a change made here, with its transitions),
/// a new price, new balances, an error. Cheap and non-blocking for the caller; repeated facts collapse
/// (an order touched twice is looked at once, only the latest price per symbol and the latest balances are
/// kept while the sequencer is busy, the same error message is told at most once per <see cref="ErrorThrottle"/>).
/// </summary>
internal sealed class EventInbox(TimeProvider clock) : IDisposable
{
    public static readonly TimeSpan ErrorThrottle = TimeSpan.FromSeconds(30);

    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _wake = new(0, 1);
    private HashSet<string> _touched = new(StringComparer.Ordinal);
    private Dictionary<string, List<OrderTransition>> _applied = new(StringComparer.Ordinal);
    private Dictionary<string, MarketTick> _market = new(StringComparer.Ordinal);
    private List<GatewayEvent> _errors = [];
    private readonly Dictionary<string, DateTimeOffset> _errorSentAt = new(StringComparer.Ordinal);
    private AccountChange? _account;

    /// <summary>The order's row may have changed.</summary>
    public void TouchOrder(string clientOrderId)
    {
        ArgumentException.ThrowIfNullOrEmpty(clientOrderId);
        lock (_gate)
        {
            _touched.Add(clientOrderId);
        }

        Wake();
    }

    /// <summary>
    /// The order's row was changed in this process by <paramref name="transitions"/> (in the order they were
    /// applied, as stored): the sequencer tells what they changed without reading the row again. Transitions
    /// that changed nothing are dropped; several reports of one order before the sequencer looks are kept in order.
    /// </summary>
    public void Applied(string clientOrderId, IReadOnlyList<OrderTransition> transitions)
    {
        ArgumentException.ThrowIfNullOrEmpty(clientOrderId);
        ArgumentNullException.ThrowIfNull(transitions);
        var changed = transitions.Where(t => t.Changed).ToList();
        if (changed.Count == 0)
        {
            return;
        }

        lock (_gate)
        {
            if (_applied.TryGetValue(clientOrderId, out var known))
            {
                known.AddRange(changed);
            }
            else
            {
                _applied[clientOrderId] = changed;
            }
        }

        Wake();
    }

    /// <summary>Several orders' rows may have changed.</summary>
    public void TouchOrders(IEnumerable<string> clientOrderIds)
    {
        lock (_gate)
        {
            _touched.UnionWith(clientOrderIds);
        }

        Wake();
    }

    public void Market(MarketTick tick)
    {
        ArgumentNullException.ThrowIfNull(tick);
        lock (_gate)
        {
            _market[tick.Symbol] = tick;
        }

        Wake();
    }

    /// <summary>
    /// Balances from the venue: <paramref name="full"/> = the complete set (missing assets are gone); otherwise
    /// only the named assets changed.
    /// </summary>
    public void Account(long tsNs, IReadOnlyList<AssetBalance> balances, bool full)
    {
        ArgumentNullException.ThrowIfNull(balances);
        var lines = balances.Select(b => new EventPayloads.Balance(b.Asset, b.Free, b.Locked)).ToList();
        lock (_gate)
        {
            if (full || _account is null)
            {
                _account = new AccountChange(tsNs, lines, full);
            }
            else
            {
                var names = lines.Select(l => l.Asset).ToHashSet(StringComparer.Ordinal);
                _account = new AccountChange(tsNs, [.. _account.Balances.Where(old => !names.Contains(old.Asset)), .. lines], _account.Full);
            }
        }

        Wake();
    }

    /// <summary>An <c>error</c> event such as <c>market_source_error</c>; the same message at most once per <see cref="ErrorThrottle"/>.</summary>
    public void Error(string message, string? detail = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(message);
        var now = clock.GetUtcNow();
        lock (_gate)
        {
            if (_errorSentAt.TryGetValue(message, out var last) && now - last < ErrorThrottle)
            {
                return;
            }

            _errorSentAt[message] = now;
            _errors.Add(EventPayloads.Error(UnixTime.ToUnixNanos(now), message, detail));
        }

        Wake();
    }

    /// <summary>Everything told since the last call.</summary>
    public Batch Drain()
    {
        lock (_gate)
        {
            var batch = new Batch([.. _touched], [.. _market.Values], _errors, _account, _applied);
            _touched = new HashSet<string>(StringComparer.Ordinal);
            _applied = new Dictionary<string, List<OrderTransition>>(StringComparer.Ordinal);
            _market = new Dictionary<string, MarketTick>(StringComparer.Ordinal);
            _errors = [];
            _account = null;
            return batch;
        }
    }

    /// <summary>Waits until something is told or <paramref name="timeout"/> passes.</summary>
    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var timer = new CancellationTokenSource(timeout, clock);
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
        try
        {
            await _wake.WaitAsync(wait.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Timed out.
        }
    }

    public void Dispose() => _wake.Dispose();

    private void Wake()
    {
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already awake.
        }
        catch (ObjectDisposedException)
        {
            // Stopping.
        }
    }

    /// <summary>Balances waiting to be told.</summary>
    public sealed record AccountChange(long TsNs, IReadOnlyList<EventPayloads.Balance> Balances, bool Full);

    /// <summary>One drained set of facts.</summary>
    /// <param name="TouchedOrders">Orders whose rows are to be read: changed elsewhere, or when the change is not known.</param>
    /// <param name="Ticks">The latest price per symbol.</param>
    /// <param name="Errors">Errors to tell.</param>
    /// <param name="Account">Balances to tell.</param>
    /// <param name="AppliedOrders">Orders changed in this process, with the transitions that changed them, in order.</param>
    public sealed record Batch(
        IReadOnlyList<string> TouchedOrders,
        IReadOnlyList<MarketTick> Ticks,
        IReadOnlyList<GatewayEvent> Errors,
        AccountChange? Account,
        IReadOnlyDictionary<string, List<OrderTransition>> AppliedOrders);
}
