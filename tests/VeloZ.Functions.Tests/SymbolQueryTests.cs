using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Primitives;
using VeloZ.Domain.Configuration;
using VeloZ.Functions.Endpoints;
using VeloZ.Functions.Http;

namespace VeloZ.Functions.Tests;

/// <summary>The optional <c>?symbol=</c> of <c>/api/market</c> and <c>/api/symbols</c>, and which symbols <c>/api/market</c> follows.</summary>
public sealed class SymbolQueryTests
{
    private static readonly MarketOptions s_followed = new() { MarketSymbols = ["BTCUSDT", "ETHUSDT"] };

    public static TheoryData<string[], string?, int?, string?> Queries => new()
    {
        { [], "BTCUSDT", null, null },
        { ["ethusdt"], "ETHUSDT", null, null },
        { [" BTCUSDT"], null, 400, ApiErrors.BadParams },
        { [""], null, 400, ApiErrors.BadParams },
        { ["ETH-USDT"], null, 400, ApiErrors.BadParams },
        { ["BTCUSDT", "ETHUSDT"], null, 400, ApiErrors.BadParams },
        { ["LTCUSDT"], null, 404, ApiErrors.NotFound },
    };

    [Theory]
    [MemberData(nameof(Queries))]
    public void A_followed_symbol_is_answered_a_malformed_one_is_bad_params_and_an_unfollowed_one_not_found(string[] asked, string? symbol, int? status, string? error)
    {
        var (actual, refusal) = MarketFunction.FollowedSymbol(new StringValues(asked), s_followed);

        Assert.Equal(symbol, actual);
        if (status is null)
        {
            Assert.Null(refusal);
            return;
        }

        var result = Assert.IsType<ApiJsonResult<ErrorResponse>>(refusal);
        Assert.Equal(status, result.StatusCode);
        Assert.Equal(error, result.Value.Error);
        Assert.Equal("symbol", result.Value.Field);
    }

    [Fact]
    public void Without_a_query_the_endpoints_default_is_used_and_any_valid_symbol_passes()
    {
        Assert.Equal(("SOLUSDT", (IActionResult?)null), SymbolQuery.Read(StringValues.Empty, "SOLUSDT"));
        Assert.Equal(("LTCUSDT", (IActionResult?)null), SymbolQuery.Read(new StringValues("ltcusdt"), "BTCUSDT"));
    }
}
