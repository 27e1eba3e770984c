using VeloZ.Domain.Orders;
using static VeloZ.Domain.Orders.OrderStatus;

namespace VeloZ.Domain.Tests.Orders;

/// <summary>
/// Every (status, event) cell of the transition table, with the state and event of <see cref="OrderFixtures"/>:
/// the status after, whether an anomaly is reported, and whether the state changed at all.
/// </summary>
public sealed class OrderTransitionTableTests
{
    private const bool Anomaly = true;
    private const bool Normal = false;
    private const bool Changes = true;
    private const bool NoChange = false;

    private static readonly string[] s_columns =
    [
        "Acknowledged", "Rejected", "NotPlaced", "Filled", "ReportPending", "ReportAccepted", "ReportPartiallyFilled",
        "ReportFilled", "ReportCancelled", "ReportRejected", "ReportExpired", "CancelRequested",
    ];

    public static TheoryData<OrderStatus, string, OrderStatus, bool, bool> Cells { get; } = new()
    {
        // PENDING
        { Pending, "Acknowledged", Accepted, Normal, Changes },
        { Pending, "Rejected", Rejected, Normal, Changes },
        { Pending, "NotPlaced", Rejected, Normal, Changes },
        { Pending, "Filled", PartiallyFilled, Normal, Changes },
        { Pending, "ReportPending", Pending, Normal, Changes },               // venue id learnt
        { Pending, "ReportAccepted", Accepted, Normal, Changes },
        { Pending, "ReportPartiallyFilled", PartiallyFilled, Normal, Changes },
        { Pending, "ReportFilled", Filled, Normal, Changes },
        { Pending, "ReportCancelled", Cancelled, Normal, Changes },
        { Pending, "ReportRejected", Rejected, Normal, Changes },
        { Pending, "ReportExpired", Expired, Normal, Changes },
        { Pending, "CancelRequested", Pending, Normal, Changes },

        // ACCEPTED
        { Accepted, "Acknowledged", Accepted, Normal, NoChange },
        { Accepted, "Rejected", Accepted, Anomaly, NoChange },
        { Accepted, "NotPlaced", Accepted, Anomaly, NoChange },
        { Accepted, "Filled", PartiallyFilled, Normal, Changes },
        { Accepted, "ReportPending", Accepted, Normal, NoChange },
        { Accepted, "ReportAccepted", Accepted, Normal, NoChange },
        { Accepted, "ReportPartiallyFilled", PartiallyFilled, Normal, Changes },
        { Accepted, "ReportFilled", Filled, Normal, Changes },
        { Accepted, "ReportCancelled", Cancelled, Normal, Changes },
        { Accepted, "ReportRejected", Rejected, Anomaly, Changes },
        { Accepted, "ReportExpired", Expired, Normal, Changes },
        { Accepted, "CancelRequested", Accepted, Normal, Changes },

        // PARTIALLY_FILLED (0.4 of 1 filled)
        { PartiallyFilled, "Acknowledged", PartiallyFilled, Normal, NoChange },
        { PartiallyFilled, "Rejected", PartiallyFilled, Anomaly, NoChange },
        { PartiallyFilled, "NotPlaced", PartiallyFilled, Anomaly, NoChange },
        { PartiallyFilled, "Filled", PartiallyFilled, Normal, Changes },
        { PartiallyFilled, "ReportPending", PartiallyFilled, Normal, NoChange },
        { PartiallyFilled, "ReportAccepted", PartiallyFilled, Normal, NoChange },
        { PartiallyFilled, "ReportPartiallyFilled", PartiallyFilled, Normal, Changes }, // figures raised
        { PartiallyFilled, "ReportFilled", Filled, Normal, Changes },
        { PartiallyFilled, "ReportCancelled", Cancelled, Normal, Changes },
        { PartiallyFilled, "ReportRejected", Rejected, Anomaly, Changes },
        { PartiallyFilled, "ReportExpired", Expired, Normal, Changes },
        { PartiallyFilled, "CancelRequested", PartiallyFilled, Normal, Changes },

        // FILLED (by the venue's figures; trades not seen yet)
        { Filled, "Acknowledged", Filled, Normal, NoChange },                 // late ack never overwrites FILLED
        { Filled, "Rejected", Filled, Anomaly, NoChange },
        { Filled, "NotPlaced", Filled, Anomaly, NoChange },
        { Filled, "Filled", Filled, Normal, Changes },                       // the trade detail arrives
        { Filled, "ReportPending", Filled, Normal, NoChange },
        { Filled, "ReportAccepted", Filled, Normal, NoChange },               // late NEW never overwrites FILLED
        { Filled, "ReportPartiallyFilled", Filled, Normal, NoChange },
        { Filled, "ReportFilled", Filled, Normal, NoChange },
        { Filled, "ReportCancelled", Filled, Anomaly, NoChange },
        { Filled, "ReportRejected", Filled, Anomaly, NoChange },
        { Filled, "ReportExpired", Filled, Anomaly, NoChange },
        { Filled, "CancelRequested", Filled, Normal, Changes },

        // CANCELLED (0.4 filled before the cancel)
        { Cancelled, "Acknowledged", Cancelled, Normal, NoChange },
        { Cancelled, "Rejected", Cancelled, Anomaly, NoChange },
        { Cancelled, "NotPlaced", Cancelled, Anomaly, NoChange },
        { Cancelled, "Filled", Cancelled, Normal, Changes },                 // late fill
        { Cancelled, "ReportPending", Cancelled, Normal, NoChange },
        { Cancelled, "ReportAccepted", Cancelled, Normal, NoChange },
        { Cancelled, "ReportPartiallyFilled", Cancelled, Normal, Changes },
        { Cancelled, "ReportFilled", Filled, Anomaly, Changes },             // the cancel lost the race
        { Cancelled, "ReportCancelled", Cancelled, Normal, NoChange },
        { Cancelled, "ReportRejected", Cancelled, Anomaly, NoChange },
        { Cancelled, "ReportExpired", Cancelled, Anomaly, NoChange },
        { Cancelled, "CancelRequested", Cancelled, Normal, NoChange },        // already requested

        // REJECTED (no venue id)
        { Rejected, "Acknowledged", Rejected, Anomaly, Changes },
        { Rejected, "Rejected", Rejected, Anomaly, NoChange },
        { Rejected, "NotPlaced", Rejected, Anomaly, NoChange },
        { Rejected, "Filled", Rejected, Anomaly, Changes },
        { Rejected, "ReportPending", Rejected, Anomaly, Changes },
        { Rejected, "ReportAccepted", Rejected, Anomaly, Changes },
        { Rejected, "ReportPartiallyFilled", Rejected, Anomaly, Changes },
        { Rejected, "ReportFilled", Filled, Anomaly, Changes },
        { Rejected, "ReportCancelled", Rejected, Anomaly, Changes },
        { Rejected, "ReportRejected", Rejected, Normal, Changes },           // venue id learnt, reason kept
        { Rejected, "ReportExpired", Rejected, Anomaly, Changes },
        { Rejected, "CancelRequested", Rejected, Normal, Changes },

        // EXPIRED (0.4 filled before the expiry)
        { Expired, "Acknowledged", Expired, Normal, NoChange },
        { Expired, "Rejected", Expired, Anomaly, NoChange },
        { Expired, "NotPlaced", Expired, Anomaly, NoChange },
        { Expired, "Filled", Expired, Normal, Changes },
        { Expired, "ReportPending", Expired, Normal, NoChange },
        { Expired, "ReportAccepted", Expired, Normal, NoChange },
        { Expired, "ReportPartiallyFilled", Expired, Normal, Changes },
        { Expired, "ReportFilled", Filled, Anomaly, Changes },
        { Expired, "ReportCancelled", Expired, Anomaly, NoChange },
        { Expired, "ReportRejected", Expired, Anomaly, NoChange },
        { Expired, "ReportExpired", Expired, Normal, NoChange },
        { Expired, "CancelRequested", Expired, Normal, Changes },
    };

