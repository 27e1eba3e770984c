using System.Net;
using VeloZ.SimVenue.Tests.Support;

namespace VeloZ.SimVenue.Tests;

/// <summary>
/// <c>selfTradePreventionMode</c> (Binance's enums.md): every mode but TRANSFER is offered, the order keeps the one it
/// was sent with, and every answer, query and report says it.
/// </summary>
public sealed class SelfTradePreventionTests
{
    [Fact]
    public async Task The_mode_an_order_was_sent_with_is_the_one_its_answers_carry()
    {
        await using var venue = await TestVenue.StartAsync();

        var placed = await venue.PlaceAsync("symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.01&price=49000&newClientOrderId=stp-1&selfTradePreventionMode=EXPIRE_BOTH");
        var plain = await venue.PlaceAsync("symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.01&price=49000&newClientOrderId=stp-2");

        Assert.Equal(HttpStatusCode.OK, placed.Status);
        Assert.Equal("EXPIRE_BOTH", (string?)placed.Object["selfTradePreventionMode"]);
        Assert.Equal("EXPIRE_BOTH", (string?)(await venue.OrderAsync("stp-1"))["selfTradePreventionMode"]);
        Assert.Equal("NONE", (string?)plain.Object["selfTradePreventionMode"]);
    }

    [Fact]
    public async Task Exchange_info_lists_the_modes_it_takes()
    {
        await using var venue = await TestVenue.StartAsync();

        var info = await venue.GetAsync("/api/v3/exchangeInfo?symbol=BTCUSDT");

        var modes = info.Body!["symbols"]![0]!["allowedSelfTradePreventionModes"]!.AsArray().Select(m => (string?)m).ToArray();
        Assert.Equal(["NONE", "EXPIRE_TAKER", "EXPIRE_MAKER", "EXPIRE_BOTH", "DECREMENT"], modes);
    }

    [Theory]
    [InlineData("TRANSFER")]
    [InlineData("expire_both")]
    [InlineData("SOMETIMES")]
    public async Task A_mode_it_does_not_take_is_refused_and_places_nothing(string mode)
    {
        await using var venue = await TestVenue.StartAsync();

        var refused = await venue.PlaceAsync($"symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.01&price=49000&selfTradePreventionMode={mode}");

        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.Equal(-1102, refused.Code);
        Assert.Empty((await venue.SignedAsync(HttpMethod.Get, "/api/v3/openOrders", "symbol=BTCUSDT")).Body!.AsArray());
    }
}
