using VeloZ.Domain.Orders;

namespace VeloZ.Domain.Tests.Orders;

/// <summary>
/// Order types: the shapes a ticket may have, the words for them, and a MARKET order by quote amount in the state
/// machine (no quantity to complete: bounded by its quote amount, FILLED only by the venue's word).
/// </summary>
public sealed class OrderTypeTests
{
    private const long T0 = OrderFixtures.T0;

    public static TheoryData<OrderTicket, string?> Tickets => new()
    {
        { OrderTicket.Limit("BTCUSDT", OrderSide.Buy, 0.1m, 40000m), null },
        { new("BTCUSDT", OrderSide.Buy, OrderType.Limit, 0.1m, null, 40000m, TimeInForce.Fok), null },
        { new("BTCUSDT", OrderSide.Buy, OrderType.Limit, 0.1m, null, 40000m, null), "a LIMIT order has a quantity, a price and a time in force" },
        { new("BTCUSDT", OrderSide.Buy, OrderType.Limit, 0.1m, 100m, 40000m, TimeInForce.Gtc), "a LIMIT order has a quantity, a price and a time in force" },
        { new("BTCUSDT", OrderSide.Sell, OrderType.LimitMaker, 0.1m, null, 40000m, null, SelfTradePrevention.ExpireMaker), null },
        { new("BTCUSDT", OrderSide.Sell, OrderType.LimitMaker, 0.1m, null, 40000m, TimeInForce.Gtc), "a LIMIT_MAKER order has a quantity and a price, and no time in force" },
        { new("BTCUSDT", OrderSide.Buy, OrderType.Market, 0.1m, null, null, null), null },
        { new("BTCUSDT", OrderSide.Buy, OrderType.Market, null, 100m, null, null), null },
        { new("BTCUSDT", OrderSide.Buy, OrderType.Market, 0.1m, 100m, null, null), "a MARKET order has either a quantity or a quote quantity, and no price or time in force" },
        { new("BTCUSDT", OrderSide.Buy, OrderType.Market, null, null, null, null), "a MARKET order has either a quantity or a quote quantity, and no price or time in force" },
        { new("BTCUSDT", OrderSide.Buy, OrderType.Market, 0.1m, null, 40000m, null), "a MARKET order has either a quantity or a quote quantity, and no price or time in force" },
        { new("BTCUSDT", OrderSide.Buy, OrderType.Market, 0m, null, null, null), "quantities and prices must be positive" },
        { new("BTCUSDT", OrderSide.Buy, (OrderType)9, 0.1m, null, null, null), "order type 9 is not an OrderType" },
    };

    [Theory]
    [MemberData(nameof(Tickets))]
    public void A_ticket_has_one_of_the_shapes_binance_accepts(OrderTicket ticket, string? problem) =>
        Assert.Equal(problem, ticket.Problem());

    [Theory]
    [InlineData("limit", OrderType.Limit, "LIMIT")]
    [InlineData("MARKET", OrderType.Market, "MARKET")]
    [InlineData("Limit_Maker", OrderType.LimitMaker, "LIMIT_MAKER")]
    public void Order_type_words_parse_in_any_case_and_are_written_upper_case(string text, OrderType expected, string wire)
    {
        Assert.True(OrderWire.TryParseType(text, out var type));
        Assert.Equal(expected, type);
        Assert.Equal(wire, type.ToWire());
    }

    [Theory]
    [InlineData("STOP_LOSS_LIMIT")]
    [InlineData("LIMIT ")]
    [InlineData("")]
    [InlineData(null)]
    public void Other_order_type_words_are_not_types(string? text) => Assert.False(OrderWire.TryParseType(text, out _));

    [Fact]
    public void Every_time_in_force_and_self_trade_prevention_word_round_trips()
    {
        foreach (var tif in Enum.GetValues<TimeInForce>())
        {
            Assert.True(OrderWire.TryParseTimeInForce(tif.ToWire().ToLowerInvariant(), out var parsed));
            Assert.Equal(tif, parsed);
        }

        foreach (var mode in Enum.GetValues<SelfTradePrevention>())
        {
            Assert.True(OrderWire.TryParseSelfTradePrevention(mode.ToWire(), out var parsed));
            Assert.Equal(mode, parsed);
        }

        Assert.Equal(["NONE", "EXPIRE_TAKER", "EXPIRE_MAKER", "EXPIRE_BOTH", "DECREMENT"], OrderWire.SelfTradePreventionModes);
        Assert.False(OrderWire.TryParseSelfTradePrevention("TRANSFER", out _));
    }

