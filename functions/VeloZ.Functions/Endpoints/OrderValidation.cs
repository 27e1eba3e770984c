using System.Globalization;
using System.Text.Json;
using VeloZ.Domain.Numerics;
using VeloZ.Domain.Orders;
using VeloZ.Functions.Http;
using VeloZ.Functions.Orders;

namespace VeloZ.Functions.Endpoints;

/// <summary>
/// Validation of the order endpoints' fields, before anything reaches storage or the venue:
/// <c>side</c> BUY/SELL (any case), <c>symbol</c> a Binance symbol, <c>qty</c> and <c>price</c> positive
/// decimals (JSON numbers or numeric strings; no NaN, no infinity, no exponent overflow),
/// <c>client_order_id</c> Binance's <c>^[a-zA-Z0-9-_]{1,36}$</c>.
/// </summary>
internal static class OrderValidation
{
    /// <summary>Largest value accepted for qty or price (Binance's own number format allows 20 integer digits).</summary>
    private const decimal MaxValue = 99_999_999_999_999_999_999m;

    /// <summary>The fields of <c>POST /api/order</c>: the seed's five and the order type's.</summary>
    internal static readonly string[] OrderFields = ["side", "symbol", "qty", "price", "client_order_id", "type", "time_in_force", "quote_qty", "self_trade_prevention"];

    /// <summary>
    /// An order body: the seed's LIMIT GTC fields, plus <c>type</c> (LIMIT, MARKET or LIMIT_MAKER; default LIMIT),
    /// <c>time_in_force</c> (GTC, IOC or FOK; LIMIT only; default GTC), <c>quote_qty</c> (MARKET only, instead of
    /// <c>qty</c>) and <c>self_trade_prevention</c>. A field the body's type does not have, or a field no order has,
    /// is refused by name: a mistyped or misplaced field is never silently dropped from an order.
    /// </summary>
    public static (OrderRequest? Order, FieldError? Error) ValidateOrder(RequestBody body)
    {
        ArgumentNullException.ThrowIfNull(body);
        foreach (var name in body.Names)
        {
            if (Array.IndexOf(OrderFields, name) < 0)
            {
                return (null, new FieldError(Shown(name), $"{Shown(name)} is not a field of an order; the fields are {string.Join(", ", OrderFields)}."));
            }
        }

        if (Text(body, "side", required: true, out var sideText) is { } sideError)
        {
            return (null, sideError);
        }

        if (!OrderWire.TryParseSide(sideText!, out var side))
        {
            return (null, new FieldError("side", "side must be BUY or SELL."));
        }

        if (Symbol(body, required: true, out var symbol) is { } symbolError)
        {
            return (null, symbolError);
        }

        if (Word(body, "type", OrderWire.TryParseType, OrderType.Limit, $"type must be {string.Join(", ", OrderWire.Types)}.", out var type) is { } typeError)
        {
            return (null, typeError);
        }

        var (qty, quoteQty, price, timeInForce, termsError) = Terms(body, type);
        if (termsError is not null)
        {
            return (null, termsError);
        }

        if (Word(body, "self_trade_prevention", OrderWire.TryParseSelfTradePrevention, SelfTradePrevention.None, $"self_trade_prevention must be {string.Join(", ", OrderWire.SelfTradePreventionModes)}.", out var stp) is { } stpError)
        {
            return (null, stpError);
        }

        if (ClientOrderId(body, required: false, out var clientOrderId) is { } idError)
        {
            return (null, idError);
        }

        var given = body.TryGet("self_trade_prevention", out var stpField) && stpField.Kind != JsonValueKind.Null;
        var ticket = new OrderTicket(symbol!, side, type, qty, quoteQty, price, timeInForce, given ? stp : null);
        return (new OrderRequest(ticket, clientOrderId), null);
    }

    /// <summary>The quantity, price and time in force of an order of <paramref name="type"/>, or the field at fault.</summary>
    private static (decimal? Qty, decimal? QuoteQty, decimal? Price, TimeInForce? TimeInForce, FieldError? Error) Terms(RequestBody body, OrderType type)
    {
        var typeName = type.ToWire();
        if (type != OrderType.Market && Has(body, "quote_qty"))
        {
            return Fault(new FieldError("quote_qty", $"quote_qty belongs to MARKET orders only; a {typeName} order has qty and price."));
        }

        if (type != OrderType.Limit && Has(body, "time_in_force"))
        {
            return Fault(new FieldError("time_in_force", type == OrderType.Market
                ? "time_in_force does not belong to a MARKET order: it executes at once and what cannot execute expires."
                : "time_in_force does not belong to a LIMIT_MAKER order: it rests on the book or is rejected."));
        }

        if (type == OrderType.Market)
        {
            if (Has(body, "price"))
            {
                return Fault(new FieldError("price", "price does not belong to a MARKET order: it executes at the market's prices."));
            }

            var byQty = Has(body, "qty");
            var byQuote = Has(body, "quote_qty");
            if (byQty == byQuote)
            {
                return Fault(byQty
                    ? new FieldError("quote_qty", "A MARKET order has qty or quote_qty, not both.")
                    : new FieldError("qty", "qty (base quantity) or quote_qty (quote amount) is required for a MARKET order."));
            }

            var name = byQty ? "qty" : "quote_qty";
            return PositiveDecimal(body, name, out var amount) is { } amountError
                ? Fault(amountError)
                : (byQty ? amount : null, byQty ? null : amount, null, null, null);
        }

        if (PositiveDecimal(body, "qty", out var qty) is { } qtyError)
        {
            return Fault(qtyError);
        }

        if (PositiveDecimal(body, "price", out var price) is { } priceError)
        {
            return Fault(priceError);
        }

        if (type == OrderType.LimitMaker)
        {
            return (qty, null, price, null, null);
        }

        return Word(body, "time_in_force", OrderWire.TryParseTimeInForce, TimeInForce.Gtc, "time_in_force must be GTC, IOC or FOK.", out var timeInForce) is { } tifError
            ? Fault(tifError)
            : (qty, null, price, timeInForce, null);

        static (decimal?, decimal?, decimal?, TimeInForce?, FieldError?) Fault(FieldError error) => (null, null, null, null, error);
    }

