using System.Globalization;

namespace VeloZ.Domain.Numerics;

/// <summary>
/// The one place where decimals become text and back: invariant culture, never an exponent, never
/// <c>double</c>. Used for Table storage (which cannot hold <c>decimal</c>) and for Binance's string numbers.
/// </summary>
public static class DecimalText
{
    private const NumberStyles Style = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint;

    /// <summary>Invariant text without exponent; trailing zeros are kept as the value's scale has them.</summary>
    public static string Format(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>The same value without trailing fractional zeros (Binance writes 8 decimals: 42000.50000000 → 42000.5).</summary>
    public static decimal Trim(decimal value) => value / 1.0000000000000000000000000000m;

    public static bool TryParse(string? text, out decimal value) =>
        decimal.TryParse(text, Style, CultureInfo.InvariantCulture, out value);

    /// <summary>Parses text written by <see cref="Format"/> or by Binance; throws <see cref="FormatException"/> otherwise.</summary>
    public static decimal Parse(string text) =>
        TryParse(text, out var value) ? value : throw new FormatException($"Not an invariant decimal: '{text}'.");
}
