using VeloZ.Domain.Orders;
using static VeloZ.Domain.Tests.Orders.OrderFixtures;

namespace VeloZ.Domain.Tests.Orders;

/// <summary>The real-world edges of an order's life, each from the state where it happens.</summary>
public sealed class OrderScenarioTests
{
    [Fact]
    public void A_fill_before_the_REST_ack_counts_and_takes_the_venue_id_then_the_ack_changes_nothing()
    {
        var fill = Fill(56, 0.4m, 40000m);
        var run = Run(Pending(), new OrderFilled(T1, VenueId, fill), new OrderAcknowledged(T1 + 5, VenueId), Report(OrderStatus.Accepted, 0m, 0m));

        var afterFill = run[0];
        Assert.True(afterFill.StatusChanged);
        Assert.Equal(OrderStatus.PartiallyFilled, afterFill.State.Status);
        Assert.Equal(VenueId, afterFill.State.VenueOrderId);
        Assert.Equal([fill], afterFill.NewFills);
        Assert.Equal(0.4m, afterFill.State.ExecutedQty);

        Assert.All(run.Skip(1), t =>
        {
            Assert.False(t.Changed);
            Assert.Null(t.Anomaly);
            Assert.Same(afterFill.State, t.State);
        });
    }

    [Fact]
    public void A_complete_fill_before_the_REST_ack_is_FILLED_and_stays_so()
    {
        var run = Run(Pending(), new OrderFilled(T1, null, Fill(56, 1m, 40000m)), new OrderAcknowledged(T1 + 5, VenueId));

        Assert.Equal(OrderStatus.Filled, run[0].State.Status);
        Assert.Null(run[0].State.VenueOrderId);
        Assert.Equal(OrderStatus.Filled, run[1].State.Status);
        Assert.False(run[1].StatusChanged);
        Assert.Equal(VenueId, run[1].State.VenueOrderId); // the late ack only fills in the missing id
        Assert.True(run[1].Changed);
    }

    [Fact]
    public void A_late_ACCEPTED_never_overwrites_FILLED()
    {
        var filled = Run(
            Pending(),
            new OrderFilled(T1, VenueId, Fill(56, 0.5m, 40000m)),
            new OrderFilled(T1, VenueId, Fill(57, 0.5m, 40002m)))[^1].State;
        Assert.Equal(OrderStatus.Filled, filled.Status);

        var run = Run(filled, new OrderAcknowledged(T1 + 9, VenueId), Report(OrderStatus.Accepted, 0m, 0m, ts: T1 + 9), Report(OrderStatus.Pending, 0m, 0m));

        Assert.All(run, t =>
        {
            Assert.Equal(OrderStatus.Filled, t.State.Status);
            Assert.False(t.Changed);
            Assert.Null(t.Anomaly);
        });
        Assert.Equal(40001m, run[^1].State.AvgPrice);
    }

    [Fact]
    public void A_fill_after_a_cancel_request_is_a_normal_fill_and_the_venue_decides_the_status()
    {
        var accepted = OrderFixtures.In(OrderStatus.Accepted);

        var run = Run(accepted, new CancelRequested(T1), new OrderFilled(T1 + 1, VenueId, Fill(56, 0.4m, 40000m)), Report(OrderStatus.Cancelled, 0.4m, 16000m, ts: T1 + 2));

        Assert.False(run[0].StatusChanged);
        Assert.True(run[0].Changed);
        Assert.True(run[0].State.CancelRequested);
        Assert.Equal(OrderStatus.Accepted, run[0].State.Status);

        Assert.Equal(OrderStatus.PartiallyFilled, run[1].State.Status);
        Assert.Single(run[1].NewFills);
        Assert.True(run[1].State.CancelRequested);

        Assert.Equal(OrderStatus.Cancelled, run[2].State.Status);
        Assert.True(run[2].StatusChanged);
        Assert.Equal(0.4m, run[2].State.ExecutedQty);
        Assert.Equal(40000m, run[2].State.AvgPrice);
        Assert.All(run, t => Assert.Null(t.Anomaly));
    }

