namespace VeloZ.Binance.Rest;

/// <summary>What a request to Binance came to. Network and venue outcomes are values, not exceptions.</summary>
public enum BinanceOutcomeKind
{
    /// <summary>The venue accepted and answered.</summary>
    Success,

    /// <summary>The venue said no; nothing happened at the venue. Carries Binance's code and message.</summary>
    Rejected,

    /// <summary>Authentication failed (bad key format, unknown key, wrong permissions); nothing happened.</summary>
    Unauthorized,

    /// <summary>Too much weight or too many orders (HTTP 429): nothing happened; wait <c>Retry-After</c>.</summary>
    RateLimited,

    /// <summary>The IP is banned (HTTP 418): trading is halted until <c>Retry-After</c> passes.</summary>
    Banned,

    /// <summary>The venue could not be reached at all (connection refused, DNS): the request was never delivered.</summary>
    Unreachable,

    /// <summary>
    /// Not sent: the request's send-by deadline had passed before it could be signed (an order the API took too
    /// long to send). Nothing reached the venue.
    /// </summary>
    NotSent,

    /// <summary>
    /// The request may or may not have executed (5xx, -1006, -1007, timeout, connection lost after
    /// sending). Never retried blindly: the caller reconciles by asking the venue.
    /// </summary>
    Unknown,
}

/// <summary>The outcome of one request, with the parsed body on success.</summary>
public sealed record BinanceResult<T>(
    BinanceOutcomeKind Kind,
    T? Value,
    int? Code = null,
    string? Message = null,
    int HttpStatus = 0,
    TimeSpan? RetryAfter = null)
{
    public bool IsSuccess => Kind == BinanceOutcomeKind.Success;

    public BinanceResult<TOther> As<TOther>() => new(Kind, default, Code, Message, HttpStatus, RetryAfter);

    public override string ToString() => Kind == BinanceOutcomeKind.Success
        ? $"Success (HTTP {HttpStatus})"
        : $"{Kind} (HTTP {HttpStatus}, code {Code?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}: {Message})";
}

/// <summary>Factory for successful results.</summary>
public static class BinanceResult
{
    public static BinanceResult<T> Ok<T>(T value, int httpStatus) => new(BinanceOutcomeKind.Success, value, HttpStatus: httpStatus);
}
