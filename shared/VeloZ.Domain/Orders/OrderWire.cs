namespace VeloZ.Domain.Orders;

/// <summary>
/// The contract's words for order statuses, sides, types, times in force and self-trade prevention modes, in one table each, so that the HTTP bodies, the
/// events and Table storage can never disagree. Binance's own status words are mapped separately, in
/// <see cref="BinanceOrderStatus"/>.
/// </summary>
public static class OrderWire
{
    /// <summary>The shape of every <c>TryParse…</c> here, for code that reads an optional word of any of these kinds.</summary>
    public delegate bool WordParser<T>(string? text, out T value);

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

    private static readonly (OrderType Value, string Name)[] s_types =
    [
        (OrderType.Limit, "LIMIT"),
        (OrderType.Market, "MARKET"),
        (OrderType.LimitMaker, "LIMIT_MAKER"),
    ];

    private static readonly (TimeInForce Value, string Name)[] s_timesInForce =
    [
        (TimeInForce.Gtc, "GTC"),
        (TimeInForce.Ioc, "IOC"),
        (TimeInForce.Fok, "FOK"),
    ];

    private static readonly (SelfTradePrevention Value, string Name)[] s_selfTradePrevention =
    [
        (SelfTradePrevention.None, "NONE"),
        (SelfTradePrevention.ExpireTaker, "EXPIRE_TAKER"),
        (SelfTradePrevention.ExpireMaker, "EXPIRE_MAKER"),
        (SelfTradePrevention.ExpireBoth, "EXPIRE_BOTH"),
        (SelfTradePrevention.Decrement, "DECREMENT"),
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

    /// <summary>The word for <paramref name="type"/>, the same in the contract and at Binance: <c>LIMIT</c>, <c>MARKET</c>, <c>LIMIT_MAKER</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a member of the enum (a programmer error).</exception>
    public static string ToWire(this OrderType type) => Find(s_types, type);

    /// <summary>Case-insensitive (ASCII), like the side; no trimming.</summary>
    public static bool TryParseType(string? text, out OrderType type) =>
        TryParse(s_types, text, StringComparison.OrdinalIgnoreCase, out type);

    /// <summary>Every order type word, in declaration order.</summary>
    public static IReadOnlyList<string> Types { get; } = [.. s_types.Select(x => x.Name)];

    /// <summary>The word for <paramref name="timeInForce"/>: <c>GTC</c>, <c>IOC</c> or <c>FOK</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a member of the enum (a programmer error).</exception>
    public static string ToWire(this TimeInForce timeInForce) => Find(s_timesInForce, timeInForce);

    /// <summary>Case-insensitive (ASCII); no trimming.</summary>
    public static bool TryParseTimeInForce(string? text, out TimeInForce timeInForce) =>
        TryParse(s_timesInForce, text, StringComparison.OrdinalIgnoreCase, out timeInForce);

    /// <summary>The word for <paramref name="mode"/>, e.g. <c>EXPIRE_TAKER</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a member of the enum (a programmer error).</exception>
    public static string ToWire(this SelfTradePrevention mode) => Find(s_selfTradePrevention, mode);

    /// <summary>Case-insensitive (ASCII); no trimming.</summary>
    public static bool TryParseSelfTradePrevention(string? text, out SelfTradePrevention mode) =>
        TryParse(s_selfTradePrevention, text, StringComparison.OrdinalIgnoreCase, out mode);

    /// <summary>Every self-trade prevention word, in declaration order.</summary>
    public static IReadOnlyList<string> SelfTradePreventionModes { get; } = [.. s_selfTradePrevention.Select(x => x.Name)];

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