    [Fact]
    public void A_fill_that_arrives_after_CANCELLED_is_recorded_without_double_counting_and_keeps_CANCELLED()
    {
        // The venue cancelled after 0.4 executed; the trade itself reaches VeloZ after the cancel.
        var cancelled = Run(OrderFixtures.In(OrderStatus.Accepted), Report(OrderStatus.Cancelled, 0.4m, 16000m))[^1].State;
        Assert.Equal(OrderStatus.Cancelled, cancelled.Status);
        Assert.Equal(40000m, cancelled.AvgPrice);

        var late = OrderStateMachine.Apply(cancelled, new OrderFilled(T1 + 1, VenueId, Fill(56, 0.4m, 40000m)));

        Assert.Equal(OrderStatus.Cancelled, late.State.Status);
        Assert.False(late.StatusChanged);
        Assert.Single(late.NewFills);
        Assert.Equal(0.4m, late.State.ExecutedQty);
        Assert.Equal(40000m, late.State.AvgPrice);
        Assert.Null(late.Anomaly);
    }

    [Fact]
    public void A_late_fill_that_completes_a_CANCELLED_order_makes_it_FILLED_as_an_anomaly()
    {
        var cancelled = OrderFixtures.In(OrderStatus.Cancelled); // 0.4 of 1 filled

        var t = OrderStateMachine.Apply(cancelled, new OrderFilled(T1, VenueId, Fill(2, 0.6m, 40005m)));

        Assert.Equal(OrderStatus.Filled, t.State.Status);
        Assert.True(t.StatusChanged);
        Assert.Single(t.NewFills);
        Assert.Equal(1m, t.State.ExecutedQty);
        Assert.Equal(40003m, t.State.AvgPrice); // (0.4·40000 + 0.6·40005) / 1
        Assert.Contains("CANCELLED becomes FILLED", t.Anomaly, StringComparison.Ordinal);
    }

    [Fact]
    public void The_cancel_lost_the_race_by_the_venue_report_too_and_a_later_CANCELLED_report_keeps_FILLED()
    {
        var run = Run(
            OrderFixtures.In(OrderStatus.Expired),
            Report(OrderStatus.Filled, 1m, 40000.5m),
            Report(OrderStatus.Cancelled, 1m, 40000.5m),
            Report(OrderStatus.Expired, 0.4m, 16000m));

        Assert.Equal(OrderStatus.Filled, run[0].State.Status);
        Assert.Contains("EXPIRED becomes FILLED", run[0].Anomaly, StringComparison.Ordinal);
        Assert.All(run.Skip(1), t =>
        {
            Assert.Equal(OrderStatus.Filled, t.State.Status);
            Assert.NotNull(t.Anomaly);
            Assert.False(t.Changed);
        });
    }

    [Fact]
    public void A_CANCELLED_report_for_an_order_its_fills_complete_keeps_FILLED()
    {
        var filled = Run(Pending(), new OrderAcknowledged(T0, VenueId), new OrderFilled(T1, VenueId, Fill(56, 1m, 40000m)))[^1].State;

        var t = OrderStateMachine.Apply(filled, Report(OrderStatus.Cancelled, 0m, 0m));

        Assert.Equal(OrderStatus.Filled, t.State.Status);
        Assert.False(t.Changed);
        Assert.NotNull(t.Anomaly);
    }

    [Fact]
    public void A_FILLED_report_short_of_the_quantity_does_not_move_a_CANCELLED_order()
    {
        var t = OrderStateMachine.Apply(OrderFixtures.In(OrderStatus.Cancelled), Report(OrderStatus.Filled, 0.5m, 20000m));

        Assert.Equal(OrderStatus.Cancelled, t.State.Status);
        Assert.Equal(0.5m, t.State.ExecutedQty); // the figures are facts all the same
        Assert.Contains("does not complete", t.Anomaly, StringComparison.Ordinal);
    }

    [Fact]
    public void A_FILLED_report_from_a_live_order_follows_the_venue_even_when_short_and_says_so()
    {
        var t = OrderStateMachine.Apply(OrderFixtures.In(OrderStatus.Accepted), Report(OrderStatus.Filled, 0.9m, 36000m));

        Assert.Equal(OrderStatus.Filled, t.State.Status);
        Assert.Contains("FILLED reported with executed 0.9 of 1", t.Anomaly, StringComparison.Ordinal);
    }

    [Fact]
    public void The_same_trade_from_the_stream_then_from_reconciliation_is_one_fill()
    {
        var accepted = OrderFixtures.In(OrderStatus.Accepted);
        var fromStream = new OrderFilled(T1, VenueId, Fill(56, 0.4m, 40000m));
        var fromMyTrades = new OrderFilled(T1 + 50, null, new OrderFill(56, 0.4m, 40000m, T1, 0.0004m, "BTC"));

        var run = Run(accepted, fromStream, Report(OrderStatus.PartiallyFilled, 0.4m, 16000m, ts: T1 + 40), fromMyTrades);

        Assert.Single(run[0].NewFills);
        Assert.True(run[0].StatusChanged);
        Assert.False(run[1].StatusChanged); // the report is the same information
        Assert.Empty(run[1].NewFills);
        Assert.False(run[2].Changed);
        Assert.Null(run[2].Anomaly);
        Assert.Single(run[2].State.Fills);
        Assert.Equal(0.4m, run[2].State.ExecutedQty);
        Assert.Equal(1, run.Count(t => t.StatusChanged));
        Assert.Equal(1, run.Sum(t => t.NewFills.Count));
    }

