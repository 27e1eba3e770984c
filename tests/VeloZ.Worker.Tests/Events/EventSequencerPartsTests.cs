using System.Text.Json;
using Azure;
using VeloZ.Domain.Events;
using VeloZ.Domain.Orders;
using VeloZ.Worker.Events;

namespace VeloZ.Worker.Tests.Events;

public sealed class EventIdBlocksTests
{
    [Theory]
    [InlineData(0, 1, 1001L)]
    [InlineData(0, 1000, 2000L)]
    [InlineData(4000, 1, 5001L)]
    public void A_start_reserves_one_block_beyond_the_ids_needed(long reservedInStorage, int count, long expectedThrough)
    {
        var ids = new EventIdBlocks();
        ids.Restore(reservedInStorage, null);

        Assert.Equal(reservedInStorage + 1, ids.NextId);
        Assert.Equal(expectedThrough, ids.ReservationNeeded(count));
    }

    [Fact]
    public void Ids_within_the_reservation_need_no_write_and_continue_without_a_gap()
    {
        var ids = new EventIdBlocks();
        ids.Restore(0, null);
        ids.Reserved(1001, new ETag("e1"));

        var first = ids.Number([Draft(), Draft()]);
        Assert.Null(ids.ReservationNeeded(999));
        Assert.Equal(2002L, ids.ReservationNeeded(1000));
        var second = ids.Number([Draft()]);

        Assert.Equal([1L, 2L, 3L], first.Concat(second).Select(e => e.Id));
        Assert.Equal(4L, ids.NextId);
        Assert.Equal(new ETag("e1"), ids.ETag);
        Assert.Equal(3L, ids.Unused);
    }

    [Fact]
    public void Numbering_beyond_the_reservation_is_refused()
    {
        var ids = new EventIdBlocks();
        ids.Restore(10, null);
        ids.Reserved(11, new ETag("e"));

        Assert.Throws<InvalidOperationException>(() => ids.Number([Draft(), Draft()]));
        Assert.Equal(11L, ids.NextId);
    }

    [Fact]
    public void Each_sequencer_has_its_own_owner() =>
        Assert.NotEqual(new EventIdBlocks().Owner, new EventIdBlocks().Owner);

    private static GatewayEvent Draft() => EventPayloads.Error(1, "x");
}

public sealed class ToldOrdersTests
{
    private static readonly DateTimeOffset s_t0 = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Remembers_the_last_status_and_every_fill_told()
    {
        var told = new ToldOrders();
        told.Remember(Update("a", OrderStatus.Accepted), s_t0);
        told.Remember(Fill("a", 7), s_t0);
        told.Remember(Update("a", OrderStatus.PartiallyFilled), s_t0);
        told.Remember(EventPayloads.Error(1, "no order"), s_t0);

        Assert.Equal(OrderStatus.PartiallyFilled, told.StatusOf("a"));
        Assert.True(told.WasFillTold("a", 7));
        Assert.False(told.WasFillTold("a", 8));
        Assert.Null(told.StatusOf("b"));
        Assert.Equal(1, told.Count);
    }

    [Fact]
    public void Restore_takes_the_newest_status_of_each_order_and_all_its_fills()
    {
        var told = new ToldOrders();
        told.Remember(Update("stale", OrderStatus.Accepted), s_t0);

        told.Restore([Update("a", OrderStatus.Filled), Fill("a", 2), Update("a", OrderStatus.Accepted), Fill("a", 1)], s_t0);

        Assert.Equal(OrderStatus.Filled, told.StatusOf("a"));
        Assert.True(told.WasFillTold("a", 1));
        Assert.True(told.WasFillTold("a", 2));
        Assert.Equal(1, told.Count);
    }

