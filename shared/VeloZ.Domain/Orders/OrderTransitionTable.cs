namespace VeloZ.Domain.Orders;

/// <summary>The kinds of event the transition table has a column for; a venue report is one column per reported status.</summary>
internal enum OrderEventKind
{
    Acknowledged,
    Rejected,
    NotPlaced,
    Filled,
    ReportPending,
    ReportAccepted,
    ReportPartiallyFilled,
    ReportFilled,
    ReportCancelled,
    ReportRejected,
    ReportExpired,
    CancelRequested,
}

/// <summary>What a table cell does with the status; facts (venue id, fills, cumulative figures, cancel flag) are merged unless refused.</summary>
internal enum CellAction
{
    /// <summary>Merge the event's facts and move to the cell's target status.</summary>
    MoveTo,

    /// <summary>Merge the event's facts and keep the status.</summary>
    Stay,

    /// <summary>Change nothing; the event is an anomaly.</summary>
    Refuse,
}

/// <summary>One cell of the table: the action, its target status (for <see cref="CellAction.MoveTo"/>) and, when the cell is not the normal flow, why.</summary>
internal readonly record struct TransitionCell(CellAction Action, OrderStatus Target, string? Anomaly);

/// <summary>
/// The order transition table, one line per (status, event) cell: 7 statuses × 12 event kinds = 84 cells.
/// <see cref="OrderStateMachine"/> documents the rules around it (validation, deduplication, the quantity rule).
/// </summary>
internal static class OrderTransitionTable
{
    private const string RejectedAfterAccept = "the venue had already accepted the order; ignored";
    private const string NotPlacedAfterAccept = "the venue had already accepted the order; ignored";
    private const string RejectedAgain = "the order is already REJECTED; ignored";
    private const string NotPlacedTooLate = "only a PENDING order can be found not placed; ignored";
    private const string FinalToFinal = "a final status never changes to another final status; status kept, facts merged";
    private const string RejectedAfterLive = "the venue reports REJECTED for an order it had accepted; following the venue";
    private const string FilledShort = "the venue reports FILLED but the executed quantity does not complete the order; status kept";
    private const string LiveButRejected = "the venue reports a live order that VeloZ holds as REJECTED; status kept, facts merged";
    private const string AckAfterRejected = "the venue acknowledged an order that VeloZ holds as REJECTED; venue id recorded, status kept";
    private const string FillAfterRejected = "a trade for an order that VeloZ holds as REJECTED; the fill is recorded, status kept";

    private static TransitionCell Move(OrderStatus to, string? anomaly = null) => new(CellAction.MoveTo, to, anomaly);

    private static TransitionCell Stay(string? anomaly = null) => new(CellAction.Stay, default, anomaly);

    private static TransitionCell Refuse(string anomaly) => new(CellAction.Refuse, default, anomaly);

