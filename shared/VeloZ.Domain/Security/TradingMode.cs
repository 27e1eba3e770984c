namespace VeloZ.Domain.Security;

/// <summary>
/// The trading brake, switched by an admin and kept in Table storage: in <see cref="CancelOnly"/> new
/// orders are refused before anything is stored or sent; cancels still work.
/// </summary>
public enum TradingMode
{
    /// <summary><c>normal</c>: orders and cancels.</summary>
    Normal,

    /// <summary><c>cancel_only</c>: cancels only.</summary>
    CancelOnly,
}

/// <summary>The wire words of <see cref="TradingMode"/>.</summary>
public static class TradingModes
{
    /// <summary>The accepted words.</summary>
    public static IReadOnlyList<string> Names { get; } = ["normal", "cancel_only"];

    public static string ToWire(this TradingMode mode) => mode switch
    {
        TradingMode.Normal => "normal",
        TradingMode.CancelOnly => "cancel_only",
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, null),
    };

    /// <summary>Exact, lower-case match.</summary>
    public static bool TryParse(string? text, out TradingMode mode)
    {
        switch (text)
        {
            case "normal":
                mode = TradingMode.Normal;
                return true;
            case "cancel_only":
                mode = TradingMode.CancelOnly;
                return true;
            default:
                mode = default;
                return false;
        }
    }
}
