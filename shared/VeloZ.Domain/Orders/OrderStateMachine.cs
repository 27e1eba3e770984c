namespace VeloZ.Domain.Orders;

/// <summary>
/// The one order state machine of VeloZ: pure, deterministic, no I/O and no clock. Every source (the REST
/// answer, the user data stream, reconciliation, the API's cancel) feeds its events through
/// <see cref="Apply"/>, so each real transition happens once, whichever source saw it first.
/// </summary>
/// <remarks>
/// <para><b>Rank.</b> PENDING (0) &lt; ACCEPTED (1) &lt; PARTIALLY_FILLED (2) &lt; final (3: FILLED, CANCELLED,
/// REJECTED, EXPIRED). The status never moves to a lower rank, and a final status never changes to another
/// final status, with one exception: <i>fills are facts</i>. When the fills (or a venue report's cumulative
/// quantity) reach the order quantity, the order is FILLED even if it was CANCELLED, EXPIRED or REJECTED
/// (a cancel that lost the race); that move is reported as an anomaly.</para>
/// <para><b>Steps of <see cref="Apply"/>.</b></para>
/// <list type="number">
/// <item>Venue data that cannot be right is refused (state unchanged, anomaly): a fill with a negative trade
/// id or a non-positive quantity or price; a report with a status outside the enum, negative figures, or
/// an executed quantity above the order quantity; an event naming a venue order id other than the one
/// known (Binance lets a client order id be reused once an order is final, so it is another order).</item>
/// <item>A fill whose trade id is known is a duplicate: no new fill, nothing else but a missing venue id is
/// taken from it; an anomaly only when its quantity or price differ from the recorded trade.</item>
/// <item>A fill that would take the fills' total above the order quantity is refused (anomaly): the venue
/// never executes more than the order quantity, so such a trade is not this order's (or the data is
/// corrupt), and executed quantity can never be taken back once counted. For a MARKET order by quote amount
/// the bound is its quote amount (Σ qty × price), and a report whose cumulative quote exceeds it is refused.</item>
/// <item>The table cell (below) for (status, event) decides: <c>→ X</c> moves to X, <c>stay</c> keeps the
/// status, <c>refuse</c> changes nothing. Unless refused, the event's facts are merged: a missing venue
/// order id is filled in, a new fill is appended, the venue's cumulative figures are raised to the report's
/// when larger (never lowered), a cancel request sets <see cref="OrderState.CancelRequested"/>.</item>
/// <item>Quantity rule: if <see cref="OrderState.ExecutedQty"/> reaches the order quantity the status is
/// FILLED (from CANCELLED/EXPIRED/REJECTED that is the exception above, an anomaly); else if something
/// executed and the status is PENDING or ACCEPTED it is PARTIALLY_FILLED. An order by quote amount has no
/// quantity to reach: it becomes FILLED only by the venue's report.</item>
/// <item>Reason: an <see cref="OrderRejected"/> sets <c>"{code}: {message}"</c>, an <see cref="OrderNotPlaced"/>
/// its reason, a REJECTED or EXPIRED report its reason (when the order enters that status, or has none yet).</item>
/// <item>If anything changed, <see cref="OrderState.LastTsNs"/> = max(LastTsNs, event time); if nothing
/// changed, the very same state instance is returned.</item>
/// </list>
/// <para><b>The table</b> (rows: current status; <c>!</c> marks a cell that reports an anomaly; R:X is a
/// <see cref="VenueOrderReport"/> with status X):</para>
/// <code>
///              | Ack    | Rejected | NotPlaced | Fill   | R:PEND | R:ACC | R:PART | R:FILL  | R:CANC  | R:REJ   | R:EXP   | CancelReq
/// PENDING      | →ACC   | →REJ     | →REJ      | →PART  | stay   | →ACC  | →PART  | →FILL   | →CANC   | →REJ    | →EXP    | stay
/// ACCEPTED     | stay   | refuse!  | refuse!   | →PART  | stay   | stay  | →PART  | →FILL   | →CANC   | →REJ!   | →EXP    | stay
/// PART_FILLED  | stay   | refuse!  | refuse!   | stay   | stay   | stay  | stay   | →FILL   | →CANC   | →REJ!   | →EXP    | stay
/// FILLED       | stay   | refuse!  | refuse!   | stay   | stay   | stay  | stay   | stay    | stay!   | stay!   | stay!   | stay
/// CANCELLED    | stay   | refuse!  | refuse!   | stay   | stay   | stay  | stay   | stay!*  | stay    | stay!   | stay!   | stay
/// REJECTED     | stay!  | refuse!  | refuse!   | stay!  | stay!  | stay! | stay!  | stay!*  | stay!   | stay    | stay!   | stay
/// EXPIRED      | stay   | refuse!  | refuse!   | stay   | stay   | stay  | stay   | stay!*  | stay!   | stay!   | stay    | stay
/// </code>
/// <para>Then the quantity rule: any <c>→PART</c>/<c>stay</c> on a live order becomes FILLED when the quantity is
/// complete; <c>*</c> a FILLED report whose quantity completes the order makes it FILLED (the exception), one
/// whose quantity falls short leaves the final status and is an anomaly. Real-world edges this covers: a fill
/// before the REST ack (PENDING × Fill); a late ack or a stale NEW report after FILLED (stay, no change); a
/// fill after a cancel request (the request changes no status); a fill that happened before a cancel but
/// arrives after CANCELLED (recorded, status kept unless it completes the order); the same trade from the
/// stream and from reconciliation (one fill).</para>
/// </remarks>
public static class OrderStateMachine
{
    private const int FinalRank = 3;

