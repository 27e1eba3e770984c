using VeloZ.Domain.Events;
using VeloZ.Domain.Orders;

namespace VeloZ.Worker.Events;

/// <summary>
/// What the sequencer has told about each order: the last status announced and the trade ids of the fills
/// announced. What was told about a finished order (FILLED, CANCELLED, REJECTED, EXPIRED) is forgotten one
/// retention period after its final status was told (<see cref="ForgetFinished"/>): a restarted sequencer, which
/// rebuilds this memory from the retained log, would not remember it either, so the memory of a long-running
/// worker is bounded by the retention period, not by its uptime.
/// </summary>
internal sealed class ToldOrders
{
    private readonly Dictionary<string, Marks> _marks = new(StringComparer.Ordinal);
    private readonly Queue<(string ClientOrderId, DateTimeOffset FinishedAt)> _finished = new();

    /// <summary>How many orders are remembered.</summary>
    public int Count => _marks.Count;

    /// <summary>The last status told of the order; null before any.</summary>
    public OrderStatus? StatusOf(string clientOrderId) => _marks.TryGetValue(clientOrderId, out var marks) ? marks.Status : null;

    /// <summary>Whether the fill with <paramref name="tradeId"/> of the order was told.</summary>
    public bool WasFillTold(string clientOrderId, long tradeId) => _marks.TryGetValue(clientOrderId, out var marks) && marks.TradeIds.Contains(tradeId);

    /// <summary>
    /// Replaces the memory with what <paramref name="newestFirst"/> (the retained order events, newest first) told;
    /// a final status restored at <paramref name="now"/> is kept a whole retention period from then, whenever it was told.
    /// </summary>
    public void Restore(IEnumerable<GatewayEvent> newestFirst, DateTimeOffset now)
    {
        _marks.Clear();
        _finished.Clear();
        foreach (var e in newestFirst)
        {
            if (e.ClientOrderId is not { } id)
            {
                continue;
            }

            var marks = MarksOf(id);
            if (e.Type == EventTypes.OrderUpdate && marks.Status is null)
            {
                MarkStatus(id, marks, e.OrderStatus, now);
            }
            else if (e.Type == EventTypes.Fill && e.TradeId is { } trade)
            {
                marks.TradeIds.Add(trade);
            }
        }
    }

    /// <summary>Remembers what event <paramref name="e"/>, told at <paramref name="now"/>, says of its order.</summary>
    public void Remember(GatewayEvent e, DateTimeOffset now)
    {
        if (e.ClientOrderId is not { } id)
        {
            return;
        }

        if (e.Type == EventTypes.OrderUpdate)
        {
            MarkStatus(id, MarksOf(id), e.OrderStatus, now);
        }
        else if (e.Type == EventTypes.Fill && e.TradeId is { } trade)
        {
            MarksOf(id).TradeIds.Add(trade);
        }
    }

    /// <summary>Forgets finished orders whose final status was told before <paramref name="before"/>.</summary>
    public void ForgetFinished(DateTimeOffset before)
    {
        while (_finished.TryPeek(out var head) && head.FinishedAt < before)
        {
            _finished.Dequeue();
            // Only the newest telling counts: an order told again later has a later entry of its own.
            if (_marks.TryGetValue(head.ClientOrderId, out var marks) && marks.FinishedAt == head.FinishedAt)
            {
                _marks.Remove(head.ClientOrderId);
            }
        }
    }

    /// <summary>Records the status told of an order; a final one starts the order's retention period at <paramref name="now"/>.</summary>
    private void MarkStatus(string clientOrderId, Marks marks, string? wireStatus, DateTimeOffset now)
    {
        marks.Status = OrderWire.TryParseStatus(wireStatus, out var status) ? status : null;
        if (marks.Status?.IsFinal() == true)
        {
            marks.FinishedAt = now;
            _finished.Enqueue((clientOrderId, now));
        }
    }

    private Marks MarksOf(string clientOrderId)
    {
        if (!_marks.TryGetValue(clientOrderId, out var marks))
        {
            marks = new Marks();
            _marks[clientOrderId] = marks;
        }

        return marks;
    }

    private sealed class Marks
    {
        /// <summary>The last status told; null before any.</summary>
        public OrderStatus? Status { get; set; }

        public HashSet<long> TradeIds { get; } = [];

        /// <summary>When its final status was told (or restored); null while the order is open.</summary>
        public DateTimeOffset? FinishedAt { get; set; }
    }
}
