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

    /// <summary>
    /// True when <paramref name="value"/> is exactly the number <paramref name="text"/> writes (plain or with an
    /// exponent, as a JSON number may be). <c>decimal.Parse</c> rounds what it cannot hold — past 28-29
    /// significant digits, or below 10^-28 — to the nearest decimal without a word: an order for
    /// <c>0.1000000000000000000000000000001</c> would silently become one for <c>0.1</c>.
    /// </summary>
    public static bool IsExactly(string text, decimal value)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Canonical(text) is { } written && Canonical(Trim(value).ToString(CultureInfo.InvariantCulture)) is { } parsed
            && written.Digits == parsed.Digits && (written.Digits == "0" || (written.Exponent == parsed.Exponent && written.Negative == parsed.Negative));
    }

    /// <summary>The significant digits, the power of ten of the last one, and the sign; null when not a number.</summary>
    private static (string Digits, long Exponent, bool Negative)? Canonical(string text)
    {
        text = text.Trim();
        var negative = text.StartsWith('-');
        text = text.TrimStart('+', '-');
        long exponent = 0;
        var e = text.IndexOfAny(['e', 'E']);
        if (e >= 0)
        {
            if (!long.TryParse(text[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out exponent))
            {
                return null;
            }

            text = text[..e];
        }

        var point = text.IndexOf('.', StringComparison.Ordinal);
        var fraction = point >= 0 ? text[(point + 1)..] : string.Empty;
        var digits = (point >= 0 ? text[..point] : text) + fraction;
        if (digits.Length == 0 || !digits.All(char.IsAsciiDigit))
        {
            return null;
        }

        exponent -= fraction.Length;
        digits = digits.TrimStart('0');
        var trimmed = digits.TrimEnd('0');
        exponent += digits.Length - trimmed.Length;
        return trimmed.Length == 0 ? ("0", 0, false) : (trimmed, exponent, negative);
    }

    /// <summary>Parses text written by <see cref="Format"/> or by Binance; throws <see cref="FormatException"/> otherwise.</summary>
    public static decimal Parse(string text) =>
        TryParse(text, out var value) ? value : throw new FormatException($"Not an invariant decimal: '{text}'.");
}
