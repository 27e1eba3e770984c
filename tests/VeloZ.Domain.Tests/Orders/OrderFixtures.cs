using VeloZ.Domain.Orders;

namespace VeloZ.Domain.Tests.Orders;

/// <summary>Orders of quantity 1 at 40000 in each status, and one event of each table column.</summary>
internal static class OrderFixtures
{
    public const string Id = "vz-test-order-1";
    public const string VenueId = "900001";
    public const string Symbol = "BTCUSDT";
    public const long T0 = 1_704_067_200_000_000_000;
    public const long T1 = T0 + 1_000_000;
    public const string InsufficientBalance = "Account has insufficient balance for requested action.";

    public static OrderState Pending() => OrderStateMachine.New(Id, Symbol, OrderSide.Buy, 1m, 40000m, T0);

    public static OrderFill Fill(long tradeId, decimal qty, decimal price, long ts = T1) => new(tradeId, qty, price, ts);

    /// <summary>A state in <paramref name="status"/>, shaped as VeloZ would hold it after the usual path there.</summary>
    public static OrderState In(OrderStatus status)
    {
        var partial = Pending() with
        {
            VenueOrderId = VenueId,
            Fills = [Fill(1, 0.4m, 40000m, T0)],
            VenueExecutedQty = 0.4m,
            VenueCumQuote = 16000m,
        };

        return status switch
        {
            OrderStatus.Pending => Pending(),
            OrderStatus.Accepted => Pending() with { VenueOrderId = VenueId, Status = OrderStatus.Accepted },
            OrderStatus.PartiallyFilled => partial with { Status = OrderStatus.PartiallyFilled },
            // The REST answer said FILLED; the trades themselves have not been seen yet.
            OrderStatus.Filled => Pending() with
            {
                VenueOrderId = VenueId,
                Status = OrderStatus.Filled,
                VenueExecutedQty = 1m,
                VenueCumQuote = 40000.5m,
            },
            OrderStatus.Cancelled => partial with { Status = OrderStatus.Cancelled, CancelRequested = true },
            OrderStatus.Rejected => Pending() with { Status = OrderStatus.Rejected, Reason = "-2010: " + InsufficientBalance },
            OrderStatus.Expired => partial with { Status = OrderStatus.Expired, Reason = "EXPIRED_IN_MATCH" },
            _ => throw new ArgumentOutOfRangeException(nameof(status)),
        };
    }

    /// <summary>One event per table column, named as the column.</summary>
    public static OrderEvent Event(string column) => column switch
    {
        "Acknowledged" => new OrderAcknowledged(T1, VenueId),
        "Rejected" => new OrderRejected(T1, -2010, InsufficientBalance),
        "NotPlaced" => new OrderNotPlaced(T1, "-2013: Order does not exist."),
        "Filled" => new OrderFilled(T1, VenueId, Fill(2, 0.1m, 40001m)),
        "ReportPending" => Report(OrderStatus.Pending, 0m, 0m),
        "ReportAccepted" => Report(OrderStatus.Accepted, 0m, 0m),
        "ReportPartiallyFilled" => Report(OrderStatus.PartiallyFilled, 0.5m, 20000.5m),
        "ReportFilled" => Report(OrderStatus.Filled, 1m, 40000.5m),
        "ReportCancelled" => Report(OrderStatus.Cancelled, 0.4m, 16000m),
        "ReportRejected" => Report(OrderStatus.Rejected, 0m, 0m, "INSUFFICIENT_BALANCES"),
        "ReportExpired" => Report(OrderStatus.Expired, 0.4m, 16000m, "EXPIRED_IN_MATCH"),
        "CancelRequested" => new CancelRequested(T1),
        _ => throw new ArgumentOutOfRangeException(nameof(column), column, null),
    };

    public static VenueOrderReport Report(OrderStatus status, decimal executed, decimal cumQuote, string? reason = null, long ts = T1) =>
        new(ts, VenueId, status, executed, cumQuote, reason);

    /// <summary>Applies events in order and returns every transition.</summary>
    public static List<OrderTransition> Run(OrderState state, params IEnumerable<OrderEvent> events)
    {
        var transitions = new List<OrderTransition>();
        foreach (var e in events)
        {
            var t = OrderStateMachine.Apply(state, e);
            transitions.Add(t);
            state = t.State;
        }

        return transitions;
    }
}
