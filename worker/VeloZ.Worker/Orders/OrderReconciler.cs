using System.Globalization;
using VeloZ.Binance.Orders;
using VeloZ.Binance.Rest;
using VeloZ.Domain.Configuration;
using VeloZ.Domain.Orders;
using VeloZ.Domain.Time;
using VeloZ.Storage;
using VeloZ.Worker.Events;
using VeloZ.Worker.Status;
using VeloZ.Worker.Venue;

namespace VeloZ.Worker.Orders;

/// <summary>
/// Settles every order that is not final by asking the venue, and applies the answers through the same order
/// state machine as live events, so a fill already seen is never counted twice. Per symbol with open orders,
/// one <c>GET /api/v3/openOrders</c> answers for every order still open at the venue; only an order VeloZ holds
/// as open that is absent from that list is looked up on its own (<c>GET /api/v3/order</c> by the venue order id
/// when known: a cancel gives the order a new client order id at Binance), and <c>myTrades</c> for an order when
/// the venue has executed more than the fills VeloZ holds.
/// <para>
/// An order left PENDING (its answer was lost) is only declared not placed when the venue does not know it
/// (<c>-2013</c>) and the venue can no longer accept it: its send-by deadline (<see cref="OrderState.SendByTsNs"/>,
/// venue time; the API never sends it later) plus <c>recvWindow</c> has passed on the venue's clock. Rows written
/// before orders had a deadline keep the older rule: more than <see cref="PendingGrace"/> after the row was created.
/// </para>
/// <para>
/// Trades: <c>myTrades</c> from a cursor per symbol kept in storage (<see cref="TradeCursorRepository"/>), so a
/// restart continues where the last pass stopped; a trade finds its order through the venue order id index
/// (<see cref="VenueOrderIndex"/>, one point read), never a scan. It runs every <see cref="FastInterval"/> while
/// the user data stream is down (the original gateway's open-order polling) and every <see cref="SlowInterval"/>
/// while it is up.
/// </para>
/// </summary>
internal sealed partial class OrderReconciler(
    VenueSupervisor venue,
    MarketOptions options,
    OrderRepository orders,
    TradeCursorRepository tradeCursors,
    EventInbox events,
    WorkerState state,
    TimeProvider clock,
    ILogger<OrderReconciler> logger) : BackgroundService
{
    public static readonly TimeSpan FastInterval = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan SlowInterval = TimeSpan.FromSeconds(30);

    /// <summary>For rows without a send-by deadline (older versions): how long after creation a PENDING order may still be sent.</summary>
    public static readonly TimeSpan PendingGrace = TimeSpan.FromSeconds(15);

    /// <summary>The most trades one <c>myTrades</c> request returns (Binance's maximum).</summary>
    private const int TradesPerRequest = 1000;

    private readonly SemaphoreSlim _wake = new(0, 1);

    /// <summary>Symbols of the open orders seen so far: their trades are read too.</summary>
    private readonly HashSet<string> _openSymbols = new(StringComparer.Ordinal);

    /// <summary>Last trade id read per symbol; null until loaded from storage.</summary>
    private Dictionary<string, long>? _tradeCursor;

    /// <summary>Asks for a pass now (after a user stream (re)connect that may have missed events).</summary>
    public void RequestNow()
    {
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // A pass is already requested.
        }
    }

    public override void Dispose()
    {
        _wake.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (venue.Client is { } client)
                {
                    var corrections = await ReconcileOnceAsync(client, stoppingToken);
                    corrections += await ReconcileTradesAsync(client, stoppingToken);
                    state.Metrics.ReconciliationPass(corrections);
                }
            }
            catch (StorageUnavailableException ex)
            {
                LogStorage(logger, ex.Message);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }

            var interval = state.Snapshot(clock.GetUtcNow()).UserStreamConnected ? SlowInterval : FastInterval;
            await Task.WhenAny(Task.Delay(interval, clock, stoppingToken), _wake.WaitAsync(stoppingToken));
        }
    }

    /// <summary>One pass over the open orders; returns how many orders changed.</summary>
    public async Task<int> ReconcileOnceAsync(BinanceRestClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var bySymbol = new Dictionary<string, List<OrderState>>(StringComparer.Ordinal);
        await foreach (var order in orders.ListOpenAsync(cancellationToken))
        {
            if (!bySymbol.TryGetValue(order.Symbol, out var list))
            {
                bySymbol[order.Symbol] = list = [];
            }

            list.Add(order);
        }

        var changed = 0;
        foreach (var (symbol, stored) in bySymbol)
        {
            // A symbol VeloZ trades gets a trade cursor too (from the start of its history when new).
            _openSymbols.Add(symbol);
            // Taken after the stored rows were read: an order that left the list since is looked up on its own.
            var open = await client.GetOpenOrdersAsync(symbol, cancellationToken);
            if (!open.IsSuccess)
            {
                LogQueryFailed(logger, symbol, open.ToString());
                if (StopsThePass(open.Kind))
                {
                    break;
                }

                continue;
            }

            var byVenueId = new Dictionary<long, BinanceOrder>();
            var byClientId = new Dictionary<string, BinanceOrder>(StringComparer.Ordinal);
            foreach (var venueOrder in open.Value!)
            {
                byVenueId.TryAdd(venueOrder.OrderId, venueOrder);
                byClientId.TryAdd(venueOrder.ClientOrderId, venueOrder);
            }

            foreach (var order in stored)
            {
                var venueId = ParseVenueOrderId(order.VenueOrderId);
                var venueOrder = venueId is { } id ? byVenueId.GetValueOrDefault(id) : byClientId.GetValueOrDefault(order.ClientOrderId);
                if (venueOrder is null)
                {
                    // Not open at the venue: finished, cancelled, or never placed (or not yet: a PENDING order).
                    var (found, stop) = await LookUpAsync(client, order, venueId, cancellationToken);
                    changed += found.Changed;
                    if (stop)
                    {
                        return changed;
                    }

                    venueOrder = found.Order;
                }

                if (venueOrder is not null)
                {
                    changed += await ApplyVenueOrderAsync(client, order, venueOrder, cancellationToken);
                }
            }
        }

        return changed;
    }

    /// <summary>
    /// Asks the venue for one order that is not among its open orders: by its venue order id when known, else by
    /// client order id. Returns the venue's order (null if none or the query failed), how many orders changed
    /// (a PENDING order declared not placed), and whether the pass should stop (rate limited, banned, unreachable).
    /// </summary>
    private async Task<((BinanceOrder? Order, int Changed) Found, bool Stop)> LookUpAsync(BinanceRestClient client, OrderState order, long? venueId, CancellationToken cancellationToken)
    {
        var result = venueId is { } id
            ? await client.GetOrderAsync(order.Symbol, id, cancellationToken)
            : await client.GetOrderAsync(order.Symbol, order.ClientOrderId, cancellationToken);
        if (result.Code == BinanceErrorCodes.NoSuchOrder)
        {
            if (order.Status == OrderStatus.Pending && !MayStillBePlaced(order, client))
            {
                var notPlaced = await orders.ApplyAsync(order.ClientOrderId, new OrderNotPlaced(clock.NowNanos(), "not_placed: the venue has no order with this id"), cancellationToken);
                return ((null, Count(notPlaced, order.ClientOrderId)), false);
            }

            return ((null, 0), false);
        }

        if (!result.IsSuccess)
        {
            LogQueryFailed(logger, order.ClientOrderId, result.ToString());
            return ((null, 0), StopsThePass(result.Kind));
        }

        return ((result.Value, 0), false);
    }

    /// <summary>
    /// Whether the venue could still accept the PENDING order: until its send-by deadline plus <c>recvWindow</c>
    /// on the venue's clock (the venue refuses a request whose timestamp is older than that, and the API never
    /// signs it with a later one); for a row without a deadline, until <see cref="PendingGrace"/> after its creation.
    /// </summary>
    private bool MayStillBePlaced(OrderState order, BinanceRestClient client)
    {
        var now = clock.GetUtcNow();
        if (order.SendByTsNs is { } sendBy)
        {
            var venueNow = now.AddMilliseconds(client.ServerClock.OffsetMs);
            return venueNow <= UnixTime.FromUnixNanos(sendBy) + TimeSpan.FromMilliseconds(client.Options.RecvWindowMs);
        }

        return now - UnixTime.FromUnixNanos(order.CreatedTsNs) <= PendingGrace;
    }

    /// <summary>
    /// Applies the venue's view of one order: its trades when the venue executed more than VeloZ holds, then its
    /// status, with one read and one write of the order's row.
    /// </summary>
    private async Task<int> ApplyVenueOrderAsync(BinanceRestClient client, OrderState order, BinanceOrder venueOrder, CancellationToken cancellationToken)
    {
        var now = clock.NowNanos();
        var reports = new List<OrderEvent>();
        if ((venueOrder.ExecutedQty ?? 0m) > order.FilledQty)
        {
            var trades = await client.GetOrderTradesAsync(order.Symbol, venueOrder.OrderId, cancellationToken);
            reports.AddRange((trades.Value ?? []).Select(trade => VenueOrderReports.FromTrade(trade, now)));
        }

        if (VenueOrderReports.StatusOf(venueOrder, now) is { } report
            // A report that changes nothing in the state just read changes nothing in a later one either (states only
            // move forward): an order still open as VeloZ holds it costs no storage request.
            && (reports.Count > 0 || OrderStateMachine.Apply(order, report).Changed))
        {
            reports.Add(report);
        }

        return reports.Count == 0 ? 0 : Count(await orders.ApplyAllAsync(order.ClientOrderId, reports, cancellationToken), order.ClientOrderId);
    }

    /// <summary>
    /// Asks the venue for the account's trades after the last trade id read (<c>myTrades</c> with <c>fromId</c>),
    /// per symbol, and applies each one to its order as a fill. Fills are deduplicated by trade id, so trades
    /// already known change nothing; a trade of an order VeloZ did not place is ignored. The cursor of each symbol
    /// is stored after each answer that moved it, so a restart continues from there. Returns how many orders changed.
    /// </summary>
    public async Task<int> ReconcileTradesAsync(BinanceRestClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var cursors = _tradeCursor ??= await LoadTradeCursorsAsync(cancellationToken);
        foreach (var symbol in _openSymbols)
        {
            cursors.TryAdd(symbol, 0);
        }

        var changed = 0;
        var now = clock.NowNanos();
        foreach (var symbol in cursors.Keys.ToList())
        {
            var from = cursors[symbol];
            var result = await client.GetMyTradesAsync(symbol, from + 1, TradesPerRequest, cancellationToken);
            if (!result.IsSuccess)
            {
                LogQueryFailed(logger, symbol, result.ToString());
                if (StopsThePass(result.Kind))
                {
                    break;
                }

                continue;
            }

            var last = from;
            // The trades of one order are applied together: one read and one write per order, not per trade.
            var byOrder = new Dictionary<string, List<OrderEvent>>(StringComparer.Ordinal);
            var clientOrderIds = new Dictionary<long, string?>();
            foreach (var trade in result.Value!)
            {
                if (!clientOrderIds.TryGetValue(trade.OrderId, out var clientOrderId))
                {
                    clientOrderIds[trade.OrderId] = clientOrderId = await orders.VenueOrders.FindAsync(symbol, trade.OrderId.ToString(CultureInfo.InvariantCulture), cancellationToken);
                }

                if (clientOrderId is not null)
                {
                    if (!byOrder.TryGetValue(clientOrderId, out var fills))
                    {
                        byOrder[clientOrderId] = fills = [];
                    }

                    fills.Add(VenueOrderReports.FromTrade(trade, now));
                }

                last = Math.Max(last, trade.Id);
            }

            foreach (var (clientOrderId, fills) in byOrder)
            {
                changed += Count(await orders.ApplyAllAsync(clientOrderId, fills, cancellationToken), clientOrderId);
            }

            if (last > from)
            {
                // Stored only after every trade up to it was applied: a crash in between reads them again (idempotent).
                await tradeCursors.WriteAsync(symbol, last, cancellationToken);
                cursors[symbol] = last;
            }
        }

        return changed;
    }

    /// <summary>
    /// The stored cursors, with the configured symbol (from the start) when it has none. Before any cursor was
    /// ever stored (a first start, or rows of a version without stored cursors), a one-time scan of the orders
    /// seeds each symbol's cursor with the highest trade id VeloZ holds and indexes the venue order ids of
    /// orders written before the index existed.
    /// </summary>
    private async Task<Dictionary<string, long>> LoadTradeCursorsAsync(CancellationToken cancellationToken)
    {
        var cursors = new Dictionary<string, long>(await tradeCursors.ReadAllAsync(cancellationToken), StringComparer.Ordinal);
        if (cursors.Count == 0)
        {
            var indexed = new List<(string Symbol, string VenueOrderId, string ClientOrderId)>();
            await foreach (var order in orders.ListAsync(cancellationToken))
            {
                var highest = order.Fills.Count > 0 ? order.Fills.Max(f => f.TradeId) : 0;
                cursors[order.Symbol] = Math.Max(cursors.GetValueOrDefault(order.Symbol), highest);
                if (order.VenueOrderId is { } venueOrderId)
                {
                    indexed.Add((order.Symbol, venueOrderId, order.ClientOrderId));
                }
            }

            await orders.VenueOrders.AddManyAsync(indexed, cancellationToken);
            foreach (var (symbol, last) in cursors)
            {
                await tradeCursors.WriteAsync(symbol, last, cancellationToken);
            }

            LogTradeCursorsSeeded(logger, cursors.Count, indexed.Count);
        }

        cursors.TryAdd(options.MarketSymbol, 0);
        return cursors;
    }

    private static long? ParseVenueOrderId(string? venueOrderId) =>
        long.TryParse(venueOrderId, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;

    /// <summary>The venue will not answer more now (back-off, ban, unreachable): the rest waits for the next pass.</summary>
    private static bool StopsThePass(BinanceOutcomeKind kind) =>
        kind is BinanceOutcomeKind.RateLimited or BinanceOutcomeKind.Banned or BinanceOutcomeKind.Unreachable;

    /// <summary>Logs and announces what a batch of reports changed; how many of its transitions changed the order.</summary>
    private int Count(IReadOnlyList<OrderTransition>? transitions, string clientOrderId)
    {
        if (transitions is null)
        {
            return 0;
        }

        var changed = 0;
        foreach (var transition in transitions)
        {
            if (transition.Anomaly is { } anomaly)
            {
                LogAnomaly(logger, clientOrderId, anomaly);
            }

            if (transition.StatusChanged)
            {
                LogReconciled(logger, clientOrderId, transition.State.Status.ToWire());
            }

            changed += transition.Changed ? 1 : 0;
        }

        if (changed > 0)
        {
            events.Applied(clientOrderId, transitions);
        }

        return changed;
    }

    private int Count(OrderTransition? transition, string clientOrderId) => Count(transition is null ? null : [transition], clientOrderId);

    [LoggerMessage(Level = LogLevel.Information, Message = "[AUDIT] order_reconciled {ClientOrderId} is {Status} at the venue")]
    private static partial void LogReconciled(ILogger logger, string clientOrderId, string status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order {ClientOrderId}: {Anomaly}")]
    private static partial void LogAnomaly(ILogger logger, string clientOrderId, string anomaly);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reconciliation query for {ClientOrderId} failed: {Result}")]
    private static partial void LogQueryFailed(ILogger logger, string clientOrderId, string result);

    [LoggerMessage(Level = LogLevel.Information, Message = "Trade cursors seeded for {Symbols} symbol(s) from the stored fills; {Indexed} venue order id(s) indexed")]
    private static partial void LogTradeCursorsSeeded(ILogger logger, int symbols, int indexed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reconciliation paused: {Reason}")]
    private static partial void LogStorage(ILogger logger, string reason);
}
