using VeloZ.Domain.Orders;

namespace VeloZ.Functions.Orders;

/// <summary>A validated <c>POST /api/order</c>: an order of any type VeloZ offers, quantities and prices as exact decimals.</summary>
internal sealed record OrderRequest(OrderTicket Ticket, string? ClientOrderId)
{
    /// <summary>A LIMIT GTC order, the seed's only kind.</summary>
    public OrderRequest(OrderSide side, string symbol, decimal qty, decimal price, string? clientOrderId)
        : this(OrderTicket.Limit(symbol, side, qty, price), clientOrderId)
    {
    }

    public string Symbol => Ticket.Symbol;

    public OrderSide Side => Ticket.Side;
}

/// <summary>A validated <c>POST /api/cancel</c>.</summary>
internal sealed record CancelRequest(string ClientOrderId, string? Symbol);
