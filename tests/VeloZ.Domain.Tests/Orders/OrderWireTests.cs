using VeloZ.Domain.Orders;

namespace VeloZ.Domain.Tests.Orders;

public sealed class OrderWireTests
{
    [Theory]
    [InlineData(OrderStatus.Pending, "PENDING")]
    [InlineData(OrderStatus.Accepted, "ACCEPTED")]
    [InlineData(OrderStatus.PartiallyFilled, "PARTIALLY_FILLED")]
    [InlineData(OrderStatus.Filled, "FILLED")]
    [InlineData(OrderStatus.Cancelled, "CANCELLED")]
    [InlineData(OrderStatus.Rejected, "REJECTED")]
    [InlineData(OrderStatus.Expired, "EXPIRED")]
    public void Statuses_use_the_contract_words_both_ways(OrderStatus status, string wire)
    {
        Assert.Equal(wire, status.ToWire());
        Assert.True(OrderWire.TryParseStatus(wire, out var parsed));
        Assert.Equal(status, parsed);
    }

    [Fact]
    public void Every_status_has_a_word_in_rank_order()
    {
        Assert.Equal(Enum.GetValues<OrderStatus>().Select(s => s.ToWire()), OrderWire.Statuses);
        Assert.Equal(["PENDING", "ACCEPTED", "PARTIALLY_FILLED", "FILLED", "CANCELLED", "REJECTED", "EXPIRED"], OrderWire.Statuses);
    }

    [Theory]
    [InlineData("filled")]
    [InlineData("CANCELED")] // Binance's spelling is not the contract's
    [InlineData("NEW")]
    [InlineData(" FILLED")]
    [InlineData("")]
    [InlineData(null)]
    public void Other_status_words_are_refused(string? wire) => Assert.False(OrderWire.TryParseStatus(wire, out _));

    [Theory]
    [InlineData("BUY", OrderSide.Buy)]
    [InlineData("buy", OrderSide.Buy)]
    [InlineData("Buy", OrderSide.Buy)]
    [InlineData("SELL", OrderSide.Sell)]
    [InlineData("sell", OrderSide.Sell)]
    [InlineData("sElL", OrderSide.Sell)]
    public void Sides_parse_case_insensitively(string text, OrderSide expected)
    {
        Assert.True(OrderWire.TryParseSide(text, out var side));
        Assert.Equal(expected, side);
    }

    [Theory]
    [InlineData("B")]
    [InlineData("BUYS")]
    [InlineData(" buy")]
    [InlineData("long")]
    [InlineData("")]
    [InlineData(null)]
    public void Other_sides_are_refused(string? text) => Assert.False(OrderWire.TryParseSide(text, out _));

    [Fact]
    public void Sides_are_written_in_upper_case()
    {
        Assert.Equal("BUY", OrderSide.Buy.ToWire());
        Assert.Equal("SELL", OrderSide.Sell.ToWire());
    }

    [Fact]
    public void A_value_outside_the_enum_is_a_programmer_error()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ((OrderStatus)99).ToWire());
        Assert.Throws<ArgumentOutOfRangeException>(() => ((OrderSide)99).ToWire());
        Assert.Throws<ArgumentOutOfRangeException>(() => ((OrderStatus)99).Rank());
    }

    [Theory]
    [InlineData(OrderStatus.Pending, 0, false)]
    [InlineData(OrderStatus.Accepted, 1, false)]
    [InlineData(OrderStatus.PartiallyFilled, 2, false)]
    [InlineData(OrderStatus.Filled, 3, true)]
    [InlineData(OrderStatus.Cancelled, 3, true)]
    [InlineData(OrderStatus.Rejected, 3, true)]
    [InlineData(OrderStatus.Expired, 3, true)]
    public void Ranks_and_finality(OrderStatus status, int rank, bool final)
    {
        Assert.Equal(rank, status.Rank());
        Assert.Equal(final, status.IsFinal());
    }
}