    [Fact]
    public void A_finished_order_is_forgotten_after_its_retention_and_an_open_one_never()
    {
        var told = new ToldOrders();
        told.Remember(Update("open", OrderStatus.Accepted), s_t0);
        told.Remember(Update("done", OrderStatus.Filled), s_t0);

        told.ForgetFinished(s_t0);
        Assert.Equal(2, told.Count);

        told.ForgetFinished(s_t0.AddTicks(1));
        Assert.Equal(OrderStatus.Accepted, told.StatusOf("open"));
        Assert.Null(told.StatusOf("done"));
        Assert.Equal(1, told.Count);
    }

    [Fact]
    public void An_order_told_final_again_later_is_kept_until_its_later_retention()
    {
        var told = new ToldOrders();
        told.Remember(Update("a", OrderStatus.Cancelled), s_t0);
        told.Remember(Update("a", OrderStatus.Cancelled), s_t0.AddHours(1));

        told.ForgetFinished(s_t0.AddMinutes(30));
        Assert.Equal(OrderStatus.Cancelled, told.StatusOf("a"));

        told.ForgetFinished(s_t0.AddHours(2));
        Assert.Equal(0, told.Count);
    }

    internal static GatewayEvent Update(string id, OrderStatus status) =>
        new(0, EventTypes.OrderUpdate, 1, "{}", id, status.ToWire());

    internal static GatewayEvent Fill(string id, long tradeId) =>
        new(0, EventTypes.Fill, 1, "{}", id, TradeId: tradeId);
}

public sealed class OrderDiffTests
{
    [Theory]
    [InlineData(null, OrderStatus.Pending, false, "order_update:PENDING,order_state")]
    [InlineData(OrderStatus.Pending, OrderStatus.Accepted, true, "order_update:ACCEPTED,order_state")]
    [InlineData(OrderStatus.Accepted, OrderStatus.Accepted, true, "")]
    [InlineData(OrderStatus.Filled, OrderStatus.Accepted, true, "")]
    [InlineData(null, OrderStatus.Cancelled, true, "order_update:ACCEPTED,order_update:CANCELLED,order_state")]
    [InlineData(OrderStatus.Pending, OrderStatus.Expired, true, "order_update:ACCEPTED,order_update:EXPIRED,order_state")]
    [InlineData(OrderStatus.Pending, OrderStatus.Cancelled, false, "order_update:CANCELLED,order_state")]
    [InlineData(OrderStatus.Accepted, OrderStatus.Cancelled, true, "order_update:CANCELLED,order_state")]
    [InlineData(null, OrderStatus.Rejected, false, "order_update:REJECTED,order_state")]
    public void A_status_change_is_told_once_and_never_backwards(OrderStatus? toldStatus, OrderStatus rowStatus, bool atVenue, string expected)
    {
        var told = new ToldOrders();
        if (toldStatus is { } s)
        {
            told.Remember(ToldOrdersTests.Update("a", s), DateTimeOffset.UnixEpoch);
        }

        var order = Order(rowStatus, atVenue ? "v1" : null);

        Assert.Equal(expected, Describe(OrderDiff.Untold(order, told)));
    }

    [Fact]
    public void Only_untold_fills_are_told_before_the_status_and_the_snapshot()
    {
        var told = new ToldOrders();
        told.Remember(ToldOrdersTests.Update("a", OrderStatus.PartiallyFilled), DateTimeOffset.UnixEpoch);
        told.Remember(ToldOrdersTests.Fill("a", 1), DateTimeOffset.UnixEpoch);
        var order = Order(OrderStatus.Filled, "v1") with
        {
            Fills = [new OrderFill(1, 0.001m, 40000m, 5), new OrderFill(2, 0.002m, 40000m, 6)],
        };

        var events = OrderDiff.Untold(order, told);

        Assert.Equal("fill,order_update:FILLED,order_state", Describe(events));
        Assert.Equal(2L, events[0].TradeId);
    }

    [Fact]
    public void A_row_holding_only_told_facts_produces_nothing()
    {
        var told = new ToldOrders();
        told.Remember(ToldOrdersTests.Update("a", OrderStatus.PartiallyFilled), DateTimeOffset.UnixEpoch);
        told.Remember(ToldOrdersTests.Fill("a", 1), DateTimeOffset.UnixEpoch);
        var order = Order(OrderStatus.PartiallyFilled, "v1") with { Fills = [new OrderFill(1, 0.001m, 40000m, 5)] };

        Assert.Empty(OrderDiff.Untold(order, told));
    }