    [Theory]
    [MemberData(nameof(Cells))]
    public void Each_cell_gives_the_status_anomaly_and_change_of_the_table(
        OrderStatus from, string column, OrderStatus expected, bool anomaly, bool changes)
    {
        var before = OrderFixtures.In(from);
        var e = OrderFixtures.Event(column);

        var t = OrderStateMachine.Apply(before, e);

        Assert.Equal(expected, t.State.Status);
        Assert.Equal(anomaly, t.Anomaly is not null);
        Assert.Equal(changes, t.Changed);
        Assert.Equal(from != expected, t.StatusChanged);

        // Invariants of every cell.
        Assert.True(t.State.Status.Rank() >= before.Status.Rank(), "status rank went down");
        Assert.True(t.State.ExecutedQty >= before.ExecutedQty, "executed qty went down");
        Assert.True(t.State.VenueExecutedQty >= before.VenueExecutedQty);
        Assert.True(t.State.VenueCumQuote >= before.VenueCumQuote);
        Assert.True(t.State.ExecutedQty <= t.State.OrderQty);
        Assert.Equal(before.ClientOrderId, t.State.ClientOrderId);
        Assert.Equal(before.CreatedTsNs, t.State.CreatedTsNs);
        if (changes)
        {
            Assert.Equal(OrderFixtures.T1, t.State.LastTsNs);
        }
        else
        {
            Assert.Same(before, t.State);
            Assert.Empty(t.NewFills);
        }

        if (e is OrderFilled filled && changes)
        {
            Assert.Equal([filled.Fill], t.NewFills);
            Assert.Contains(filled.Fill, t.State.Fills);
        }
        else
        {
            Assert.Empty(t.NewFills);
        }

        if (before.VenueOrderId is not null)
        {
            Assert.Equal(before.VenueOrderId, t.State.VenueOrderId);
        }
        else if (changes && e is not (OrderRejected or OrderNotPlaced or CancelRequested))
        {
            Assert.Equal(OrderFixtures.VenueId, t.State.VenueOrderId);
        }
    }

