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

    public static (OrderRequest? Order, FieldError? Error) ValidateOrder(RequestBody body)
    {
        ArgumentNullException.ThrowIfNull(body);
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

        if (PositiveDecimal(body, "qty", out var qty) is { } qtyError)
        {
            return (null, qtyError);
        }

        if (PositiveDecimal(body, "price", out var price) is { } priceError)
        {
            return (null, priceError);
        }

        if (ClientOrderId(body, required: false, out var clientOrderId) is { } idError)
        {
            return (null, idError);
        }

        return (new OrderRequest(side, symbol!, qty, price, clientOrderId), null);
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
