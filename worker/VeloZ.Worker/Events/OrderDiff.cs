using VeloZ.Domain.Events;
using VeloZ.Domain.Orders;

namespace VeloZ.Worker.Events;

/// <summary>
/// The events an order row produces compared with what was told of it: a new status is one <c>order_update</c>,
/// a new trade one <c>fill</c>, followed by one <c>order_state</c> snapshot. So whichever source saw a change first,
/// and however often it is reported, each real transition is told exactly once.
/// </summary>
internal static class OrderDiff
{
    /// <summary>The events that tell what <paramref name="order"/>'s row holds and <paramref name="told"/> does not.</summary>
    public static List<GatewayEvent> Untold(OrderState order, ToldOrders told)
    {
        var events = new List<GatewayEvent>();
        foreach (var fill in order.Fills)
        {
            if (!told.WasFillTold(order.ClientOrderId, fill.TradeId))
            {
                events.Add(EventPayloads.Fill(order, fill));
            }
        }

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

        if (events.Count > 0)
        {
            events.Add(EventPayloads.OrderStateSnapshot(order));
        }

        return events;
    }
}