    /// <summary>Rank of a status: PENDING 0, ACCEPTED 1, PARTIALLY_FILLED 2, every final status 3.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a member of the enum.</exception>
    public static int Rank(this OrderStatus status) => status switch
    {
        OrderStatus.Pending => 0,
        OrderStatus.Accepted => 1,
        OrderStatus.PartiallyFilled => 2,
        OrderStatus.Filled or OrderStatus.Cancelled or OrderStatus.Rejected or OrderStatus.Expired => FinalRank,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Not an OrderStatus value."),
    };

    /// <summary>True for FILLED, CANCELLED, REJECTED and EXPIRED (a cancel answers <c>order_not_open</c>).</summary>
    public static bool IsFinal(this OrderStatus status) =>
        status is OrderStatus.Filled or OrderStatus.Cancelled or OrderStatus.Rejected or OrderStatus.Expired;

    /// <summary>The PENDING state of a new order, written before the venue is called.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The client order id does not fit Binance's rule, or the symbol is blank.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The side is not an enum member, or the quantity or price is not positive.</exception>
    public static OrderState New(string clientOrderId, string symbol, OrderSide side, decimal qty, decimal price, long tsNs)
    {
        CheckNew(clientOrderId, symbol, side);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(qty);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(price);
        return Pending(clientOrderId, symbol, side, qty, price, tsNs);
    }

    /// <summary>The PENDING state of a new order of any type (<see cref="OrderTicket"/>), written before the venue is called.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The ticket is not one of the shapes an order can have, or the client order id or symbol is not valid.</exception>
    public static OrderState New(string clientOrderId, OrderTicket ticket, long tsNs)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        if (ticket.Problem() is { } problem)
        {
            throw new ArgumentException($"Not an order: {problem}.", nameof(ticket));
        }

