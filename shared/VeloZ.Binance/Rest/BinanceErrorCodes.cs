namespace VeloZ.Binance.Rest;

/// <summary>
/// The one table that maps Binance's error codes (Binance Spot API docs, errors.md) and HTTP statuses to outcome kinds.
/// Rules in order: 5xx → Unknown (execution status unknown, not failure); 418 → Banned; 429 → RateLimited;
/// then the code's entry; a code not in the table with a 4xx status → Rejected.
/// </summary>
public static class BinanceErrorCodes
{
    public const int Unknown = -1000;
    public const int TooManyRequests = -1003;
    public const int UnexpectedResponse = -1006;
    public const int Timeout = -1007;
    public const int InvalidMessage = -1013;
    public const int TooManyOrders = -1015;
    public const int InvalidTimestamp = -1021;
    public const int InvalidSignature = -1022;
    public const int IllegalChars = -1100;
    public const int MandatoryParamEmptyOrMalformed = -1102;
    public const int BadPrecision = -1111;
    public const int BadSymbol = -1121;
    public const int NewOrderRejected = -2010;
    public const int CancelRejected = -2011;
    public const int NoSuchOrder = -2013;
    public const int BadApiKeyFormat = -2014;
    public const int RejectedMbxKey = -2015;
    public const int SubscriptionActive = -2035;
    public const int SubscriptionInactive = -2036;

    private static readonly Dictionary<int, BinanceOutcomeKind> s_kinds = new()
    {
        [Unknown] = BinanceOutcomeKind.Unknown,
        [UnexpectedResponse] = BinanceOutcomeKind.Unknown,
        [Timeout] = BinanceOutcomeKind.Unknown,
        [TooManyRequests] = BinanceOutcomeKind.RateLimited,
        [TooManyOrders] = BinanceOutcomeKind.RateLimited,
        [BadApiKeyFormat] = BinanceOutcomeKind.Unauthorized,
        [RejectedMbxKey] = BinanceOutcomeKind.Unauthorized,
        [InvalidSignature] = BinanceOutcomeKind.Unauthorized,
        [InvalidTimestamp] = BinanceOutcomeKind.Rejected,
        [InvalidMessage] = BinanceOutcomeKind.Rejected,
        [IllegalChars] = BinanceOutcomeKind.Rejected,
        [MandatoryParamEmptyOrMalformed] = BinanceOutcomeKind.Rejected,
        [BadPrecision] = BinanceOutcomeKind.Rejected,
        [BadSymbol] = BinanceOutcomeKind.Rejected,
        [NewOrderRejected] = BinanceOutcomeKind.Rejected,
        [CancelRejected] = BinanceOutcomeKind.Rejected,
        [NoSuchOrder] = BinanceOutcomeKind.Rejected,
    };

    /// <summary>Classifies a non-success answer.</summary>
    public static BinanceOutcomeKind Classify(int httpStatus, int? code)
    {
        if (httpStatus >= 500)
        {
            return BinanceOutcomeKind.Unknown;
        }

        if (httpStatus == 418)
        {
            return BinanceOutcomeKind.Banned;
        }

        if (httpStatus == 429)
        {
            return BinanceOutcomeKind.RateLimited;
        }

        if (code is { } c && s_kinds.TryGetValue(c, out var kind))
        {
            return kind;
        }

        return httpStatus == 401 && code is null ? BinanceOutcomeKind.Unauthorized : BinanceOutcomeKind.Rejected;
    }
}
