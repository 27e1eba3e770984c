using VeloZ.Domain.Orders;
using VeloZ.Functions.Http;

namespace VeloZ.Functions.Endpoints;

/// <summary>Turns stored orders into the contract's OrderState body.</summary>
internal static class OrderViews
{
    public static OrderStateResponse ToResponse(this OrderState s) => new(
        s.ClientOrderId,
        s.Symbol,
        s.Side.ToWire(),
        s.OrderQty,
        s.LimitPrice,
        s.VenueOrderId,
        s.Status.ToWire(),
        s.Reason,
        s.ExecutedQty,
        s.AvgPrice,
        s.LastTsNs);
}
