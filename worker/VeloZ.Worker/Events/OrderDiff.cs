using VeloZ.Domain.Events;
using VeloZ.Domain.Orders;

namespace VeloZ.Worker.Events;

/// <summary>
/// The events that tell an order's changes: a new status is one <c>order_update</c>, a new trade one <c>fill</c>,
/// followed by one <c>order_state</c> snapshot. A change made in this process comes with the state machine's
/// transitions, which say what changed (<see cref="FromTransitions"/>); a change made elsewhere (the API) is
/// found by comparing the row with what was told (<see cref="Untold"/>). Either way what was told already is
/// never told again, so whichever source saw a change first, and however often it is reported, each real
/// transition is told exactly once.
/// </summary>
internal static class OrderDiff
{
    /// <summary>The events that tell what <paramref name="order"/>'s row holds and <paramref name="told"/> does not.</summary>
    public static List<GatewayEvent> Untold(OrderState order, ToldOrders told)
    {
        var events = new List<GatewayEvent>();
        foreach (var fill in order.Fills)
        {
            AddFill(order, fill, told, events);
        }

        AddStatus(order, told, events);
        return Finish(order, events);
    }

    /// <summary>
    /// The events that tell what <paramref name="transitions"/> (one order's, in the order they were applied and
    /// stored) changed: their new fills, then the status they led to if it changed; anything <paramref name="told"/>
    /// holds already (a sweep may have read the row first) is left out.
    /// </summary>
    public static List<GatewayEvent> FromTransitions(IReadOnlyList<OrderTransition> transitions, ToldOrders told)
    {
        ArgumentNullException.ThrowIfNull(transitions);
        var events = new List<GatewayEvent>();
        if (transitions.Count == 0)
        {
            return events;
        }

        var order = transitions[^1].State;
        foreach (var transition in transitions)
        {
            foreach (var fill in transition.NewFills)
            {
                AddFill(order, fill, told, events);
            }
        }

        if (transitions.Any(t => t.StatusChanged))
        {
            AddStatus(order, told, events);
        }

        return Finish(order, events);
    }

    private static void AddFill(OrderState order, OrderFill fill, ToldOrders told, List<GatewayEvent> events)
    {
        if (!told.WasFillTold(order.ClientOrderId, fill.TradeId))
        {
            events.Add(EventPayloads.Fill(order, fill));
        }
    }

    private static void AddStatus(OrderState order, ToldOrders told, List<GatewayEvent> events)
    {
        var toldStatus = told.StatusOf(order.ClientOrderId);
        // A row read before the last telling never moves the told status back.
        if (toldStatus != order.Status && !(toldStatus?.Rank() > order.Status.Rank()))
        {
            // The venue accepted the order before it filled, was cancelled or expired; when the row moved on
            // before the sequencer looked, the acceptance is still told first, as it happened.
            if ((toldStatus is null or OrderStatus.Pending) && order.VenueOrderId is not null
                && order.Status is OrderStatus.PartiallyFilled or OrderStatus.Filled or OrderStatus.Cancelled or OrderStatus.Expired)
            {
                events.Insert(0, EventPayloads.OrderUpdate(order with { Status = OrderStatus.Accepted, Reason = null }, order.LastTsNs));
            }

            events.Add(EventPayloads.OrderUpdate(order, order.LastTsNs));
        }
    }

    private static List<GatewayEvent> Finish(OrderState order, List<GatewayEvent> events)
    {
        if (events.Count > 0)
        {
            events.Add(EventPayloads.OrderStateSnapshot(order));
        }

        return events;
    }
}
