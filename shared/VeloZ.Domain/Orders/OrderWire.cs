namespace VeloZ.Domain.Orders;

/// <summary>
/// The contract's words for order statuses and sides, in one table each, so that the HTTP bodies, the
/// events and Table storage can never disagree. Binance's own status words are mapped separately, in
/// <see cref="BinanceOrderStatus"/>.
/// </summary>
public static class OrderWire
{
    private static readonly (OrderStatus Value, string Name)[] s_statuses =
    [
        (OrderStatus.Pending, "PENDING"),
        (OrderStatus.Accepted, "ACCEPTED"),
        (OrderStatus.PartiallyFilled, "PARTIALLY_FILLED"),
        (OrderStatus.Filled, "FILLED"),
        (OrderStatus.Cancelled, "CANCELLED"),
        (OrderStatus.Rejected, "REJECTED"),
        (OrderStatus.Expired, "EXPIRED"),
    ];

    private static readonly (OrderSide Value, string Name)[] s_sides =
    [
        (OrderSide.Buy, "BUY"),
        (OrderSide.Sell, "SELL"),
    ];

    /// <summary>Every status word of the contract, in rank order.</summary>
    public static IReadOnlyList<string> Statuses { get; } = [.. s_statuses.Select(x => x.Name)];

    /// <summary>The contract's word for <paramref name="status"/>, e.g. <c>PARTIALLY_FILLED</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a member of the enum (a programmer error).</exception>
    public static string ToWire(this OrderStatus status) => Find(s_statuses, status);

    /// <summary>Exact, case-sensitive: the contract writes statuses in upper case and so does VeloZ's storage.</summary>
    public static bool TryParseStatus(string? wire, out OrderStatus status) =>
        TryParse(s_statuses, wire, StringComparison.Ordinal, out status);

    /// <summary>The contract's word for <paramref name="side"/>: <c>BUY</c> or <c>SELL</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a member of the enum (a programmer error).</exception>
    public static string ToWire(this OrderSide side) => Find(s_sides, side);

    /// <summary>Case-insensitive (ASCII), as the contract accepts <c>buy</c>; no trimming.</summary>
    public static bool TryParseSide(string? text, out OrderSide side) =>
        TryParse(s_sides, text, StringComparison.OrdinalIgnoreCase, out side);

    private static string Find<T>((T Value, string Name)[] table, T value)
        where T : struct, Enum
    {
        foreach (var (candidate, name) in table)
        {
            if (EqualityComparer<T>.Default.Equals(candidate, value))
            {
                return name;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(value), value, $"Not a {typeof(T).Name} value.");
    }

    private static bool TryParse<T>((T Value, string Name)[] table, string? text, StringComparison comparison, out T value)
        where T : struct, Enum
    {
        foreach (var (candidate, name) in table)
        {
            if (string.Equals(name, text, comparison))
            {
                value = candidate;
                return true;
            }
        }

        value = default;
        return false;
    }
}
