namespace VeloZ.Domain.Orders;

/// <summary>
/// The outcome of applying one event: the new state and what to publish. Emit one <c>order_update</c>
/// when <see cref="StatusChanged"/>, one <c>fill</c> per entry of <see cref="NewFills"/>, and store the state
/// when <see cref="Changed"/>; count and log <see cref="Anomaly"/> when it is set.
/// </summary>
/// <param name="State">The state after the event (the same instance when nothing changed).</param>
/// <param name="StatusChanged">True exactly when the status differs from before.</param>
/// <param name="NewFills">Trades this event added (duplicates of known trades are not in it).</param>
/// <param name="Anomaly">
/// Set when the event did not fit the normal flow. The state may still have absorbed facts from it (a fill
/// on a REJECTED order is recorded) or may be unchanged (a rejection after acceptance is refused).
/// </param>
public sealed record OrderTransition(OrderState State, bool StatusChanged, IReadOnlyList<OrderFill> NewFills, string? Anomaly)
{
    /// <summary>True when a field other than the status and the fills changed: venue id, cumulative figures, reason, cancel flag.</summary>
    public bool OtherFieldsChanged { get; init; }

    /// <summary>True when the state differs from before in any way, so it must be stored.</summary>
    public bool Changed => StatusChanged || NewFills.Count > 0 || OtherFieldsChanged;
}
