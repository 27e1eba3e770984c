using System.Text.Json;
using VeloZ.Domain.Orders;
using VeloZ.Domain.Security;
using VeloZ.Functions.Http;

namespace VeloZ.Functions.Security;

/// <summary><c>POST /api/admin/keys</c>.</summary>
internal sealed record NewKeyRequest(string Name, ApiScope Scope);

/// <summary><c>POST /api/admin/keys/revoke</c>.</summary>
internal sealed record RevokeKeyRequest(string KeyId);

/// <summary><c>POST /api/admin/trading_mode</c>.</summary>
internal sealed record TradingModeRequest(TradingMode Mode);

/// <summary><c>POST /api/admin/cancel_all</c>: every open order, or those of one symbol.</summary>
internal sealed record CancelAllRequest(string? Symbol);

/// <summary>
/// Validation of the admin endpoints' bodies. A key name is 1-64 characters of letters, digits, space,
/// <c>.</c>, <c>_</c> or <c>-</c>, so it is safe to print in lists and audit lines.
/// </summary>
internal static class AdminRequests
{
    public const int MaxNameLength = 64;

    public static (NewKeyRequest?, FieldError?) ValidateNewKey(RequestBody body)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (Text(body, "name") is not { } name)
        {
            return (null, new FieldError("name", "name is required: a label for the key (1-64 letters, digits, spaces, '.', '_' or '-')."));
        }

        if (name.Length > MaxNameLength || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is ' ' or '.' or '_' or '-'))
        {
            return (null, new FieldError("name", "name must be 1-64 letters, digits, spaces, '.', '_' or '-'."));
        }

        if (!ApiScopes.TryParse(Text(body, "scope"), out var scope))
        {
            return (null, new FieldError("scope", $"scope must be one of: {string.Join(", ", ApiScopes.Names)}."));
        }

        return (new NewKeyRequest(name, scope), null);
    }

    public static (RevokeKeyRequest?, FieldError?) ValidateRevoke(RequestBody body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var keyId = Text(body, "key_id");
        return ApiKeyFormat.IsKeyId(keyId)
            ? (new RevokeKeyRequest(keyId!), null)
            : (null, new FieldError("key_id", "key_id must be the 16-hex-digit id of a stored key (the bootstrap key is changed through VELOZ_ADMIN_API_KEY)."));
    }

    public static (TradingModeRequest?, FieldError?) ValidateTradingMode(RequestBody body)
    {
        ArgumentNullException.ThrowIfNull(body);
        return TradingModes.TryParse(Text(body, "mode"), out var mode)
            ? (new TradingModeRequest(mode), null)
            : (null, new FieldError("mode", $"mode must be one of: {string.Join(", ", TradingModes.Names)}."));
    }

    public static (CancelAllRequest?, FieldError?) ValidateCancelAll(RequestBody body)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (!body.TryGet("symbol", out var field) || field.Kind == JsonValueKind.Null)
        {
            return (new CancelAllRequest(null), null);
        }

        return field.Kind == JsonValueKind.String && Symbols.Normalize(field.Text.Trim()) is { } symbol
            ? (new CancelAllRequest(symbol), null)
            : (null, new FieldError("symbol", "symbol must be a Binance symbol such as BTCUSDT (1-20 letters or digits)."));
    }

    /// <summary>A string field, trimmed; null when absent, not a string, or empty.</summary>
    private static string? Text(RequestBody body, string name) =>
        body.TryGet(name, out var field) && field.Kind == JsonValueKind.String && field.Text.Trim() is { Length: > 0 } text ? text : null;
}
