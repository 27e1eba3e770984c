using System.Globalization;
using VeloZ.Binance.Rest;
using VeloZ.Binance.UserData;
using VeloZ.Domain.Orders;
using VeloZ.Domain.Time;

namespace VeloZ.Binance.Orders;

/// <summary>
/// The one translation of what Binance reports about an order into <see cref="OrderEvent"/>s for the order state
/// machine: order answers (<c>POST</c>/<c>DELETE</c>/<c>GET /api/v3/order</c>, <c>openOrders</c>), trades
/// (<c>myTrades</c>) and execution reports of the user data stream.
/// <para>
/// Invariants: every event carries the venue's time (<see cref="OrderEvent.VenueTsNs"/>, when Binance gave one) and
/// VeloZ's receive time (<see cref="OrderEvent.ReceivedTsNs"/>); the event time (<see cref="OrderEvent.TsNs"/>) is the
/// venue's for a stream event and the receive time for a REST answer, so an order's <c>LastTsNs</c> is what it always
/// was. Binance's status words are read only through <see cref="BinanceOrderStatus.TryMap"/>; a status it does not map
/// (<c>PENDING_CANCEL</c>, a new word) gives no status report, and the rest of the report still applies.
/// </para>
/// </summary>
public static class VenueOrderReports
{
    /// <summary>
    /// The venue's answer to a new order, a cancel or an order query, in the order the state machine needs them:
    /// the acknowledgement (it carries the venue order id), the trades of a FULL answer
    /// (<see href="https://developers.binance.com/docs/binance-spot-api-docs/rest-api/trading-endpoints#new-order-trade">New order</see>,
    /// <c>fills</c>), then the status with the cumulative figures.
    /// </summary>
    /// <param name="answer">The venue's order.</param>
    /// <param name="receivedTsNs">When VeloZ received the answer (ns since the Unix epoch).</param>
    public static IReadOnlyList<OrderEvent> FromOrderAnswer(BinanceOrder answer, long receivedTsNs)
    {
        ArgumentNullException.ThrowIfNull(answer);
        var venueTsNs = VenueTime(answer);
        var venueOrderId = VenueOrderId(answer.OrderId);
        var events = new List<OrderEvent> { new OrderAcknowledged(receivedTsNs, venueOrderId) { VenueTsNs = venueTsNs, ReceivedTsNs = receivedTsNs } };
        // A FULL answer's fills carry no time of their own: they happened at the answer's transactTime.
        var tradeTsNs = answer.TransactTime is { } t ? UnixTime.FromUnixMillis(t) : receivedTsNs;
        foreach (var fill in answer.Fills ?? [])
        {
            var trade = new OrderFill(fill.TradeId, fill.Qty, fill.Price, tradeTsNs, fill.Commission, fill.CommissionAsset);
            events.Add(new OrderFilled(receivedTsNs, venueOrderId, trade) { VenueTsNs = venueTsNs, ReceivedTsNs = receivedTsNs });
        }

        if (StatusOf(answer, receivedTsNs) is { } status)
        {
            events.Add(status);
        }

        return events;
    }

    /// <summary>
    /// The venue's status of an order (an order query or an <c>openOrders</c> entry) with its cumulative figures;
    /// null when Binance's status word maps to no VeloZ status.
    /// </summary>
    /// <param name="order">The venue's order.</param>
    /// <param name="receivedTsNs">When VeloZ received it (ns since the Unix epoch).</param>
    public static VenueOrderReport? StatusOf(BinanceOrder order, long receivedTsNs)
    {
        ArgumentNullException.ThrowIfNull(order);
        return Report(order.Status, receivedTsNs, VenueOrderId(order.OrderId), order.ExecutedQty ?? 0m, order.CummulativeQuoteQty ?? 0m, rejectReason: null, expiryReason: null) is { } report
            ? report with { VenueTsNs = VenueTime(order), ReceivedTsNs = receivedTsNs }
            : null;
    }

