using System.Text;
using VeloZ.Domain.Numerics;

namespace VeloZ.Binance.Rest;

/// <summary>
/// Request parameters in the order they were added, encoded the way Binance's 2026 signing rule expects:
/// each name and value percent-encoded as UTF-8 (unreserved characters <c>A-Z a-z 0-9 - _ . ~</c> stay
/// literal), joined with <c>=</c> and <c>&amp;</c>. The encoded string is what is signed and what is sent.
/// Decimals are written invariant, without exponent.
/// </summary>
public sealed class BinanceParameters
{
    private readonly List<KeyValuePair<string, string>> _items = [];

    public IReadOnlyList<KeyValuePair<string, string>> Items => _items;

    public BinanceParameters Add(string name, string value)
    {
        _items.Add(new(name, value));
        return this;
    }

    /// <summary>A decimal as Binance reads it: invariant, no exponent, no trailing fractional zeros.</summary>
    public BinanceParameters Add(string name, decimal value) => Add(name, FormatDecimal(value, 0m));

    /// <summary>
    /// A price or quantity at the scale of the symbol's <paramref name="increment"/> (tick or step size): price
    /// <c>30000.10000000</c> with tick size <c>0.01</c> goes out as <c>30000.10</c>. A value off that grid is
    /// written exactly as it is (never rounded; the filters refuse it before it gets here, the venue otherwise).
    /// </summary>
    public BinanceParameters Add(string name, decimal value, decimal increment) => Add(name, FormatDecimal(value, increment));

    /// <summary>The one place a decimal becomes a Binance request parameter; <paramref name="increment"/> 0 = no grid.</summary>
    public static string FormatDecimal(decimal value, decimal increment)
    {
        var trimmed = DecimalText.Trim(value);
        if (increment <= 0m)
        {
            return DecimalText.Format(trimmed);
        }

        var scale = DecimalText.Trim(increment).Scale;
        return trimmed.Scale > scale
            ? DecimalText.Format(trimmed)
            : trimmed.ToString("F" + scale.ToString(System.Globalization.CultureInfo.InvariantCulture), System.Globalization.CultureInfo.InvariantCulture);
    }

    public BinanceParameters Add(string name, long value) => Add(name, value.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public BinanceParameters AddIfNotNull(string name, string? value) => value is null ? this : Add(name, value);

    /// <summary>The percent-encoded <c>name=value&amp;...</c> string.</summary>
    public string ToEncodedString()
    {
        var builder = new StringBuilder();
        foreach (var (name, value) in _items)
        {
            if (builder.Length > 0)
            {
                builder.Append('&');
            }

            builder.Append(Encode(name)).Append('=').Append(Encode(value));
        }

        return builder.ToString();
    }

    /// <summary>RFC 3986 percent-encoding of UTF-8 bytes, upper-case hex.</summary>
    public static string Encode(string text) => Uri.EscapeDataString(text ?? string.Empty);

    public BinanceParameters Clone()
    {
        var copy = new BinanceParameters();
        copy._items.AddRange(_items);
        return copy;
    }
}
