namespace VeloZ.SimVenue.Engine;

internal enum OrderSide
{
    Buy,
    Sell,
}

internal enum OrderType
{
    Limit,
    LimitMaker,
    Market,
}

internal enum TimeInForce
{
    Gtc,
    Ioc,
    Fok,
}

internal enum OrderStatus
{
    New,
    PartiallyFilled,
    Filled,
    Canceled,
    Expired,
}

internal enum CancelRestriction
{
    None,
    OnlyNew,
    OnlyPartiallyFilled,
}

/// <summary>Binance's wire names for the engine enums (Binance's enums.md), in one place.</summary>
internal static class EnumNames
{
    public static string Wire(this OrderSide side) => side == OrderSide.Buy ? "BUY" : "SELL";

    public static string Wire(this OrderType type) => type switch
    {
        OrderType.Limit => "LIMIT",
        OrderType.LimitMaker => "LIMIT_MAKER",
        _ => "MARKET",
    };

    public static string Wire(this TimeInForce timeInForce) => timeInForce switch
    {
        TimeInForce.Gtc => "GTC",
        TimeInForce.Ioc => "IOC",
        _ => "FOK",
    };

    public static string Wire(this OrderStatus status) => status switch
    {
        OrderStatus.New => "NEW",
        OrderStatus.PartiallyFilled => "PARTIALLY_FILLED",
        OrderStatus.Filled => "FILLED",
        OrderStatus.Canceled => "CANCELED",
        _ => "EXPIRED",
    };

    public static bool IsOpen(this OrderStatus status) => status is OrderStatus.New or OrderStatus.PartiallyFilled;
}
