using VeloZ.Domain.Orders;
using static VeloZ.Domain.Tests.Orders.OrderFixtures;

namespace VeloZ.Domain.Tests.Orders;

/// <summary>
/// Sources race: the REST answer, the user data stream and reconciliation deliver the same facts in any
/// order, some twice. Whatever the order, the outcome must be the same, executed quantity and status rank
/// must never go down, every trade must be published exactly once and no status twice.
/// </summary>
public sealed class OrderEventOrderTests
{
    private const int Shuffles = 500;

    private sealed record Scenario(OrderState Start, OrderEvent[] Events, OrderStatus Status, decimal ExecutedQty, decimal? AvgPrice, long[] TradeIds);

    private static OrderFilled Trade(long id, decimal qty, decimal price, string? venueId = VenueId, decimal commission = 0m) =>
        new(T1 + id, venueId, new OrderFill(id, qty, price, T1 + id, commission, commission == 0m ? null : "BTC"));

    private static Scenario Build(string name) => name switch
    {
        "filled in two trades" => new Scenario(
            OrderStateMachine.New(Id, Symbol, OrderSide.Buy, 0.003m, 40003m, T0),
            [
                new OrderAcknowledged(T1, VenueId),
                Trade(1, 0.001m, 40000m),
                Trade(2, 0.002m, 40003m),
                Report(OrderStatus.Pending, 0m, 0m),
                Report(OrderStatus.Accepted, 0m, 0m),
                Report(OrderStatus.PartiallyFilled, 0.001m, 40m),
                Report(OrderStatus.Filled, 0.003m, 120.006m),
                Trade(1, 0.001m, 40000m, venueId: null, commission: 0.000001m), // FULL answer's fills
                Trade(2, 0.002m, 40003m, venueId: null, commission: 0.000002m),
                new CancelRequested(T1 + 7),
            ],
            OrderStatus.Filled, 0.003m, 40002m, [1, 2]),

        "partially filled then cancelled" => new Scenario(
            Pending(),
            [
                new OrderAcknowledged(T1, VenueId),
                Trade(1, 0.4m, 40000m),
                Report(OrderStatus.PartiallyFilled, 0.4m, 16000m),
                new CancelRequested(T1 + 3),
                Report(OrderStatus.Cancelled, 0.4m, 16000m),
                Trade(1, 0.4m, 40000m, venueId: null),
                Report(OrderStatus.Accepted, 0m, 0m),
            ],
            OrderStatus.Cancelled, 0.4m, 40000m, [1]),

        "the cancel lost the race" => new Scenario(
            Pending(),
            [
                new OrderAcknowledged(T1, VenueId),
                Trade(1, 0.4m, 40000m),
                new CancelRequested(T1 + 2),
                Report(OrderStatus.Cancelled, 0.4m, 16000m),
                Trade(2, 0.6m, 40005m),
                Report(OrderStatus.PartiallyFilled, 0.4m, 16000m),
            ],
            OrderStatus.Filled, 1m, 40003m, [1, 2]),

        "expired in match after two trades" => new Scenario(
            Pending(),
            [
                new OrderAcknowledged(T1, VenueId),
                Trade(1, 0.25m, 40000m),
                Trade(2, 0.25m, 40002m),
                Report(OrderStatus.Expired, 0.5m, 20000.5m, "EXPIRED_IN_MATCH"),
                Report(OrderStatus.PartiallyFilled, 0.25m, 10000m),
                Trade(2, 0.25m, 40002m, venueId: null),
            ],
            OrderStatus.Expired, 0.5m, 40001m, [1, 2]),

        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };

    public static TheoryData<string, int> Scenarios { get; } = new()
    {
        { "filled in two trades", 11 },
        { "partially filled then cancelled", 12 },
        { "the cancel lost the race", 13 },
        { "expired in match after two trades", 14 },
    };

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Any_order_of_the_same_events_gives_the_same_order_and_never_goes_back(string name, int seed)
    {
        var scenario = Build(name);
        var random = new Random(seed);
        var finals = new HashSet<(OrderStatus, decimal, decimal?, string, string?, bool)>();

        for (var i = 0; i < Shuffles; i++)
        {
            var events = (OrderEvent[])scenario.Events.Clone();
            random.Shuffle(events);

            var state = scenario.Start;
            var published = new List<OrderFill>();
            var statusPath = new List<OrderStatus> { state.Status };
            foreach (var e in events)
            {
                var t = OrderStateMachine.Apply(state, e);

                Assert.True(t.State.Status.Rank() >= state.Status.Rank(), $"{name}: rank went down at {e}");
                Assert.True(t.State.ExecutedQty >= state.ExecutedQty, $"{name}: executed qty went down at {e}");
                Assert.True(t.State.VenueExecutedQty >= state.VenueExecutedQty);
                Assert.True(t.State.VenueCumQuote >= state.VenueCumQuote);
                Assert.True(t.State.ExecutedQty <= t.State.OrderQty);
                Assert.Equal(t.State.Status != state.Status, t.StatusChanged);
                if (t.StatusChanged)
                {
                    statusPath.Add(t.State.Status);
                }

                published.AddRange(t.NewFills);
                state = t.State;
            }

            Assert.Equal(scenario.Status, state.Status);
            Assert.Equal(scenario.ExecutedQty, state.ExecutedQty);
            Assert.Equal(scenario.AvgPrice, state.AvgPrice);
            Assert.Equal(VenueId, state.VenueOrderId);
            Assert.Equal(scenario.TradeIds, state.Fills.Select(f => f.TradeId).Order());
            Assert.Equal(scenario.TradeIds, published.Select(f => f.TradeId).Order()); // one `fill` event per trade
            Assert.Equal(statusPath.Count, statusPath.Distinct().Count());              // one `order_update` per status

            finals.Add((state.Status, state.ExecutedQty, state.AvgPrice, string.Join(',', state.Fills.Select(f => f.TradeId).Order()), state.Reason, state.CancelRequested));
        }

        Assert.Single(finals);
    }
}
