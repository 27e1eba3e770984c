namespace VeloZ.Domain.Orders;

/// <summary>
/// The contract's order statuses plus <see cref="Pending"/> (the venue has not answered yet, or its answer
/// was lost). Declared in rank order: a status never moves to a lower rank (see <see cref="OrderStateMachine"/>).
/// The contract's spelling lives in <see cref="OrderWire"/>, Binance's in <see cref="BinanceOrderStatus"/>.
/// </summary>
public enum OrderStatus
{
    /// <summary>Stored before the venue is called; stays so until the venue answers or reconciliation settles it.</summary>
    Pending,

    /// <summary>On the venue's book, nothing executed (Binance <c>NEW</c>).</summary>
    Accepted,

    /// <summary>Some quantity executed, the rest still working.</summary>
    PartiallyFilled,

    /// <summary>Final: the whole quantity executed.</summary>
    Filled,

    /// <summary>Final: cancelled at the venue (Binance <c>CANCELED</c>), possibly after partial fills.</summary>
    Cancelled,

    /// <summary>Final: the venue refused the order, or reconciliation proved it never reached the venue.</summary>
    Rejected,

    /// <summary>Final: expired by the venue (time in force, exchange, or self-trade prevention <c>EXPIRED_IN_MATCH</c>).</summary>
    Expired,
}
