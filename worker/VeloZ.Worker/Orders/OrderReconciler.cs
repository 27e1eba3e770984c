using System.Globalization;
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
/// Settles every order that is not final by asking the venue (<c>GET /api/v3/order</c> by client order id,
/// and <c>myTrades</c> for the order when the venue has executed more than the fills VeloZ holds), and
/// applies the answers through the same order state machine as live events, so a fill already seen is
/// never counted twice. An order left PENDING (its answer was lost) is only declared not placed when the
/// venue does not know it (<c>-2013</c>) and more than <see cref="PendingGrace"/> has passed, longer than
/// any request may still be in flight. It runs every <see cref="FastInterval"/> while the user data stream
/// is down (the original gateway's open-order polling) and every <see cref="SlowInterval"/> while it is up.
/// </summary>
internal sealed partial class OrderReconciler(
    VenueSupervisor venue,
    GatewayOptions options,
    OrderRepository orders,
    EventInbox events,
    WorkerState state,
    TimeProvider clock,
    ILogger<OrderReconciler> logger) : BackgroundService
{
    public static readonly TimeSpan FastInterval = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan SlowInterval = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan PendingGrace = TimeSpan.FromSeconds(15);

    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly Dictionary<string, long> _tradeCursor = new(StringComparer.Ordinal);

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
                    await ReconcileOnceAsync(client, stoppingToken);
                    await ReconcileTradesAsync(client, stoppingToken);
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
        var changed = 0;
        var now = clock.NowNanos();
        await foreach (var order in orders.ListOpenAsync(cancellationToken))
        {
            var result = await client.GetOrderAsync(order.Symbol, order.ClientOrderId, cancellationToken);
            if (result.Code == BinanceErrorCodes.NoSuchOrder)
            {
                if (order.Status == OrderStatus.Pending && UnixTime.FromUnixNanos(now) - UnixTime.FromUnixNanos(order.CreatedTsNs) > PendingGrace)
                {
                    var notPlaced = await orders.ApplyAsync(order.ClientOrderId, new OrderNotPlaced(now, "not_placed: the venue has no order with this id"), cancellationToken);
                    changed += Count(notPlaced, order.ClientOrderId);
                }

                continue;
            }

            if (!result.IsSuccess)
            {
                LogQueryFailed(logger, order.ClientOrderId, result.ToString());
                if (result.Kind is BinanceOutcomeKind.RateLimited or BinanceOutcomeKind.Banned or BinanceOutcomeKind.Unreachable)
                {
                    break;
                }

                continue;
            }

            var venueOrder = result.Value!;
            var venueOrderId = venueOrder.OrderId.ToString(CultureInfo.InvariantCulture);
            if ((venueOrder.ExecutedQty ?? 0m) > order.FilledQty)
            {
                var trades = await client.GetOrderTradesAsync(order.Symbol, venueOrder.OrderId, cancellationToken);
                foreach (var trade in trades.Value ?? [])
                {
                    var fill = new OrderFill(trade.Id, trade.Qty, trade.Price, UnixTime.FromUnixMillis(trade.Time), trade.Commission, trade.CommissionAsset);
                    changed += Count(await orders.ApplyAsync(order.ClientOrderId, new OrderFilled(now, venueOrderId, fill), cancellationToken), order.ClientOrderId);
                }
            }

            if (venueOrder.Status is { } status && BinanceOrderStatus.TryMap(status, out var mapped))
            {
                var report = new VenueOrderReport(now, venueOrderId, mapped, venueOrder.ExecutedQty ?? 0m, venueOrder.CummulativeQuoteQty ?? 0m, null);
                changed += Count(await orders.ApplyAsync(order.ClientOrderId, report, cancellationToken), order.ClientOrderId);
            }
        }

        return changed;
    }

    /// <summary>
    /// Asks the venue for the account's trades after the last trade id VeloZ holds (<c>myTrades</c> with
    /// <c>fromId</c>), per symbol, and applies each one to its order as a fill. Fills are deduplicated by trade
    /// id, so trades already known change nothing; a trade of an order VeloZ did not place is ignored.
    /// The cursor starts at the highest trade id among the stored fills. Returns how many orders changed.
    /// </summary>
    public async Task<int> ReconcileTradesAsync(BinanceRestClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (_tradeCursor.Count == 0)
        {
            _tradeCursor[options.MarketSymbol] = 0;
            await foreach (var order in orders.ListAsync(cancellationToken))
            {
                var highest = order.Fills.Count > 0 ? order.Fills.Max(f => f.TradeId) : 0;
                _tradeCursor[order.Symbol] = Math.Max(_tradeCursor.GetValueOrDefault(order.Symbol), highest);
            }
        }

        var changed = 0;
        var now = clock.NowNanos();
        foreach (var symbol in _tradeCursor.Keys.ToList())
        {
            var result = await client.GetMyTradesAsync(symbol, _tradeCursor[symbol] + 1, 1000, cancellationToken);
            if (!result.IsSuccess)
            {
                LogQueryFailed(logger, symbol, result.ToString());
                continue;
            }

            foreach (var trade in result.Value!)
            {
                var venueOrderId = trade.OrderId.ToString(CultureInfo.InvariantCulture);
                if (await orders.FindByVenueOrderIdAsync(venueOrderId, cancellationToken) is { } clientOrderId)
                {
                    var fill = new OrderFill(trade.Id, trade.Qty, trade.Price, UnixTime.FromUnixMillis(trade.Time), trade.Commission, trade.CommissionAsset);
                    changed += Count(await orders.ApplyAsync(clientOrderId, new OrderFilled(now, venueOrderId, fill), cancellationToken), clientOrderId);
                }

                _tradeCursor[symbol] = Math.Max(_tradeCursor[symbol], trade.Id);
            }
        }

        return changed;
    }

    private int Count(OrderTransition? transition, string clientOrderId)
    {
        if (transition?.Anomaly is { } anomaly)
        {
            LogAnomaly(logger, clientOrderId, anomaly);
        }

        if (transition is { Changed: true })
        {
            events.TouchOrder(clientOrderId);
        }

        if (transition is { StatusChanged: true })
        {
            LogReconciled(logger, clientOrderId, transition.State.Status.ToWire());
        }

        return transition is { Changed: true } ? 1 : 0;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "[AUDIT] order_reconciled {ClientOrderId} is {Status} at the venue")]
    private static partial void LogReconciled(ILogger logger, string clientOrderId, string status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order {ClientOrderId}: {Anomaly}")]
    private static partial void LogAnomaly(ILogger logger, string clientOrderId, string anomaly);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reconciliation query for {ClientOrderId} failed: {Result}")]
    private static partial void LogQueryFailed(ILogger logger, string clientOrderId, string result);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reconciliation paused: {Reason}")]
    private static partial void LogStorage(ILogger logger, string reason);
}