    [Fact]
    public void A_new_order_keeps_its_ticket()
    {
        var ticket = new OrderTicket("BTCUSDT", OrderSide.Sell, OrderType.Limit, 0.5m, null, 41000m, TimeInForce.Ioc, SelfTradePrevention.Decrement);

        var order = OrderStateMachine.New("t-1", ticket, T0);

        Assert.Equal(ticket, order.Ticket);
        Assert.Equal(0.5m, order.OrderQty);
        Assert.Equal(41000m, order.LimitPrice);
        Assert.False(order.IsSeedKind());
        Assert.True(OrderStateMachine.New("t-2", OrderTicket.Limit("BTCUSDT", OrderSide.Buy, 1m, 1m), T0).IsSeedKind());
        Assert.Throws<ArgumentException>(() => OrderStateMachine.New("t-3", ticket with { TimeInForce = null }, T0));
    }

    [Fact]
    public void A_market_order_by_quote_amount_is_stored_without_quantity_or_price()
    {
        var order = ByQuote(1000m);

        Assert.True(order.IsByQuote);
        Assert.Equal(0m, order.OrderQty);
        Assert.Equal(0m, order.LimitPrice);
        Assert.Equal(1000m, order.QuoteOrderQty);
        Assert.Equal(new OrderTicket("BTCUSDT", OrderSide.Buy, OrderType.Market, null, 1000m, null, null), order.Ticket);
    }

    [Fact]
    public void Fills_of_an_order_by_quote_amount_are_partial_until_the_venue_says_filled()
    {
        var order = ByQuote(1000m);

        var first = OrderStateMachine.Apply(order, new OrderFilled(T0 + 1, "7", new OrderFill(1, 0.01m, 50000m, T0 + 1)));
        var second = OrderStateMachine.Apply(first.State, new OrderFilled(T0 + 2, "7", new OrderFill(2, 0.0099m, 50001m, T0 + 2)));
        var filled = OrderStateMachine.Apply(second.State, new VenueOrderReport(T0 + 3, "7", OrderStatus.Filled, 0.0199m, 995.0099m, null));

        Assert.Equal(OrderStatus.PartiallyFilled, first.State.Status);
        Assert.Equal(OrderStatus.PartiallyFilled, second.State.Status);
        Assert.Null(second.Anomaly);
        Assert.Equal(OrderStatus.Filled, filled.State.Status);
        Assert.Null(filled.Anomaly);
        Assert.Equal(0.0199m, filled.State.ExecutedQty);
    }

    [Fact]
    public void A_fill_beyond_the_quote_amount_is_not_this_orders()
    {
        var order = OrderStateMachine.Apply(ByQuote(1000m), new OrderFilled(T0 + 1, "7", new OrderFill(1, 0.019m, 50000m, T0 + 1))).State;

        var over = OrderStateMachine.Apply(order, new OrderFilled(T0 + 2, "7", new OrderFill(2, 0.001m, 50000.01m, T0 + 2)));
        var report = OrderStateMachine.Apply(order, new VenueOrderReport(T0 + 2, "7", OrderStatus.Filled, 0.02m, 1000.01m, null));

        Assert.Same(order, over.State);
        Assert.Contains("of an order for 1000", over.Anomaly, StringComparison.Ordinal);
        Assert.Same(order, report.State);
        Assert.Contains("exceeds the order's quote quantity 1000", report.Anomaly, StringComparison.Ordinal);
    }

    [Fact]
    public void An_order_by_quote_amount_that_expires_keeps_what_executed()
    {
        var order = OrderStateMachine.Apply(ByQuote(1000m), new OrderFilled(T0 + 1, "7", new OrderFill(1, 0.01m, 50000m, T0 + 1))).State;

        var expired = OrderStateMachine.Apply(order, new VenueOrderReport(T0 + 2, "7", OrderStatus.Expired, 0.01m, 500m, "INSUFFICIENT_LIQUIDITY"));

        Assert.Equal(OrderStatus.Expired, expired.State.Status);
        Assert.Equal(0.01m, expired.State.ExecutedQty);
        Assert.Equal("INSUFFICIENT_LIQUIDITY", expired.State.Reason);
    }

    [Fact]
    public void A_market_order_by_quantity_completes_by_quantity_like_a_limit_order()
    {
        var order = OrderStateMachine.New("m-1", new OrderTicket("BTCUSDT", OrderSide.Sell, OrderType.Market, 0.02m, null, null, null), T0);

        var filled = OrderStateMachine.Apply(order, new OrderFilled(T0 + 1, "8", new OrderFill(3, 0.02m, 49999m, T0 + 1)));

        Assert.Equal(OrderStatus.Filled, filled.State.Status);
        Assert.Null(filled.State.Ticket.Price);
    }

    private static OrderState ByQuote(decimal quote) =>
        OrderStateMachine.New("q-1", new OrderTicket("BTCUSDT", OrderSide.Buy, OrderType.Market, null, quote, null, null), T0);
}
