using VeloZ.Domain.Orders;

namespace VeloZ.Domain.Tests.Orders;

public sealed class BinanceOrderStatusTests
{
    [Theory]
    [InlineData("NEW", OrderStatus.Accepted)]
    [InlineData("PENDING_NEW", OrderStatus.Pending)]
    [InlineData("PARTIALLY_FILLED", OrderStatus.PartiallyFilled)]
    [InlineData("FILLED", OrderStatus.Filled)]
    [InlineData("CANCELED", OrderStatus.Cancelled)]
    [InlineData("REJECTED", OrderStatus.Rejected)]
    [InlineData("EXPIRED", OrderStatus.Expired)]
    [InlineData("EXPIRED_IN_MATCH", OrderStatus.Expired)]
    public void Every_Binance_status_maps(string binance, OrderStatus expected)
    {
        Assert.True(BinanceOrderStatus.TryMap(binance, out var status));
        Assert.Equal(expected, status);
    }

    [Theory]
    [InlineData("PENDING_CANCEL")] // documented as unused
    [InlineData("CANCELLED")]      // the contract's spelling, not Binance's
    [InlineData("new")]
    [InlineData("ACCEPTED")]
    [InlineData("TRADE")]          // an execution type, not a status
    [InlineData("")]
    [InlineData(null)]
    public void Anything_else_maps_to_nothing(string? binance) => Assert.False(BinanceOrderStatus.TryMap(binance, out _));

    [Fact]
    public void The_known_list_is_binance_facts_section_6_without_PENDING_CANCEL() =>
        Assert.Equal(
            ["CANCELED", "EXPIRED", "EXPIRED_IN_MATCH", "FILLED", "NEW", "PARTIALLY_FILLED", "PENDING_NEW", "REJECTED"],
            BinanceOrderStatus.Known.Order(StringComparer.Ordinal));

    [Fact]
    public void Every_VeloZ_status_is_reachable_from_a_Binance_status()
    {
        var reached = BinanceOrderStatus.Known.Select(s => BinanceOrderStatus.TryMap(s, out var status) ? status : throw new InvalidOperationException(s)).ToHashSet();

        Assert.Equal(Enum.GetValues<OrderStatus>().ToHashSet(), reached);
    }
}
