namespace VeloZ.Binance.Rest;

/// <summary>What a request does, as far as Binance's limits are concerned.</summary>
public enum BinanceRequestKind
{
    /// <summary>Anything that neither places nor cancels an order: counts against the request weight only.</summary>
    Other,

    /// <summary>A new order (<c>POST /api/v3/order</c>): request weight and the unfilled order count (ORDERS limits).</summary>
    NewOrder,

    /// <summary>A cancel (<c>DELETE /api/v3/order</c>, <c>DELETE /api/v3/openOrders</c>): weight 0 when it succeeds, no order count.</summary>
    Cancel,
}
