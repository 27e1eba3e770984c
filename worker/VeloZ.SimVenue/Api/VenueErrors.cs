using VeloZ.SimVenue.Infrastructure;

namespace VeloZ.SimVenue.Api;

/// <summary>
/// The Binance error codes and messages the venue answers with, exactly as Binance's errors.md words them
/// (messages with <c>%s</c> filled in). HTTP statuses: 401 for -2014/-2015, 429 for rate limits, else 400.
/// </summary>
internal static class VenueErrors
{
    public static VenueRejection TooMuchWeight(int limit, int retryAfterSeconds) => new(429, -1003,
        $"Too much request weight used; current limit is {limit} request weight per 1 MINUTE. Please use WebSocket Streams for live updates to avoid polling the API.",
        retryAfterSeconds);

    /// <summary>
    /// The answer to every request while <see cref="SimVenueFaults.Ban"/> is active (Binance's rest-api.md "LIMITS": 418 with <c>Retry-After</c> in
    /// seconds until the ban ends; web-socket-api.md: the WebSocket API's <c>retryAfter</c> in epoch ms), or null when not banned.
    /// </summary>
    public static VenueRejection? Banned(SimVenueFaults faults, VenueClock clock)
    {
        if (faults.BannedUntil is not { } until)
        {
            return null;
        }

        var left = until - clock.TimeProvider.GetUtcNow();
        var seconds = Math.Max(1, (int)Math.Ceiling(left.TotalSeconds));
        var untilMs = (until + faults.ClockSkew).ToUnixTimeMilliseconds();
        return new VenueRejection(418, -1003,
            $"Way too much request weight used; IP banned until {untilMs.ToString(System.Globalization.CultureInfo.InvariantCulture)}. Please use WebSocket Streams for live updates to avoid bans.",
            seconds)
        {
            RetryAtMs = untilMs,
        };
    }

    public static VenueRejection UnexpectedResponse() => new(500, -1006,
        "An unexpected response was received from the message bus. Execution status unknown.");

    public static VenueRejection BackendTimeout() => new(503, -1007,
        "Timeout waiting for response from backend server. Send status unknown; execution status unknown.");

    public static VenueRejection FilterFailure(string filterType) => new(400, -1013, $"Filter failure: {filterType}");

    public static VenueRejection TooManyOrders(int limit, string interval, int retryAfterSeconds) => new(429, -1015,
        $"Too many new orders; current limit is {limit} orders per {interval}.", retryAfterSeconds);

    public static VenueRejection TimestampAhead() => new(400, -1021, "Timestamp for this request was 1000ms ahead of the server's time.");

    public static VenueRejection TimestampOutsideWindow() => new(400, -1021, "Timestamp for this request is outside of the recvWindow.");

    public static VenueRejection InvalidSignature() => new(400, -1022, "Signature for this request is not valid.");

    public static VenueRejection IllegalChars(string parameter, string legalRange) => new(400, -1100,
        $"Illegal characters found in parameter '{parameter}'; legal range is '{legalRange}'.");

    public static VenueRejection DuplicateParameter() => new(400, -1101, "Duplicate values for a parameter detected.");

    public static VenueRejection TooManyParameters() => new(400, -1101, "Too many parameters sent for this endpoint.");

    public static VenueRejection Mandatory(string parameter) => new(400, -1102,
        $"Mandatory parameter '{parameter}' was not sent, was empty/null, or malformed.");

    public static VenueRejection EitherMandatory(string first, string second) => new(400, -1102,
        $"Param '{first}' or '{second}' must be sent, but both were empty/null!");

    public static VenueRejection TooLarge(string parameter, string max) => new(400, -1102,
        $"'{parameter}' contains unexpected value. Cannot be greater than {max}.");

    public static VenueRejection Malformed() => new(400, -1102,
        "A mandatory parameter was not sent, was empty/null, or malformed.");

    public static VenueRejection TooMuchPrecision(string parameter) => new(400, -1111, $"Parameter '{parameter}' has too much precision.");

    public static VenueRejection InvalidTimeInForce() => new(400, -1115, "Invalid timeInForce.");

    public static VenueRejection InvalidOrderType() => new(400, -1116, "Invalid orderType.");

    public static VenueRejection InvalidSide() => new(400, -1117, "Invalid side.");

    public static VenueRejection InvalidSymbol() => new(400, -1121, "Invalid symbol.");

    public static VenueRejection InvalidCancelRestrictions() => new(400, -1145, "Invalid cancelRestrictions");

    public static VenueRejection NewOrderRejected(string engineMessage) => new(400, -2010, engineMessage);

    public static VenueRejection DuplicateOrder() => NewOrderRejected("Duplicate order sent.");

    public static VenueRejection InsufficientBalance() => NewOrderRejected("Account has insufficient balance for requested action.");

    public static VenueRejection UnknownOrderOnCancel() => new(400, -2011, "Unknown order sent.");

    public static VenueRejection CancelRestricted() => new(400, -2011, "Order was not canceled due to cancel restrictions.");

    public static VenueRejection NoSuchOrder() => new(400, -2013, "Order does not exist.");

    public static VenueRejection BadApiKeyFormat() => new(401, -2014, "API-key format invalid.");

    public static VenueRejection RejectedApiKey() => new(401, -2015, "Invalid API-key, IP, or permissions for action.");

    // Binance's documentation names no code for these two; the simulated venue answers as for a key without the
    // permission (-2015), which a client handles like any refused authentication.

    /// <summary><c>session.logon</c> with a key that is not Ed25519 (Binance's web-socket-api.md: Ed25519 keys only).</summary>
    public static VenueRejection LogonKeyType() => new(401, -2015, "Invalid API-key, IP, or permissions for action. session.logon requires an Ed25519 API key.");

    /// <summary><c>userDataStream.subscribe</c> on a connection that has not logged on.</summary>
    public static VenueRejection NotLoggedOn() => new(401, -2015, "Invalid API-key, IP, or permissions for action. Log on with session.logon first, or use userDataStream.subscribe.signature.");

    public static VenueRejection SubscriptionActive() => new(400, -2035, "User Data Stream subscription already active.");

    public static VenueRejection SubscriptionInactive() => new(400, -2036, "User Data Stream subscription not active.");

    public static VenueRejection ClientOrderIdMismatch() => new(400, -2039, "Client order ID is not correct for this order ID.");

    public static VenueRejection MaximumSubscriptionIds() => new(400, -2042, "Maximum subscription ID reached for this connection.");
}