    /// <summary>One trade of the account (<c>myTrades</c>) as a fill of its order.</summary>
    /// <param name="trade">The venue's trade.</param>
    /// <param name="receivedTsNs">When VeloZ received it (ns since the Unix epoch).</param>
    public static OrderFilled FromTrade(BinanceTrade trade, long receivedTsNs)
    {
        ArgumentNullException.ThrowIfNull(trade);
        var tradeTsNs = UnixTime.FromUnixMillis(trade.Time);
        var fill = new OrderFill(trade.Id, trade.Qty, trade.Price, tradeTsNs, trade.Commission, trade.CommissionAsset);
        return new OrderFilled(receivedTsNs, VenueOrderId(trade.OrderId), fill) { VenueTsNs = tradeTsNs, ReceivedTsNs = receivedTsNs };
    }

    /// <summary>
    /// An execution report of the user data stream
    /// (<see href="https://developers.binance.com/docs/binance-spot-api-docs/user-data-stream#order-update">Order update</see>)
    /// for the order it is about: the acknowledgement first (the report proves the venue has the order), the trade
    /// when <c>x</c> is TRADE, then the status with the cumulative figures and, for a rejection or an expiry, its reason.
    /// </summary>
    /// <param name="report">The parsed report.</param>
    /// <returns>The order's client order id and the events; the first event is always the acknowledgement.</returns>
    public static (string ClientOrderId, IReadOnlyList<OrderEvent> Events) FromExecutionReport(ExecutionReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        // On a cancel, `c` is the cancel request's own id and `C` the order's (Order update: "C" is the original
        // client order id of the order being canceled).
        var clientOrderId = string.IsNullOrEmpty(report.OrigClientOrderId) ? report.ClientOrderId : report.OrigClientOrderId;
        var venueOrderId = VenueOrderId(report.OrderId);
        var ts = UnixTime.ToUnixNanos(report.EventTime);
        var received = UnixTime.ToUnixNanos(report.ReceivedAt);
        var events = new List<OrderEvent> { new OrderAcknowledged(ts, venueOrderId) { VenueTsNs = ts, ReceivedTsNs = received } };
        if (report.IsTrade)
        {
            var fill = new OrderFill(report.TradeId, report.LastQuantity, report.LastPrice, UnixTime.ToUnixNanos(report.TransactTime), report.Commission, report.CommissionAsset);
            events.Add(new OrderFilled(ts, venueOrderId, fill) { VenueTsNs = ts, ReceivedTsNs = received });
        }

        if (Report(report.Status, ts, venueOrderId, report.CumulativeQuantity, report.CumulativeQuoteQuantity, report.RejectReason, report.ExpiryReason ?? "expired") is { } status)
        {
            events.Add(status with { VenueTsNs = ts, ReceivedTsNs = received });
        }

        return (clientOrderId, events);
    }

    /// <summary>A status report, or null when <paramref name="binanceStatus"/> maps to no VeloZ status.</summary>
    private static VenueOrderReport? Report(string? binanceStatus, long tsNs, string venueOrderId, decimal executedQty, decimal cumQuote, string? rejectReason, string? expiryReason)
    {
        if (!BinanceOrderStatus.TryMap(binanceStatus, out var status))
        {
            return null;
        }

        var reason = status switch
        {
            OrderStatus.Rejected => rejectReason,
            OrderStatus.Expired => expiryReason,
            _ => null,
        };
        return new VenueOrderReport(tsNs, venueOrderId, status, executedQty, cumQuote, reason);
    }

    /// <summary>The venue's time of an order answer: <c>transactTime</c> (place, cancel) or <c>updateTime</c> (queries).</summary>
    private static long? VenueTime(BinanceOrder order) =>
        order.TransactTime is { } t ? UnixTime.FromUnixMillis(t)
        : order.UpdateTime is { } u ? UnixTime.FromUnixMillis(u)
        : null;

    private static string VenueOrderId(long orderId) => orderId.ToString(CultureInfo.InvariantCulture);
}