    [Fact]
    public void A_duplicate_trade_with_other_figures_keeps_the_first_copy_and_says_so()
    {
        var state = OrderStateMachine.Apply(OrderFixtures.In(OrderStatus.Accepted), new OrderFilled(T1, VenueId, Fill(56, 0.4m, 40000m))).State;

        var t = OrderStateMachine.Apply(state, new OrderFilled(T1, VenueId, Fill(56, 0.5m, 40000m)));

        Assert.False(t.Changed);
        Assert.Equal(0.4m, t.State.ExecutedQty);
        Assert.Contains("known as 0.4 @ 40000", t.Anomaly, StringComparison.Ordinal);
    }

    [Fact]
    public void A_fill_that_would_exceed_the_order_quantity_is_refused()
    {
        var partial = OrderFixtures.In(OrderStatus.PartiallyFilled); // 0.4 of 1

        var t = OrderStateMachine.Apply(partial, new OrderFilled(T1, VenueId, Fill(9, 0.7m, 40000m)));

        Assert.False(t.Changed);
        Assert.Same(partial, t.State);
        Assert.Contains("would reach 1.1 of an order of 1", t.Anomaly, StringComparison.Ordinal);
    }

    [Fact]
    public void The_average_price_is_weighted_by_quantity()
    {
        var order = OrderStateMachine.New(Id, Symbol, OrderSide.Buy, 0.003m, 40003m, T0);

        var state = Run(order, new OrderFilled(T1, VenueId, Fill(1, 0.001m, 40000m)), new OrderFilled(T1, VenueId, Fill(2, 0.002m, 40003m)))[^1].State;

        Assert.Equal(40002m, state.AvgPrice);
        Assert.Equal(0.003m, state.ExecutedQty);
        Assert.Equal(OrderStatus.Filled, state.Status);
    }

    [Fact]
    public void Venue_figures_give_the_average_until_the_trades_arrive_and_never_go_down()
    {
        var accepted = OrderFixtures.In(OrderStatus.Accepted);
        Assert.Null(accepted.AvgPrice);

        var run = Run(
            accepted,
            Report(OrderStatus.PartiallyFilled, 0.5m, 20001m),
            Report(OrderStatus.PartiallyFilled, 0.2m, 8000m), // older snapshot
            new OrderFilled(T1, VenueId, Fill(1, 0.2m, 40000m)),
            new OrderFilled(T1, VenueId, Fill(2, 0.3m, 40003.333333m)));

        Assert.Equal(40002m, run[0].State.AvgPrice);
        Assert.False(run[1].Changed);
        Assert.Equal(0.5m, run[1].State.VenueExecutedQty);
        Assert.Equal(20001m, run[1].State.VenueCumQuote);
        Assert.Equal(40002m, run[2].State.AvgPrice); // 0.2 of fills does not cover 0.5 executed
        Assert.Equal(0.5m, run[2].State.ExecutedQty);
        Assert.Equal((0.2m * 40000m + 0.3m * 40003.333333m) / 0.5m, run[3].State.AvgPrice);
    }

    [Fact]
    public void A_venue_rejection_is_REJECTED_with_code_and_message()
    {
        var t = OrderStateMachine.Apply(Pending(), new OrderRejected(T1, -2010, InsufficientBalance));

        Assert.Equal(OrderStatus.Rejected, t.State.Status);
        Assert.Equal("-2010: Account has insufficient balance for requested action.", t.State.Reason);
        Assert.True(t.State.IsFinal);
        Assert.Null(t.State.AvgPrice);
    }

    [Theory]
    [InlineData(null, "Unsupported order combination", "Unsupported order combination")]
    [InlineData(-1013, "", "-1013")]
    [InlineData(null, " ", "rejected")]
    public void Rejection_reasons_read_well_without_a_code_or_message(int? code, string message, string expected) =>
        Assert.Equal(expected, OrderStateMachine.Apply(Pending(), new OrderRejected(T1, code, message)).State.Reason);