    /// <summary>The table rows, grouped by current status, in the column order of <see cref="OrderEventKind"/>.</summary>
    internal static IReadOnlyList<(OrderStatus From, OrderEventKind On, TransitionCell Then)> Rows { get; } =
    [
        // PENDING: the row is written, the venue has not answered (or its answer was lost).
        (OrderStatus.Pending, OrderEventKind.Acknowledged, Move(OrderStatus.Accepted)),
        (OrderStatus.Pending, OrderEventKind.Rejected, Move(OrderStatus.Rejected)),
        (OrderStatus.Pending, OrderEventKind.NotPlaced, Move(OrderStatus.Rejected)),
        (OrderStatus.Pending, OrderEventKind.Filled, Move(OrderStatus.PartiallyFilled)),        // fill before the REST ack
        (OrderStatus.Pending, OrderEventKind.ReportPending, Stay()),                            // PENDING_NEW: venue id only
        (OrderStatus.Pending, OrderEventKind.ReportAccepted, Move(OrderStatus.Accepted)),
        (OrderStatus.Pending, OrderEventKind.ReportPartiallyFilled, Move(OrderStatus.PartiallyFilled)),
        (OrderStatus.Pending, OrderEventKind.ReportFilled, Move(OrderStatus.Filled)),
        (OrderStatus.Pending, OrderEventKind.ReportCancelled, Move(OrderStatus.Cancelled)),
        (OrderStatus.Pending, OrderEventKind.ReportRejected, Move(OrderStatus.Rejected)),
        (OrderStatus.Pending, OrderEventKind.ReportExpired, Move(OrderStatus.Expired)),
        (OrderStatus.Pending, OrderEventKind.CancelRequested, Stay()),

        // ACCEPTED: on the book, nothing executed.
        (OrderStatus.Accepted, OrderEventKind.Acknowledged, Stay()),                            // same ack from another source
        (OrderStatus.Accepted, OrderEventKind.Rejected, Refuse(RejectedAfterAccept)),
        (OrderStatus.Accepted, OrderEventKind.NotPlaced, Refuse(NotPlacedAfterAccept)),
        (OrderStatus.Accepted, OrderEventKind.Filled, Move(OrderStatus.PartiallyFilled)),
        (OrderStatus.Accepted, OrderEventKind.ReportPending, Stay()),                           // stale
        (OrderStatus.Accepted, OrderEventKind.ReportAccepted, Stay()),
        (OrderStatus.Accepted, OrderEventKind.ReportPartiallyFilled, Move(OrderStatus.PartiallyFilled)),
        (OrderStatus.Accepted, OrderEventKind.ReportFilled, Move(OrderStatus.Filled)),
        (OrderStatus.Accepted, OrderEventKind.ReportCancelled, Move(OrderStatus.Cancelled)),
        (OrderStatus.Accepted, OrderEventKind.ReportRejected, Move(OrderStatus.Rejected, RejectedAfterLive)),
        (OrderStatus.Accepted, OrderEventKind.ReportExpired, Move(OrderStatus.Expired)),
        (OrderStatus.Accepted, OrderEventKind.CancelRequested, Stay()),

        // PARTIALLY_FILLED: some quantity executed, the rest working.
        (OrderStatus.PartiallyFilled, OrderEventKind.Acknowledged, Stay()),                     // late ack: venue id only
        (OrderStatus.PartiallyFilled, OrderEventKind.Rejected, Refuse(RejectedAfterAccept)),
        (OrderStatus.PartiallyFilled, OrderEventKind.NotPlaced, Refuse(NotPlacedAfterAccept)),
        (OrderStatus.PartiallyFilled, OrderEventKind.Filled, Stay()),                           // FILLED by the quantity rule
        (OrderStatus.PartiallyFilled, OrderEventKind.ReportPending, Stay()),                    // stale
        (OrderStatus.PartiallyFilled, OrderEventKind.ReportAccepted, Stay()),                   // stale
        (OrderStatus.PartiallyFilled, OrderEventKind.ReportPartiallyFilled, Stay()),
        (OrderStatus.PartiallyFilled, OrderEventKind.ReportFilled, Move(OrderStatus.Filled)),
        (OrderStatus.PartiallyFilled, OrderEventKind.ReportCancelled, Move(OrderStatus.Cancelled)),
        (OrderStatus.PartiallyFilled, OrderEventKind.ReportRejected, Move(OrderStatus.Rejected, RejectedAfterLive)),
        (OrderStatus.PartiallyFilled, OrderEventKind.ReportExpired, Move(OrderStatus.Expired)),
        (OrderStatus.PartiallyFilled, OrderEventKind.CancelRequested, Stay()),

        // FILLED: final. Late acks, stale reports and trade details arriving after the venue's FILLED are normal.
        (OrderStatus.Filled, OrderEventKind.Acknowledged, Stay()),                              // late ack never overwrites FILLED
        (OrderStatus.Filled, OrderEventKind.Rejected, Refuse(RejectedAfterAccept)),
        (OrderStatus.Filled, OrderEventKind.NotPlaced, Refuse(NotPlacedAfterAccept)),
        (OrderStatus.Filled, OrderEventKind.Filled, Stay()),
        (OrderStatus.Filled, OrderEventKind.ReportPending, Stay()),
        (OrderStatus.Filled, OrderEventKind.ReportAccepted, Stay()),
        (OrderStatus.Filled, OrderEventKind.ReportPartiallyFilled, Stay()),
        (OrderStatus.Filled, OrderEventKind.ReportFilled, Stay()),
        (OrderStatus.Filled, OrderEventKind.ReportCancelled, Stay(FinalToFinal)),
        (OrderStatus.Filled, OrderEventKind.ReportRejected, Stay(FinalToFinal)),
        (OrderStatus.Filled, OrderEventKind.ReportExpired, Stay(FinalToFinal)),
        (OrderStatus.Filled, OrderEventKind.CancelRequested, Stay()),                           // a cancel that came too late

        // CANCELLED: final. A trade that happened before the cancel may arrive after it.
        (OrderStatus.Cancelled, OrderEventKind.Acknowledged, Stay()),
        (OrderStatus.Cancelled, OrderEventKind.Rejected, Refuse(RejectedAfterAccept)),
        (OrderStatus.Cancelled, OrderEventKind.NotPlaced, Refuse(NotPlacedAfterAccept)),
        (OrderStatus.Cancelled, OrderEventKind.Filled, Stay()),                                 // late fill; FILLED if it completes
        (OrderStatus.Cancelled, OrderEventKind.ReportPending, Stay()),                          // stale snapshot
        (OrderStatus.Cancelled, OrderEventKind.ReportAccepted, Stay()),
        (OrderStatus.Cancelled, OrderEventKind.ReportPartiallyFilled, Stay()),
        (OrderStatus.Cancelled, OrderEventKind.ReportFilled, Stay(FilledShort)),                // FILLED if its quantity completes
        (OrderStatus.Cancelled, OrderEventKind.ReportCancelled, Stay()),
        (OrderStatus.Cancelled, OrderEventKind.ReportRejected, Stay(FinalToFinal)),
        (OrderStatus.Cancelled, OrderEventKind.ReportExpired, Stay(FinalToFinal)),
        (OrderStatus.Cancelled, OrderEventKind.CancelRequested, Stay()),

        // REJECTED: final. The venue said no, or reconciliation found the order was never placed.
        (OrderStatus.Rejected, OrderEventKind.Acknowledged, Stay(AckAfterRejected)),
        (OrderStatus.Rejected, OrderEventKind.Rejected, Refuse(RejectedAgain)),
        (OrderStatus.Rejected, OrderEventKind.NotPlaced, Refuse(NotPlacedTooLate)),
        (OrderStatus.Rejected, OrderEventKind.Filled, Stay(FillAfterRejected)),                 // fills are facts
        (OrderStatus.Rejected, OrderEventKind.ReportPending, Stay(LiveButRejected)),
        (OrderStatus.Rejected, OrderEventKind.ReportAccepted, Stay(LiveButRejected)),
        (OrderStatus.Rejected, OrderEventKind.ReportPartiallyFilled, Stay(LiveButRejected)),
        (OrderStatus.Rejected, OrderEventKind.ReportFilled, Stay(FilledShort)),
        (OrderStatus.Rejected, OrderEventKind.ReportCancelled, Stay(FinalToFinal)),
        (OrderStatus.Rejected, OrderEventKind.ReportRejected, Stay()),
        (OrderStatus.Rejected, OrderEventKind.ReportExpired, Stay(FinalToFinal)),
        (OrderStatus.Rejected, OrderEventKind.CancelRequested, Stay()),

        // EXPIRED: final (time in force, exchange, or EXPIRED_IN_MATCH). Late fills as for CANCELLED.
        (OrderStatus.Expired, OrderEventKind.Acknowledged, Stay()),
        (OrderStatus.Expired, OrderEventKind.Rejected, Refuse(RejectedAfterAccept)),
        (OrderStatus.Expired, OrderEventKind.NotPlaced, Refuse(NotPlacedAfterAccept)),
        (OrderStatus.Expired, OrderEventKind.Filled, Stay()),
        (OrderStatus.Expired, OrderEventKind.ReportPending, Stay()),
        (OrderStatus.Expired, OrderEventKind.ReportAccepted, Stay()),
        (OrderStatus.Expired, OrderEventKind.ReportPartiallyFilled, Stay()),
        (OrderStatus.Expired, OrderEventKind.ReportFilled, Stay(FilledShort)),
        (OrderStatus.Expired, OrderEventKind.ReportCancelled, Stay(FinalToFinal)),
        (OrderStatus.Expired, OrderEventKind.ReportRejected, Stay(FinalToFinal)),
        (OrderStatus.Expired, OrderEventKind.ReportExpired, Stay()),
        (OrderStatus.Expired, OrderEventKind.CancelRequested, Stay()),
    ];

    private static readonly Dictionary<(OrderStatus, OrderEventKind), TransitionCell> s_cells =
        Rows.ToDictionary(r => (r.From, r.On), r => r.Then);

    /// <summary>The cell for (<paramref name="from"/>, <paramref name="on"/>); false only for a status outside the enum.</summary>
    internal static bool TryGet(OrderStatus from, OrderEventKind on, out TransitionCell cell) =>
        s_cells.TryGetValue((from, on), out cell);
}
