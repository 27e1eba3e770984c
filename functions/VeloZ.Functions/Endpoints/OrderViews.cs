using VeloZ.Domain.Numerics;
using VeloZ.Domain.Orders;
using VeloZ.Functions.Http;

namespace VeloZ.Functions.Endpoints;

/// <summary>
/// Turns stored orders into the contract's OrderState body (a MARKET order has a null <c>limit_price</c>; one by quote
/// amount a null <c>order_qty</c>), and their fills into fill items.
/// </summary>
internal static class OrderViews
{
    public static OrderStateResponse ToResponse(this OrderState s) => new(
        s.ClientOrderId,
        s.Symbol,
        s.Side.ToWire(),
        s.KnownQty,
        s.KnownPrice,
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

    /// <summary>One fill of <paramref name="order"/>; numbers without trailing zeros (the venue writes 8 decimals).</summary>
    public static FillResponse ToFillResponse(this OrderState order, OrderFill fill) => new(
        order.ClientOrderId,
        order.VenueOrderId,
        order.Symbol,
        order.Side.ToWire(),
        fill.TradeId,
        DecimalText.Trim(fill.Qty),
        DecimalText.Trim(fill.Price),
        DecimalText.Trim(fill.Commission),
        fill.CommissionAsset,
        fill.TsNs);
}