        // The ticket's own check covers its quantities and price. A MARKET order is stored with price 0, and one by
        // quote amount with quantity 0 until the venue executes it.
        CheckNew(clientOrderId, ticket.Symbol, ticket.Side);
        return Pending(clientOrderId, ticket.Symbol, ticket.Side, ticket.Qty ?? 0m, ticket.Price ?? 0m, tsNs) with
        {
            Type = ticket.Type,
            TimeInForce = ticket.TimeInForce,
            QuoteOrderQty = ticket.QuoteQty,
            SelfTradePrevention = ticket.SelfTradePrevention,
        };
    }

    private static void CheckNew(string clientOrderId, string symbol, OrderSide side)
    {
        ArgumentNullException.ThrowIfNull(clientOrderId);
        if (!ClientOrderIds.IsValid(clientOrderId))
        {
            throw new ArgumentException($"Client order id must match ^[a-zA-Z0-9-_]{{1,36}}$: '{clientOrderId}'.", nameof(clientOrderId));
        }

        ArgumentException.ThrowIfNullOrWhiteSpace(symbol);
        if (!Enum.IsDefined(side))
        {
            throw new ArgumentOutOfRangeException(nameof(side), side, "Not an OrderSide value.");
        }
    }

    private static OrderState Pending(string clientOrderId, string symbol, OrderSide side, decimal qty, decimal price, long tsNs) => new(
        clientOrderId, symbol, side, qty, price,
        VenueOrderId: null, OrderStatus.Pending, Reason: null, Fills: [],
        VenueExecutedQty: 0m, VenueCumQuote: 0m, CreatedTsNs: tsNs, LastTsNs: tsNs, CancelRequested: false);

    /// <summary>
    /// Applies one event to a state and says what changed. Pure and deterministic; never throws for venue
    /// data: what does not fit the rules comes back as <see cref="OrderTransition.Anomaly"/>.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="state"/>, <paramref name="e"/> or a fill event's fill is null.</exception>
    public static OrderTransition Apply(OrderState state, OrderEvent e)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(e);
        if (e is OrderFilled { Fill: null })
        {
            throw new ArgumentNullException(nameof(e), "OrderFilled.Fill is null.");
        }

        if (!TryClassify(e, out var kind))
        {
            return Unchanged(state, $"{e.GetType().Name} is not an order event VeloZ knows; ignored");
        }

        if (Invalid(state, e) is { } invalid)
        {
            return Unchanged(state, $"{Describe(e)} on {StatusText(state.Status)}: {invalid}; ignored");
        }

        var venueOrderId = state.VenueOrderId ?? NonEmpty(VenueOrderIdOf(e));

        if (e is OrderFilled duplicate && Find(state.Fills, duplicate.Fill.TradeId) is { } known)
        {
            // The same trade from a second source (stream, then the REST answer or myTrades): one fill only.
            var differs = known.Qty != duplicate.Fill.Qty || known.Price != duplicate.Fill.Price
                ? $"{Describe(e)} on {StatusText(state.Status)}: the trade is known as {known.Qty} @ {known.Price}; the first copy is kept"
                : null;
            return Finish(state, state with { VenueOrderId = venueOrderId }, [], differs, e.TsNs);
        }

        if (e is OrderFilled byQuote && state.QuoteOrderQty is { } quoteQty && state.FilledQuote + (byQuote.Fill.Qty * byQuote.Fill.Price) > quoteQty)
        {
            return Unchanged(
                state,
                $"{Describe(e)} on {StatusText(state.Status)}: fills would exchange {state.FilledQuote + (byQuote.Fill.Qty * byQuote.Fill.Price)} of an order for {quoteQty}; ignored");
        }

        if (e is OrderFilled over && !state.IsByQuote && state.FilledQty + over.Fill.Qty > state.OrderQty)
        {
            return Unchanged(
                state,
                $"{Describe(e)} on {StatusText(state.Status)}: fills would reach {state.FilledQty + over.Fill.Qty} of an order of {state.OrderQty}; ignored");
        }

        if (!OrderTransitionTable.TryGet(state.Status, kind, out var cell))
        {
            return Unchanged(state, $"{Describe(e)} on {StatusText(state.Status)}: no transition in the table; ignored");
        }

        string? anomaly = cell.Anomaly is null ? null : $"{Describe(e)} on {StatusText(state.Status)}: {cell.Anomaly}";
        if (cell.Action == CellAction.Refuse)
        {
            return Unchanged(state, anomaly);
        }

        // Merge the event's facts.
        var fills = state.Fills;
        IReadOnlyList<OrderFill> newFills = [];
        var venueExecuted = state.VenueExecutedQty;
        var venueCumQuote = state.VenueCumQuote;
        switch (e)
        {
            case OrderFilled filled:
                fills = [.. state.Fills, filled.Fill];
                newFills = [filled.Fill];
                break;
            case VenueOrderReport report:
                venueExecuted = Math.Max(venueExecuted, report.ExecutedQty);
                venueCumQuote = Math.Max(venueCumQuote, report.CumQuote);
                break;
        }

        var next = state with
        {
            VenueOrderId = venueOrderId,
            Fills = fills,
            VenueExecutedQty = venueExecuted,
            VenueCumQuote = venueCumQuote,
            CancelRequested = state.CancelRequested || e is CancelRequested,
            Status = cell.Action == CellAction.MoveTo ? cell.Target : state.Status,
        };

        // Quantity rule: fills are facts.
        // An order by quote amount has no quantity to complete: only the venue's report makes it FILLED.
        var executed = next.ExecutedQty;
        if (!next.IsByQuote && executed >= next.OrderQty && next.Status != OrderStatus.Filled)
        {
            if (next.Status.IsFinal())
            {
                anomaly = $"{Describe(e)} on {StatusText(state.Status)}: executed {executed} completes the order of {next.OrderQty}; "
                    + $"{StatusText(next.Status)} becomes FILLED (fills are facts: the cancel, expiry or rejection lost the race)";
            }

            next = next with { Status = OrderStatus.Filled };
        }
        else if (executed > 0m && next.Status is OrderStatus.Pending or OrderStatus.Accepted)
        {
            next = next with { Status = OrderStatus.PartiallyFilled };
        }

        if (e is VenueOrderReport { Status: OrderStatus.Filled } filledReport
            && !next.IsByQuote
            && filledReport.ExecutedQty < next.OrderQty
            && cell.Action == CellAction.MoveTo)
        {
            // Binance's FILLED always carries z == q; following the venue's status, but saying so.
            anomaly = Join(anomaly, $"{Describe(e)}: FILLED reported with executed {filledReport.ExecutedQty} of {next.OrderQty}");
        }

        return Finish(state, next with { Reason = ReasonAfter(state, next.Status, e) }, newFills, anomaly, e.TsNs);
    }

    /// <summary>The contract's reason text for a venue rejection: <c>"-2010: Account has insufficient balance…"</c>.</summary>
    internal static string RejectionReason(int? code, string? message) => (code, string.IsNullOrWhiteSpace(message)) switch
    {
        (null, true) => "rejected",
        (null, false) => message!,
        (_, true) => code.Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
        (_, false) => $"{code.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)}: {message}",
    };

    /// <summary>The table column of an event; false for an event type VeloZ does not know.</summary>
    internal static bool TryClassify(OrderEvent e, out OrderEventKind kind)
    {
        OrderEventKind? found = e switch
        {
            OrderAcknowledged => OrderEventKind.Acknowledged,
            OrderRejected => OrderEventKind.Rejected,
            OrderNotPlaced => OrderEventKind.NotPlaced,
            OrderFilled => OrderEventKind.Filled,
            CancelRequested => OrderEventKind.CancelRequested,
            VenueOrderReport r => r.Status switch
            {
                OrderStatus.Pending => OrderEventKind.ReportPending,
                OrderStatus.Accepted => OrderEventKind.ReportAccepted,
                OrderStatus.PartiallyFilled => OrderEventKind.ReportPartiallyFilled,
                OrderStatus.Filled => OrderEventKind.ReportFilled,
                OrderStatus.Cancelled => OrderEventKind.ReportCancelled,
                OrderStatus.Rejected => OrderEventKind.ReportRejected,
                OrderStatus.Expired => OrderEventKind.ReportExpired,
                _ => null,
            },
            _ => null,
        };

        kind = found.GetValueOrDefault();
        return found.HasValue;
    }

    private static string? Invalid(OrderState state, OrderEvent e)
    {
        switch (e)
        {
            case OrderFilled { Fill: var fill }:
                if (fill.TradeId < 0)
                {
                    return $"trade id {fill.TradeId} is not a trade";
                }

                if (fill.Qty <= 0m || fill.Price <= 0m)
                {
                    return $"a trade of {fill.Qty} @ {fill.Price} cannot be";
                }

                break;
            case VenueOrderReport report:
                if (!Enum.IsDefined(report.Status))
                {
                    return $"status {(int)report.Status} is not an OrderStatus";
                }

                if (report.ExecutedQty < 0m || report.CumQuote < 0m)
                {
                    return $"negative cumulative figures ({report.ExecutedQty}, {report.CumQuote})";
                }

                if (state.QuoteOrderQty is { } quoteQty)
                {
                    if (report.CumQuote > quoteQty)
                    {
                        return $"quote executed {report.CumQuote} exceeds the order's quote quantity {quoteQty}";
                    }
                }
                else if (report.ExecutedQty > state.OrderQty)
                {
                    return $"executed {report.ExecutedQty} exceeds the order quantity {state.OrderQty}";
                }

                break;
        }

        var eventVenueId = NonEmpty(VenueOrderIdOf(e));
        if (eventVenueId is not null && state.VenueOrderId is not null && !string.Equals(eventVenueId, state.VenueOrderId, StringComparison.Ordinal))
        {
            return $"venue order {eventVenueId} is not this order's venue order {state.VenueOrderId}";
        }

        return null;
    }

    private static string? ReasonAfter(OrderState before, OrderStatus status, OrderEvent e) => e switch
    {
        OrderRejected rejected when status == OrderStatus.Rejected && before.Status != OrderStatus.Rejected =>
            RejectionReason(rejected.Code, rejected.Reason),
        OrderNotPlaced notPlaced when status == OrderStatus.Rejected && before.Status != OrderStatus.Rejected =>
            string.IsNullOrWhiteSpace(notPlaced.Reason) ? "not placed" : notPlaced.Reason,
        VenueOrderReport { Status: OrderStatus.Rejected or OrderStatus.Expired } report
            when status == report.Status && !string.IsNullOrWhiteSpace(report.Reason)
                && (before.Status != status || before.Reason is null) => report.Reason,
        _ => before.Reason,
    };

    private static OrderTransition Finish(OrderState before, OrderState next, IReadOnlyList<OrderFill> newFills, string? anomaly, long tsNs)
    {
        var statusChanged = next.Status != before.Status;
        var otherChanged = !string.Equals(next.VenueOrderId, before.VenueOrderId, StringComparison.Ordinal)
            || !string.Equals(next.Reason, before.Reason, StringComparison.Ordinal)
            || next.VenueExecutedQty != before.VenueExecutedQty
            || next.VenueCumQuote != before.VenueCumQuote
            || next.CancelRequested != before.CancelRequested;

        if (!statusChanged && !otherChanged && newFills.Count == 0)
        {
            return Unchanged(before, anomaly);
        }

        return new OrderTransition(next with { LastTsNs = Math.Max(before.LastTsNs, tsNs) }, statusChanged, newFills, anomaly)
        {
            OtherFieldsChanged = otherChanged,
        };
    }

    private static OrderTransition Unchanged(OrderState state, string? anomaly) => new(state, StatusChanged: false, NewFills: [], anomaly);

    private static OrderFill? Find(IReadOnlyList<OrderFill> fills, long tradeId)
    {
        foreach (var fill in fills)
        {
            if (fill.TradeId == tradeId)
            {
                return fill;
            }
        }

        return null;
    }

    private static string? VenueOrderIdOf(OrderEvent e) => e switch
    {
        OrderAcknowledged ack => ack.VenueOrderId,
        OrderFilled filled => filled.VenueOrderId,
        VenueOrderReport report => report.VenueOrderId,
        _ => null,
    };

    private static string? NonEmpty(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;

    private static string? Join(string? first, string second) => first is null ? second : $"{first}; {second}";

    private static string StatusText(OrderStatus status) => Enum.IsDefined(status) ? status.ToWire() : $"status {(int)status}";

    private static string Describe(OrderEvent e) => e switch
    {
        OrderAcknowledged ack => $"ack (venue order {ack.VenueOrderId})",
        OrderRejected rejected => $"rejection ({RejectionReason(rejected.Code, rejected.Reason)})",
        OrderNotPlaced => "not placed",
        OrderFilled filled => $"fill (trade {filled.Fill.TradeId}, {filled.Fill.Qty} @ {filled.Fill.Price})",
        VenueOrderReport report => $"venue report {StatusText(report.Status)} (executed {report.ExecutedQty})",
        CancelRequested => "cancel request",
        _ => e.GetType().Name,
    };
}
