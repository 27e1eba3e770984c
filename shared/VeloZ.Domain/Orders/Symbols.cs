namespace VeloZ.Domain.Orders;

/// <summary>
/// Binance symbols as VeloZ accepts them, in order bodies and in <c>VELOZ_MARKET_SYMBOL</c>: upper case,
/// 1-20 letters or decimal digits. Binance lists Unicode symbols since December 2025 (Binance Spot API CHANGELOG 2025-12-02,
/// e.g. <c>１２３４５６</c> in its own signing examples), so letters and digits of any script count; what is
/// refused is everything else: punctuation, white space, control and format characters, symbols, marks,
/// lower-case letters that have no upper-case form. Input is upper-cased first (<c>btcusdt</c> is <c>BTCUSDT</c>).
/// </summary>
public static class Symbols
{
    /// <summary>The longest symbol accepted.</summary>
    public const int MaxLength = 20;

    /// <summary>The upper-cased symbol, or null when <paramref name="text"/> is not a valid symbol.</summary>
    public static string? Normalize(string? text)
    {
        if (string.IsNullOrEmpty(text) || text.Length > MaxLength * 2)
        {
            return null;
        }

        var upper = text.ToUpperInvariant();
        var length = 0;
        for (var i = 0; i < upper.Length; i++)
        {
            var category = char.IsSurrogatePair(upper, i)
                ? System.Globalization.CharUnicodeInfo.GetUnicodeCategory(char.ConvertToUtf32(upper[i], upper[i + 1]))
                : System.Globalization.CharUnicodeInfo.GetUnicodeCategory(upper[i]);
            if (category is not (System.Globalization.UnicodeCategory.UppercaseLetter
                or System.Globalization.UnicodeCategory.OtherLetter
                or System.Globalization.UnicodeCategory.DecimalDigitNumber))
            {
                return null;
            }

            if (char.IsSurrogatePair(upper, i))
            {
                i++;
            }

            length++;
        }

        return length is >= 1 and <= MaxLength ? upper : null;
    }
}
