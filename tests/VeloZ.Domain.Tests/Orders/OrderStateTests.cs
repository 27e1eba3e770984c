using VeloZ.Domain.Orders;
using static VeloZ.Domain.Tests.Orders.OrderFixtures;

namespace VeloZ.Domain.Tests.Orders;

public sealed class OrderStateTests
{
    private static OrderState With(decimal venueExecuted, decimal venueCumQuote, params OrderFill[] fills) =>
        Pending() with { Fills = fills, VenueExecutedQty = venueExecuted, VenueCumQuote = venueCumQuote, Status = OrderStatus.PartiallyFilled };

    [Fact]
    public void Executed_qty_is_the_larger_of_the_fills_and_the_venue_figure_never_their_sum()
    {
        Assert.Equal(0m, Pending().ExecutedQty);
        Assert.Equal(0.4m, With(0.4m, 16000m, Fill(1, 0.4m, 40000m)).ExecutedQty);
        Assert.Equal(0.7m, With(0.7m, 28000m, Fill(1, 0.4m, 40000m)).ExecutedQty);
        Assert.Equal(0.6m, With(0.4m, 16000m, Fill(1, 0.4m, 40000m), Fill(2, 0.2m, 40000m)).ExecutedQty);
        Assert.Equal(0.6m, With(0.4m, 16000m, Fill(1, 0.4m, 40000m), Fill(2, 0.2m, 40000m)).FilledQty);
    }

    [Fact]
    public void The_average_price_is_weighted_exactly_in_decimal()
    {
        var state = With(0m, 0m, Fill(1, 0.001m, 40000m), Fill(2, 0.002m, 40003m));

        Assert.Equal(40002m, state.AvgPrice);
    }

    [Fact]
    public void The_average_price_comes_from_the_venue_while_fills_are_missing()
    {
        Assert.Null(Pending().AvgPrice);
        Assert.Equal(40001m, With(0.5m, 20000.5m).AvgPrice);
        Assert.Equal(40001m, With(0.5m, 20000.5m, Fill(1, 0.1m, 39000m)).AvgPrice);
        // No quote figure from the venue: the fills known so far are the best estimate.
        Assert.Equal(39000m, With(0.5m, 0m, Fill(1, 0.1m, 39000m)).AvgPrice);
        Assert.Null(With(0.5m, 0m).AvgPrice);
    }

    [Theory]
    [InlineData(OrderStatus.Pending, false)]
    [InlineData(OrderStatus.Accepted, false)]
    [InlineData(OrderStatus.PartiallyFilled, false)]
    [InlineData(OrderStatus.Filled, true)]
    [InlineData(OrderStatus.Cancelled, true)]
    [InlineData(OrderStatus.Rejected, true)]
    [InlineData(OrderStatus.Expired, true)]
    public void Final_statuses(OrderStatus status, bool final) => Assert.Equal(final, (Pending() with { Status = status }).IsFinal);

    [Fact]
    public void Equality_compares_fills_by_value_not_by_list()
    {
        var a = With(0.4m, 16000m, Fill(1, 0.4m, 40000m));
        var b = With(0.4m, 16000m, Fill(1, 0.4m, 40000m));

        Assert.NotSame(a.Fills, b.Fills);
        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, With(0.4m, 16000m, Fill(1, 0.4m, 40001m)));
        Assert.NotEqual(a, a with { CancelRequested = true });
        Assert.NotEqual(a, a with { LastTsNs = a.LastTsNs + 1 });
        Assert.False(a.Equals(null));
    }
}
