namespace VeloZ.Domain.Orders;

/// <summary>
/// The order types VeloZ places (Binance Spot API, "New order": <c>type</c>). The contract's and Binance's
/// spelling is the same and lives in <see cref="OrderWire"/>.
/// </summary>
public enum OrderType
{
    /// <summary><c>LIMIT</c>: quantity and price, with a time in force (the seed's only type; the default).</summary>
    Limit,

    /// <summary><c>MARKET</c>: by base quantity or by quote amount; executes at once, what cannot execute expires.</summary>
    Market,

    /// <summary><c>LIMIT_MAKER</c>: a post-only limit order; the venue rejects it if it would take liquidity at once.</summary>
    LimitMaker,
}

/// <summary>How long a LIMIT order works (Binance <c>timeInForce</c>).</summary>
public enum TimeInForce
{
    /// <summary><c>GTC</c>: rests on the book until filled or cancelled (the default).</summary>
    Gtc,

    /// <summary><c>IOC</c>: executes what it can at once; the rest expires.</summary>
    Ioc,

    /// <summary><c>FOK</c>: executes in full at once, or expires without any execution.</summary>
    Fok,
}

/// <summary>
/// What the venue does when the order would trade against an order of the same account (Binance
/// <c>selfTradePreventionMode</c>; the taker's mode decides). Not given: the symbol's default applies.
/// </summary>
public enum SelfTradePrevention
{
    /// <summary><c>NONE</c>: no prevention.</summary>
    None,

    /// <summary><c>EXPIRE_TAKER</c>: the incoming order expires.</summary>
    ExpireTaker,

    /// <summary><c>EXPIRE_MAKER</c>: the resting order expires.</summary>
    ExpireMaker,

    /// <summary><c>EXPIRE_BOTH</c>: both orders expire.</summary>
    ExpireBoth,

    /// <summary><c>DECREMENT</c>: both orders' quantities are reduced by the quantity that would have traded.</summary>
    Decrement,
}