    [Fact]
    public void Not_placed_rejects_a_PENDING_order_only()
    {
        var notPlaced = new OrderNotPlaced(T1, "-2013: Order does not exist.");

        var fromPending = OrderStateMachine.Apply(Pending(), notPlaced);
        var fromAccepted = OrderStateMachine.Apply(OrderFixtures.In(OrderStatus.Accepted), notPlaced);

        Assert.Equal(OrderStatus.Rejected, fromPending.State.Status);
        Assert.Equal("-2013: Order does not exist.", fromPending.State.Reason);
        Assert.Null(fromPending.Anomaly);
        Assert.Equal(OrderStatus.Accepted, fromAccepted.State.Status);
        Assert.False(fromAccepted.Changed);
        Assert.NotNull(fromAccepted.Anomaly);
    }

    [Fact]
    public void REJECTED_and_EXPIRED_stay_distinct_including_EXPIRED_IN_MATCH()
    {
        Assert.True(BinanceOrderStatus.TryMap("EXPIRED_IN_MATCH", out var stp));
        Assert.True(BinanceOrderStatus.TryMap("REJECTED", out var rejected));

        var expired = OrderStateMachine.Apply(OrderFixtures.In(OrderStatus.Accepted), Report(stp, 0m, 0m, "EXPIRED_IN_MATCH")).State;
        var refused = OrderStateMachine.Apply(Pending(), Report(rejected, 0m, 0m, "INSUFFICIENT_BALANCES")).State;

        Assert.Equal(OrderStatus.Expired, expired.Status);
        Assert.Equal("EXPIRED_IN_MATCH", expired.Reason);
        Assert.Equal("EXPIRED", expired.Status.ToWire());
        Assert.Equal(OrderStatus.Rejected, refused.Status);
        Assert.Equal("INSUFFICIENT_BALANCES", refused.Reason);
        Assert.Equal("REJECTED", refused.Status.ToWire());

        var crossed = OrderStateMachine.Apply(expired, Report(OrderStatus.Rejected, 0m, 0m, "x"));
        Assert.Equal(OrderStatus.Expired, crossed.State.Status);
        Assert.Equal("EXPIRED_IN_MATCH", crossed.State.Reason);
        Assert.NotNull(crossed.Anomaly);
    }

    [Fact]
    public void A_repeated_EXPIRED_report_fills_in_a_missing_reason_but_never_replaces_one()
    {
        var expired = OrderStateMachine.Apply(OrderFixtures.In(OrderStatus.Accepted), Report(OrderStatus.Expired, 0m, 0m)).State;
        Assert.Null(expired.Reason);

        var withReason = OrderStateMachine.Apply(expired, Report(OrderStatus.Expired, 0m, 0m, "EXCHANGE_CANCELED"));
        var again = OrderStateMachine.Apply(withReason.State, Report(OrderStatus.Expired, 0m, 0m, "OTHER"));

        Assert.True(withReason.Changed);
        Assert.False(withReason.StatusChanged);
        Assert.Equal("EXCHANGE_CANCELED", withReason.State.Reason);
        Assert.False(again.Changed);
    }

    [Fact]
    public void An_event_about_another_venue_order_is_refused()
    {
        var accepted = OrderFixtures.In(OrderStatus.Accepted);

        var events = new OrderEvent[]
        {
            new OrderAcknowledged(T1, "777"),
            new OrderFilled(T1, "777", Fill(5, 0.1m, 40000m)),
            new VenueOrderReport(T1, "777", OrderStatus.Filled, 1m, 40000m, null),
        };

        Assert.All(events, e =>
        {
            var t = OrderStateMachine.Apply(accepted, e);
            Assert.Same(accepted, t.State);
            Assert.Contains("venue order 777 is not this order's venue order 900001", t.Anomaly, StringComparison.Ordinal);
        });
    }

    public static TheoryData<OrderEvent> ImpossibleVenueData { get; } =
    [
        new OrderFilled(T1, VenueId, Fill(-1, 0.1m, 40000m)),
        new OrderFilled(T1, VenueId, Fill(3, 0m, 40000m)),
        new OrderFilled(T1, VenueId, Fill(3, -0.1m, 40000m)),
        new OrderFilled(T1, VenueId, Fill(3, 0.1m, 0m)),
        new VenueOrderReport(T1, VenueId, OrderStatus.PartiallyFilled, -0.1m, 0m, null),
        new VenueOrderReport(T1, VenueId, OrderStatus.PartiallyFilled, 0.1m, -1m, null),
        new VenueOrderReport(T1, VenueId, OrderStatus.Filled, 1.5m, 60000m, null),
        new VenueOrderReport(T1, VenueId, (OrderStatus)42, 0m, 0m, null),
    ];

