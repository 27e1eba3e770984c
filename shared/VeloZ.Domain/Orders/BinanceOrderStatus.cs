namespace VeloZ.Domain.Orders;

/// <summary>
/// The one mapping of Binance's order status strings (REST <c>status</c>, executionReport <c>X</c>;
/// Binance Spot API docs, enums.md: "Order status") to <see cref="OrderStatus"/>. Nothing else in VeloZ reads these words.
/// </summary>
public static class BinanceOrderStatus
{
    // enums.md: PENDING_CANCEL is documented as unused, so it maps to nothing: seeing it is an
    // anomaly for the caller to log, not a status. EXPIRED_IN_MATCH (self-trade prevention) is final and is
    // an expiry, never a rejection: REJECTED and EXPIRED stay distinct.
    private static readonly (string Binance, OrderStatus Status)[] s_table =
    [
        ("PENDING_NEW", OrderStatus.Pending),
        ("NEW", OrderStatus.Accepted),
        ("PARTIALLY_FILLED", OrderStatus.PartiallyFilled),
        ("FILLED", OrderStatus.Filled),
        ("CANCELED", OrderStatus.Cancelled),
        ("REJECTED", OrderStatus.Rejected),
        ("EXPIRED", OrderStatus.Expired),
        ("EXPIRED_IN_MATCH", OrderStatus.Expired),
    ];

    /// <summary>Every Binance status string that maps to a VeloZ status.</summary>
    public static IReadOnlyList<string> Known { get; } = [.. s_table.Select(x => x.Binance)];

    /// <summary>
    /// Maps Binance's status string (exact, upper case as Binance sends it). <c>PENDING_CANCEL</c>, any
    /// unknown word, and <see langword="null"/> give <see langword="false"/>.
    /// </summary>
    public static bool TryMap(string? binanceStatus, out OrderStatus status)
    {
        foreach (var (binance, mapped) in s_table)
        {
            if (string.Equals(binance, binanceStatus, StringComparison.Ordinal))
            {
                status = mapped;
                return true;
            }
        }

        status = default;
        return false;
    }
}