    /// <summary>An optional enum word (any case); <paramref name="absent"/> when the field is missing or null.</summary>
    private static FieldError? Word<T>(RequestBody body, string name, OrderWire.WordParser<T> parse, T absent, string message, out T value)
    {
        value = absent;
        if (Text(body, name, required: false, out var text) is { } error)
        {
            return error;
        }

        return string.IsNullOrEmpty(text) ? null
            : parse(text, out value) ? null
            : new FieldError(name, message);
    }

    private static bool Has(RequestBody body, string name) => body.TryGet(name, out var field) && field.Kind != JsonValueKind.Null;

    /// <summary>A field name as it can be shown back: at most 40 characters of letters, digits, '_' and '-'.</summary>
    private static string Shown(string name)
    {
        var shown = new string([.. name.Take(40).Select(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' ? c : '?')]);
        return name.Length > 40 ? shown + "..." : shown;
    }

    public static (CancelRequest? Cancel, FieldError? Error) ValidateCancel(RequestBody body)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (ClientOrderId(body, required: true, out var clientOrderId) is { } idError)
        {
            return (null, idError);
        }

        if (Symbol(body, required: false, out var symbol) is { } symbolError)
        {
            return (null, symbolError);
        }

        return (new CancelRequest(clientOrderId!, symbol), null);
    }

    /// <summary>Validates a client order id given in a query string (<c>/api/order_state</c>).</summary>
    public static FieldError? ValidateClientOrderId(string? text) =>
        string.IsNullOrEmpty(text) ? new FieldError("client_order_id", "client_order_id is required.")
        : ClientOrderIds.IsValid(text) ? null
        : new FieldError("client_order_id", "client_order_id must be 1-36 characters of A-Z, a-z, 0-9, '-' or '_'.");

    /// <summary>Validates a symbol (also one given in a query string, <c>/api/symbols</c>); upper-cased when valid.</summary>
    public static FieldError? ValidateSymbol(string? text, out string? symbol)
    {
        symbol = Symbols.Normalize(text);
        return symbol is not null ? null : new FieldError("symbol", "symbol must be a Binance symbol such as BTCUSDT (1-20 letters or digits).");
    }

    private static FieldError? Text(RequestBody body, string name, bool required, out string? value)
    {
        value = null;
        if (!body.TryGet(name, out var field) || field.Kind == JsonValueKind.Null)
        {
            return required ? new FieldError(name, $"{name} is required.") : null;
        }

        if (field.Kind != JsonValueKind.String)
        {
            return new FieldError(name, $"{name} must be a string.");
        }

        value = field.Text.Trim();
        return value.Length == 0 && required ? new FieldError(name, $"{name} is required.") : null;
    }

    private static FieldError? Symbol(RequestBody body, bool required, out string? symbol)
    {
        symbol = null;
        if (Text(body, "symbol", required, out var text) is { } error)
        {
            return error;
        }

        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        return ValidateSymbol(text, out symbol);
    }

    private static FieldError? ClientOrderId(RequestBody body, bool required, out string? id)
    {
        id = null;
        if (Text(body, "client_order_id", required, out var text) is { } error)
        {
            return error;
        }

        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        id = text;
        return ValidateClientOrderId(text);
    }

    private static FieldError? PositiveDecimal(RequestBody body, string name, out decimal value)
    {
        value = 0m;
        if (!body.TryGet(name, out var field) || field.Kind == JsonValueKind.Null)
        {
            return new FieldError(name, $"{name} is required.");
        }

        if (field.Kind is not (JsonValueKind.Number or JsonValueKind.String))
        {
            return new FieldError(name, $"{name} must be a number.");
        }

        var text = field.Text.Trim();
        var styles = field.Kind == JsonValueKind.Number
            ? NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent
            : NumberStyles.AllowDecimalPoint;
        if (text.Length is 0 or > 64 || !decimal.TryParse(text, styles, CultureInfo.InvariantCulture, out value))
        {
            return new FieldError(name, $"{name} must be a plain decimal number such as 0.001.");
        }

        // Never round what the caller wrote: a quantity or price VeloZ cannot hold exactly is refused.
        if (!DecimalText.IsExactly(text, value))
        {
            return new FieldError(name, $"{name} has more digits than can be kept exactly (at most 28 significant digits, none below 10^-28).");
        }

        if (value <= 0m)
        {
            return new FieldError(name, $"{name} must be greater than 0.");
        }

        return value > MaxValue ? new FieldError(name, $"{name} is too large.") : null;
    }
}
