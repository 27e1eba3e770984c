using VeloZ.Domain.Orders;

namespace VeloZ.Storage.Tests;

/// <summary>
/// What kind of order a row holds: a LIMIT GTC order's row has exactly the columns it always had, every other kind
/// keeps its type, time in force, quote amount and self-trade prevention mode through a write and a read.
/// </summary>
public sealed class OrderKindColumnsTests
{
    private static readonly string[] s_kindColumns = ["Type", "TimeInForce", "QuoteOrderQty", "SelfTradePrevention"];

    public static TheoryData<OrderTicket> Tickets => new()
    {
        OrderTicket.Limit("BTCUSDT", OrderSide.Buy, 0.001m, 40000m),
        new OrderTicket("BTCUSDT", OrderSide.Sell, OrderType.Limit, 0.5m, null, 41000m, TimeInForce.Fok),
        new OrderTicket("BTCUSDT", OrderSide.Buy, OrderType.LimitMaker, 0.5m, null, 39000m, null, SelfTradePrevention.ExpireMaker),
        new OrderTicket("ETHUSDT", OrderSide.Buy, OrderType.Market, 2m, null, null, null),
        new OrderTicket("ETHUSDT", OrderSide.Sell, OrderType.Market, null, 1234.5678m, null, null, SelfTradePrevention.None),
    };

    [Theory]
    [MemberData(nameof(Tickets))]
    public void An_order_of_every_kind_reads_back_as_it_was_written(OrderTicket ticket)
    {
        var order = OrderStateMachine.New("kind-1", ticket, 1_704_067_200_000_000_000);

        var read = OrderRepository.FromEntity(OrderRepository.ToEntity(order));

        Assert.Equal(order, read);
        Assert.Equal(ticket, read.Ticket);
    }

    [Fact]
    public void A_limit_gtc_row_has_no_kind_columns_and_a_row_without_them_is_limit_gtc()
    {
        var entity = OrderRepository.ToEntity(OrderStateMachine.New("seed-1", OrderTicket.Limit("BTCUSDT", OrderSide.Buy, 0.001m, 40000m), 1));

        Assert.DoesNotContain(entity.Keys, s_kindColumns.Contains);
        var read = OrderRepository.FromEntity(entity);
        Assert.Equal(OrderType.Limit, read.Type);
        Assert.Equal(TimeInForce.Gtc, read.TimeInForce);
        Assert.True(read.IsSeedKind());
    }

    [Fact]
    public void An_unreadable_kind_column_is_a_corrupt_row_not_a_limit_order()
    {
        var entity = OrderRepository.ToEntity(OrderStateMachine.New("bad-1", new OrderTicket("BTCUSDT", OrderSide.Buy, OrderType.Market, 1m, null, null, null), 1));
        entity["Type"] = "STOP_LOSS";

        Assert.Throws<InvalidDataException>(() => OrderRepository.FromEntity(entity));
    }
}
