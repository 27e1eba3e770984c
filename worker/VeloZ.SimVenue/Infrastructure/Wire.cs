using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace VeloZ.SimVenue.Infrastructure;

/// <summary>
/// Wire formats in one place: decimals are strings with 8 decimals (invariant, never an exponent), numbers
/// in requests follow Binance's observed pattern, client order ids Binance's id pattern (Binance's rest-api.md "New order (TRADE)").
/// </summary>
internal static partial class Wire
{
    public const string NumberPattern = @"^([0-9]{1,20})(\.[0-9]{1,20})?$";
    public const string ClientOrderIdPattern = "^[a-zA-Z0-9-_]{1,36}$";

    /// <summary>Binance's self-trade prevention modes (enums.md) the venue offers; TRANSFER (both sides must use it) is not.</summary>
    public static readonly IReadOnlyList<string> SelfTradePreventionModes = ["NONE", "EXPIRE_TAKER", "EXPIRE_MAKER", "EXPIRE_BOTH", "DECREMENT"];

    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    [GeneratedRegex(NumberPattern)]
    public static partial Regex Number();

    [GeneratedRegex(ClientOrderIdPattern)]
    public static partial Regex ClientOrderId();

    public static string Dec(decimal value) => value.ToString("F8", CultureInfo.InvariantCulture);

    public static string Json(JsonNode? node) => node?.ToJsonString(JsonOptions) ?? "null";

    /// <summary>Number of decimals that carry information (trailing zeros do not count).</summary>
    public static int SignificantDecimals(string text)
    {
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        if (dot < 0)
        {
            return 0;
        }

        var fraction = text.AsSpan(dot + 1).TrimEnd('0');
        return fraction.Length;
    }

    public static decimal ParseInvariant(string text) => decimal.Parse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
}
