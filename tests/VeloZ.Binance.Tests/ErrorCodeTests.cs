using VeloZ.Binance.Rest;

namespace VeloZ.Binance.Tests;

public sealed class ErrorCodeTests
{
    [Theory]
    [InlineData(500, null, BinanceOutcomeKind.Unknown)]
    [InlineData(502, -1000, BinanceOutcomeKind.Unknown)]
    [InlineData(503, null, BinanceOutcomeKind.Unknown)]
    [InlineData(400, -1007, BinanceOutcomeKind.Unknown)]
    [InlineData(408, -1007, BinanceOutcomeKind.Unknown)]
    [InlineData(400, -1006, BinanceOutcomeKind.Unknown)]
    [InlineData(400, -1000, BinanceOutcomeKind.Unknown)]
    [InlineData(429, -1003, BinanceOutcomeKind.RateLimited)]
    [InlineData(429, -1015, BinanceOutcomeKind.RateLimited)]
    [InlineData(418, -1003, BinanceOutcomeKind.Banned)]
    [InlineData(401, -2014, BinanceOutcomeKind.Unauthorized)]
    [InlineData(401, -2015, BinanceOutcomeKind.Unauthorized)]
    [InlineData(400, -1022, BinanceOutcomeKind.Unauthorized)]
    [InlineData(401, null, BinanceOutcomeKind.Unauthorized)]
    [InlineData(400, -1021, BinanceOutcomeKind.Rejected)]
    [InlineData(400, -1013, BinanceOutcomeKind.Rejected)]
    [InlineData(400, -1121, BinanceOutcomeKind.Rejected)]
    [InlineData(400, -2010, BinanceOutcomeKind.Rejected)]
    [InlineData(400, -2011, BinanceOutcomeKind.Rejected)]
    [InlineData(400, -2013, BinanceOutcomeKind.Rejected)]
    [InlineData(400, -1100, BinanceOutcomeKind.Rejected)]
    [InlineData(403, null, BinanceOutcomeKind.Rejected)]
    [InlineData(400, -9999, BinanceOutcomeKind.Rejected)]
    public void Every_code_maps_to_one_outcome(int status, int? code, BinanceOutcomeKind expected) =>
        Assert.Equal(expected, BinanceErrorCodes.Classify(status, code));
}