    public static TheoryData<string, OrderEvent[]> Changes => new()
    {
        { "ack", [new OrderAcknowledged(2, "v1")] },
        { "ack then a partial fill", [new OrderAcknowledged(2, "v1"), new OrderFilled(3, "v1", new OrderFill(1, 0.001m, 40000m, 3))] },
        { "a fill before the ack", [new OrderFilled(3, "v1", new OrderFill(1, 0.001m, 40000m, 3))] },
        { "filled in one report", [new OrderAcknowledged(2, "v1"), new OrderFilled(3, "v1", new OrderFill(1, 0.003m, 40000m, 3)), new VenueOrderReport(3, "v1", OrderStatus.Filled, 0.003m, 120m, null)] },
        { "two fills completing it", [new OrderFilled(3, "v1", new OrderFill(1, 0.001m, 40000m, 3)), new OrderFilled(4, "v1", new OrderFill(2, 0.002m, 40000m, 4))] },
        { "rejected", [new OrderRejected(2, -2010, "insufficient balance")] },
        { "cancelled at the venue", [new OrderAcknowledged(2, "v1"), new VenueOrderReport(5, "v1", OrderStatus.Cancelled, 0m, 0m, null)] },
        { "a cancel request only", [new CancelRequested(2)] },
    };

    [Theory]
    [MemberData(nameof(Changes))]
    public void Transitions_tell_the_same_events_as_the_row_they_led_to(string change, OrderEvent[] events)
    {
        // What the sequencer told of the order before: its PENDING row.
        var before = OrderStateMachine.New("a", "BTCUSDT", OrderSide.Buy, 0.003m, 40000m, 1);
        var transitions = Apply(before, events);
        var fromRow = Told(before);
        var fromTransitions = Told(before);

        var byRow = OrderDiff.Untold(transitions[^1].State, fromRow);
        var byTransitions = OrderDiff.FromTransitions(transitions, fromTransitions);

        Assert.Equal(Describe(byRow), Describe(byTransitions));
        Assert.Equal(byRow.Select(e => e.Data), byTransitions.Select(e => e.Data));
        Assert.True(change == "a cancel request only" ? byRow.Count == 0 : byRow.Count > 0, change);
    }

    [Fact]
    public void Transitions_tell_their_new_fills_and_the_status_they_led_to()
    {
        var accepted = OrderStateMachine.Apply(Order(OrderStatus.Pending, null), new OrderAcknowledged(2, "v1")).State;
        var transitions = Apply(accepted, [new OrderFilled(3, "v1", new OrderFill(7, 0.001m, 40000m, 3))]);

        var events = OrderDiff.FromTransitions(transitions, Told(accepted));

        Assert.Equal("fill,order_update:PARTIALLY_FILLED,order_state", Describe(events));
        Assert.Equal(7L, events[0].TradeId);
    }

    [Fact]
    public void What_a_sweep_told_first_is_not_told_again_from_the_transitions()
    {
        var before = Order(OrderStatus.Pending, null);
        var transitions = Apply(before, [new OrderAcknowledged(2, "v1"), new OrderFilled(3, "v1", new OrderFill(7, 0.001m, 40000m, 3))]);
        var told = Told(before);
        // The sweep read the row after the change was stored and told it before the transitions were looked at.
        foreach (var e in OrderDiff.Untold(transitions[^1].State, told))
        {
            told.Remember(e, DateTimeOffset.UnixEpoch);
        }

        Assert.Empty(OrderDiff.FromTransitions(transitions, told));
    }