    [Fact]
    public void The_test_table_covers_every_status_and_every_column_once()
    {
        var covered = Cells.Select(row => (row.Data.Item1, row.Data.Item2)).ToList();

        Assert.Equal(Enum.GetValues<OrderStatus>().Length * s_columns.Length, covered.Count);
        Assert.Equal(covered.Count, covered.Distinct().Count());
        Assert.All(covered, cell => Assert.Contains(cell.Item2, s_columns));
    }

    [Fact]
    public void The_implemented_table_has_exactly_one_cell_for_every_status_and_event_kind()
    {
        var rows = OrderTransitionTable.Rows.Select(r => (r.From, r.On)).ToList();
        var expected =
            from status in Enum.GetValues<OrderStatus>()
            from kind in Enum.GetValues<OrderEventKind>()
            select (status, kind);

        Assert.Equal(rows.Count, rows.Distinct().Count());
        Assert.Equal(expected.OrderBy(x => x).ToList(), rows.OrderBy(x => x).ToList());
        Assert.Equal(s_columns, Enum.GetNames<OrderEventKind>());
    }

    [Fact]
    public void No_cell_of_the_implemented_table_moves_backwards_or_from_one_final_status_to_another()
    {
        Assert.All(OrderTransitionTable.Rows, row =>
        {
            if (row.Then.Action != CellAction.MoveTo)
            {
                return;
            }

            Assert.False(row.From.IsFinal(), $"{row.From} × {row.On}: a final status only becomes FILLED through the quantity rule");
            Assert.True(row.Then.Target.Rank() > row.From.Rank(), $"{row.From} × {row.On} → {row.Then.Target} does not move forward");
        });
    }

    [Fact]
    public void Only_a_rejection_or_not_placed_event_is_ever_refused_by_the_table() =>
        Assert.All(
            OrderTransitionTable.Rows.Where(r => r.Then.Action == CellAction.Refuse),
            row =>
            {
                Assert.Contains(row.On, new[] { OrderEventKind.Rejected, OrderEventKind.NotPlaced });
                Assert.NotEqual(OrderStatus.Pending, row.From);
                Assert.NotNull(row.Then.Anomaly);
            });

    [Theory]
    [MemberData(nameof(Cells))]
    public void Every_fixture_event_lands_in_the_column_it_is_named_after(OrderStatus from, string column, OrderStatus expected, bool anomaly, bool changes)
    {
        _ = (from, expected, anomaly, changes);
        Assert.True(OrderStateMachine.TryClassify(OrderFixtures.Event(column), out var kind));
        Assert.Equal(column, kind.ToString());
    }

    [Theory]
    [MemberData(nameof(Cells))]
    public void Applying_the_same_event_twice_changes_nothing_the_second_time(
        OrderStatus from, string column, OrderStatus expected, bool anomaly, bool changes)
    {
        _ = (expected, anomaly, changes);
        var once = OrderStateMachine.Apply(OrderFixtures.In(from), OrderFixtures.Event(column)).State;

        var twice = OrderStateMachine.Apply(once, OrderFixtures.Event(column));

        Assert.False(twice.Changed);
        Assert.False(twice.StatusChanged);
        Assert.Empty(twice.NewFills);
        Assert.Same(once, twice.State);
    }
}
