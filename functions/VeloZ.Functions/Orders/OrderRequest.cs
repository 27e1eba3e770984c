using VeloZ.Domain.Orders;

namespace VeloZ.Functions.Orders;

/// <summary>A validated <c>POST /api/order</c>: LIMIT GTC, quantities and prices as exact decimals.</summary>
internal sealed record OrderRequest(OrderSide Side, string Symbol, decimal Qty, decimal Price, string? ClientOrderId);

/// <summary>A validated <c>POST /api/cancel</c>.</summary>
internal sealed record CancelRequest(string ClientOrderId, string? Symbol);