    [Fact]
    public void Only_the_fills_a_transition_added_are_told_not_older_ones_of_the_row()
    {
        // An older fill stored by another process is told from that row's own notice, not from these transitions.
        var withOlderFill = Order(OrderStatus.PartiallyFilled, "v1") with { Fills = [new OrderFill(1, 0.001m, 40000m, 2)] };
        var transitions = Apply(withOlderFill, [new OrderFilled(4, "v1", new OrderFill(2, 0.001m, 40000m, 4))]);

        var events = OrderDiff.FromTransitions(transitions, new ToldOrders());

        Assert.Equal([2L], events.Where(e => e.Type == EventTypes.Fill).Select(e => e.TradeId!.Value));
    }

    private static List<OrderTransition> Apply(OrderState state, IEnumerable<OrderEvent> events)
    {
        var transitions = new List<OrderTransition>();
        foreach (var e in events)
        {
            var transition = OrderStateMachine.Apply(state, e);
            transitions.Add(transition);
            state = transition.State;
        }

        return transitions;
    }

    /// <summary>A memory that has told <paramref name="state"/> as it is.</summary>
    private static ToldOrders Told(OrderState state)
    {
        var told = new ToldOrders();
        foreach (var e in OrderDiff.Untold(state, told))
        {
            told.Remember(e, DateTimeOffset.UnixEpoch);
        }

        return told;
    }

    private static OrderState Order(OrderStatus status, string? venueOrderId) =>
        OrderStateMachine.New("a", "BTCUSDT", OrderSide.Buy, 0.003m, 40000m, 1) with { Status = status, VenueOrderId = venueOrderId };

    private static string Describe(List<GatewayEvent> events) =>
        string.Join(',', events.Select(e => e.Type == EventTypes.OrderUpdate ? $"{e.Type}:{e.OrderStatus}" : e.Type));
}

public sealed class AccountDiffTests
{
    [Fact]
    public void The_first_report_tells_the_assets_with_a_balance()
    {
        var diff = new AccountDiff();

        var account = diff.Next(1, [new("BTC", 1m, 0m), new("ETH", 0m, 0m)], full: true);

        Assert.Equal(["BTC"], Assets(account));
    }

    [Fact]
    public void An_unchanged_report_tells_nothing()
    {
        var diff = new AccountDiff();
        diff.Next(1, [new("BTC", 1m, 0m)], full: true);

        Assert.Null(diff.Next(2, [new("BTC", 1m, 0m)], full: true));
        Assert.Null(diff.Next(3, [new("BTC", 1m, 0m)], full: false));
    }

    [Fact]
    public void An_asset_that_just_lost_its_balance_is_shown_once_at_zero()
    {
        var diff = new AccountDiff();
        diff.Next(1, [new("BTC", 1m, 0m), new("USDT", 5m, 0m)], full: true);

        var emptied = diff.Next(2, [new("BTC", 0m, 0m)], full: false);
        var later = diff.Next(3, [new("USDT", 6m, 0m)], full: false);

        Assert.Equal(["BTC", "USDT"], Assets(emptied));
        Assert.Equal(["USDT"], Assets(later));
    }

    [Fact]
    public void A_full_report_without_an_asset_forgets_it()
    {
        var diff = new AccountDiff();
        diff.Next(1, [new("BTC", 1m, 0m), new("ETH", 2m, 0m)], full: true);

        var account = diff.Next(2, [new("BTC", 1m, 0m)], full: true);

        Assert.Equal(["BTC"], Assets(account));
    }

    [Fact]
    public void A_partial_report_keeps_the_unlisted_assets()
    {
        var diff = new AccountDiff();
        diff.Next(1, [new("BTC", 1m, 0m), new("ETH", 2m, 0m)], full: true);

        var account = diff.Next(2, [new("BTC", 1.5m, 0m)], full: false);

        Assert.Equal(["BTC", "ETH"], Assets(account));
    }

    private static List<string> Assets(GatewayEvent? account)
    {
        Assert.NotNull(account);
        Assert.Equal(EventTypes.Account, account.Type);
        using var json = JsonDocument.Parse(account.Data);
        return [.. json.RootElement.GetProperty("balances").EnumerateArray().Select(b => b.GetProperty("asset").GetString()!)];
    }
}