    [Theory]
    [MemberData(nameof(ImpossibleVenueData))]
    public void Impossible_venue_data_is_an_anomaly_not_an_exception(OrderEvent e)
    {
        var accepted = OrderFixtures.In(OrderStatus.Accepted);

        var t = OrderStateMachine.Apply(accepted, e);

        Assert.Same(accepted, t.State);
        Assert.False(t.Changed);
        Assert.NotNull(t.Anomaly);
    }

    private sealed record SomethingElse(long TsNs) : OrderEvent(TsNs);

    [Fact]
    public void An_unknown_event_type_is_an_anomaly()
    {
        var pending = Pending();

        var t = OrderStateMachine.Apply(pending, new SomethingElse(T1));

        Assert.Same(pending, t.State);
        Assert.Contains("SomethingElse", t.Anomaly, StringComparison.Ordinal);
    }

    [Fact]
    public void Programmer_errors_throw()
    {
        Assert.Throws<ArgumentNullException>(() => OrderStateMachine.Apply(null!, new CancelRequested(T1)));
        Assert.Throws<ArgumentNullException>(() => OrderStateMachine.Apply(Pending(), null!));
        Assert.Throws<ArgumentNullException>(() => OrderStateMachine.Apply(Pending(), new OrderFilled(T1, null, null!)));
    }

    [Fact]
    public void LastTsNs_only_moves_forward_and_only_when_something_changed()
    {
        var pending = Pending();

        var early = OrderStateMachine.Apply(pending, new OrderAcknowledged(T0 - 500, VenueId)); // venue clock behind ours
        var same = OrderStateMachine.Apply(early.State, new OrderAcknowledged(T1 + 999, VenueId));
        var later = OrderStateMachine.Apply(early.State, new CancelRequested(T1));

        Assert.True(early.Changed);
        Assert.Equal(T0, early.State.LastTsNs);
        Assert.False(same.Changed);
        Assert.Equal(T0, same.State.LastTsNs);
        Assert.Equal(T1, later.State.LastTsNs);
    }

    [Fact]
    public void New_is_PENDING_with_nothing_executed()
    {
        var order = OrderStateMachine.New("my-order-001", "BTCUSDT", OrderSide.Sell, 0.001m, 40000m, T0);

        Assert.Equal("my-order-001", order.ClientOrderId);
        Assert.Equal("BTCUSDT", order.Symbol);
        Assert.Equal(OrderSide.Sell, order.Side);
        Assert.Equal(0.001m, order.OrderQty);
        Assert.Equal(40000m, order.LimitPrice);
        Assert.Equal(OrderStatus.Pending, order.Status);
        Assert.Null(order.VenueOrderId);
        Assert.Null(order.Reason);
        Assert.Empty(order.Fills);
        Assert.Equal(0m, order.ExecutedQty);
        Assert.Null(order.AvgPrice);
        Assert.False(order.IsFinal);
        Assert.False(order.CancelRequested);
        Assert.Equal(T0, order.CreatedTsNs);
        Assert.Equal(T0, order.LastTsNs);
    }

    [Fact]
    public void New_refuses_what_a_caller_should_have_validated()
    {
        Assert.Throws<ArgumentNullException>(() => OrderStateMachine.New(null!, Symbol, OrderSide.Buy, 1m, 1m, T0));
        Assert.Throws<ArgumentException>(() => OrderStateMachine.New("bad.id", Symbol, OrderSide.Buy, 1m, 1m, T0));
        Assert.Throws<ArgumentException>(() => OrderStateMachine.New(Id, " ", OrderSide.Buy, 1m, 1m, T0));
        Assert.Throws<ArgumentNullException>(() => OrderStateMachine.New(Id, null!, OrderSide.Buy, 1m, 1m, T0));
        Assert.Throws<ArgumentOutOfRangeException>(() => OrderStateMachine.New(Id, Symbol, (OrderSide)7, 1m, 1m, T0));
        Assert.Throws<ArgumentOutOfRangeException>(() => OrderStateMachine.New(Id, Symbol, OrderSide.Buy, 0m, 1m, T0));
        Assert.Throws<ArgumentOutOfRangeException>(() => OrderStateMachine.New(Id, Symbol, OrderSide.Buy, -1m, 1m, T0));
        Assert.Throws<ArgumentOutOfRangeException>(() => OrderStateMachine.New(Id, Symbol, OrderSide.Buy, 1m, 0m, T0));
    }
}
