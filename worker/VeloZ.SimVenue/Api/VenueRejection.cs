namespace VeloZ.SimVenue.Api;

/// <summary>
/// A request the venue refuses with a Binance error (<c>{"code":…,"msg":…}</c>). Validation code throws it
/// and the transports (REST, WebSocket API) turn it into their error envelope; it never escapes the venue.
/// </summary>
internal sealed class VenueRejection : Exception
{
    public VenueRejection()
    {
    }

    public VenueRejection(string message)
        : base(message)
    {
    }

    public VenueRejection(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public VenueRejection(int httpStatus, int code, string message, int? retryAfterSeconds = null)
        : base(message)
    {
        HttpStatus = httpStatus;
        Code = code;
        RetryAfterSeconds = retryAfterSeconds;
    }

    public int HttpStatus { get; } = 400;

    public int Code { get; } = -1000;

    /// <summary>Seconds for the <c>Retry-After</c> header / <c>retryAfter</c> field (429 and 418).</summary>
    public int? RetryAfterSeconds { get; }

    /// <summary>The exact end of a ban (venue epoch ms) for the WebSocket API's <c>retryAfter</c>; null = now + <see cref="RetryAfterSeconds"/>.</summary>
    public long? RetryAtMs { get; init; }
}
