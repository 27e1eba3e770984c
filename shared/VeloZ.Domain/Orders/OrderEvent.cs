namespace VeloZ.Domain.Orders;

/// <summary>
/// Something a source (the REST answer, the user data stream, reconciliation, the API itself) learnt
/// about an order, fed to <see cref="OrderStateMachine.Apply"/>. The same information from two sources
/// yields one change only.
/// </summary>
/// <param name="TsNs">
/// The event's time for the order's <see cref="OrderState.LastTsNs"/> (ns since the Unix epoch): the venue's time for
/// a stream event, VeloZ's receive time for a REST answer or a reconciliation result, VeloZ's own time for the API's events.
/// </param>
public abstract record OrderEvent(long TsNs)
{
    /// <summary>
    /// The venue's time of the report this event came from (Binance <c>E</c>, <c>transactTime</c> or <c>updateTime</c>;
    /// ns since the Unix epoch); null when the venue gave none or VeloZ made the event itself.
    /// </summary>
    public long? VenueTsNs { get; init; }

    /// <summary>When VeloZ received the report this event came from (ns since the Unix epoch); null for VeloZ's own events.</summary>
    public long? ReceivedTsNs { get; init; }
}

/// <summary>The venue accepted the order (REST answer with status <c>NEW</c>, or the ack part of a FULL answer).</summary>
/// <param name="TsNs">Event time.</param>
/// <param name="VenueOrderId">The venue's order id (Binance <c>orderId</c>).</param>
public sealed record OrderAcknowledged(long TsNs, string VenueOrderId) : OrderEvent(TsNs);

/// <summary>The venue refused to place the order (e.g. <c>-2010</c>).</summary>
/// <param name="TsNs">Event time.</param>
/// <param name="Code">The venue's error code, when it gave one.</param>
/// <param name="Reason">The venue's message.</param>
public sealed record OrderRejected(long TsNs, int? Code, string Reason) : OrderEvent(TsNs);

/// <summary>
/// Reconciliation proved the venue never got the order (a query answered <c>-2013</c> "Order does not
/// exist."; Binance Spot API docs, errors.md -2013). Only meaningful while the order is PENDING.
/// </summary>
/// <param name="TsNs">Event time.</param>
/// <param name="Reason">What reconciliation saw, e.g. <c>-2013: Order does not exist.</c>.</param>
public sealed record OrderNotPlaced(long TsNs, string Reason) : OrderEvent(TsNs);

/// <summary>One trade of the order, from any source.</summary>
/// <param name="TsNs">Event time.</param>
/// <param name="VenueOrderId">The venue's order id, when the source carries it.</param>
/// <param name="Fill">The trade.</param>
public sealed record OrderFilled(long TsNs, string? VenueOrderId, OrderFill Fill) : OrderEvent(TsNs);

/// <summary>
/// The venue's view of the order: an executionReport, a REST order answer, an order query or an
/// <c>openOrders</c> entry. Its cumulative figures are the venue's at that moment; a report may be older
/// than what VeloZ already knows.
/// </summary>
/// <param name="TsNs">Event time.</param>
/// <param name="VenueOrderId">The venue's order id, when the source carries it.</param>
/// <param name="Status">The venue's status, mapped with <see cref="BinanceOrderStatus.TryMap"/>.</param>
/// <param name="ExecutedQty">Cumulative executed quantity (Binance <c>z</c> / <c>executedQty</c>).</param>
/// <param name="CumQuote">Cumulative quote quantity (Binance <c>Z</c> / <c>cummulativeQuoteQty</c>).</param>
/// <param name="Reason">Reject or expiry reason (Binance <c>r</c> / <c>eR</c>), used for REJECTED and EXPIRED.</param>
public sealed record VenueOrderReport(long TsNs, string? VenueOrderId, OrderStatus Status, decimal ExecutedQty, decimal CumQuote, string? Reason) : OrderEvent(TsNs);

/// <summary>VeloZ asked the venue to cancel the order. The status only becomes CANCELLED when the venue says so.</summary>
/// <param name="TsNs">Event time.</param>
public sealed record CancelRequested(long TsNs) : OrderEvent(TsNs);
