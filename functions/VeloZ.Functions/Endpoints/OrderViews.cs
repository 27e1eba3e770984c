using VeloZ.Domain.Orders;
using VeloZ.Functions.Http;

namespace VeloZ.Functions.Endpoints;

/// <summary>Turns stored orders into the contract's OrderState body (a MARKET order has a null <c>limit_price</c>; one by quote amount a null <c>order_qty</c>).</summary>
internal static class OrderViews
{
    public static OrderStateResponse ToResponse(this OrderState s) => new(
        s.ClientOrderId,
        s.Symbol,
        s.Side.ToWire(),
        s.Ticket.Qty,
        s.Ticket.Price,
        s.VenueOrderId,
        s.Status.ToWire(),
        s.Reason,
        s.ExecutedQty,
        s.AvgPrice,
        s.LastTsNs)
    {
        OrderType = s.IsSeedKind() ? null : s.Type.ToWire(),
        TimeInForce = s.IsSeedKind() ? null : s.TimeInForce?.ToWire(),
        QuoteOrderQty = s.QuoteOrderQty,
        SelfTradePrevention = s.SelfTradePrevention?.ToWire(),
    };
}
