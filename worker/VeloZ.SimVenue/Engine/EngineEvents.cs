using System.Text.Json.Nodes;
using VeloZ.SimVenue.Infrastructure;

namespace VeloZ.SimVenue.Engine;

/// <summary>Payloads of the user data events (Binance's user-data-stream.md) and market streams (Binance's web-socket-streams.md) the engine emits.</summary>
internal static class EngineEvents
{
    public static JsonObject ExecutionReport(SimOrder order, string executionType, long now, long executionId, SimTrade? trade, string? originalClientOrderId)
    {
        var onBook = order.Status.IsOpen() && order.Type != OrderType.Market && order.TimeInForce == TimeInForce.Gtc;
        var report = new JsonObject
        {
            ["e"] = "executionReport",
            ["E"] = now,
            ["s"] = order.Symbol.Options.Symbol,
            ["c"] = order.ClientOrderId,
            ["S"] = order.Side.Wire(),
            ["o"] = order.Type.Wire(),
            ["f"] = order.TimeInForce.Wire(),
            ["q"] = Wire.Dec(order.OrigQty),
            ["p"] = Wire.Dec(order.Price),
            ["P"] = Wire.Dec(0m),
            ["F"] = Wire.Dec(0m),
            ["g"] = -1,
            ["C"] = originalClientOrderId ?? string.Empty,
            ["x"] = executionType,
            ["X"] = order.Status.Wire(),
            ["r"] = "NONE",
            ["i"] = order.OrderId,
            ["l"] = Wire.Dec(trade?.Qty ?? 0m),
            ["z"] = Wire.Dec(order.ExecutedQty),
            ["L"] = Wire.Dec(trade?.Price ?? 0m),
            ["n"] = trade is null ? "0" : Wire.Dec(trade.Commission),
            ["N"] = trade?.CommissionAsset,
            ["T"] = now,
            ["t"] = trade?.Id ?? -1,
            ["I"] = executionId,
            ["w"] = onBook,
            ["m"] = trade?.IsMaker ?? false,
            ["M"] = false,
            ["O"] = order.Time,
            ["Z"] = Wire.Dec(order.CumulativeQuoteQty),
            ["Y"] = Wire.Dec(trade?.QuoteQty ?? 0m),
            ["Q"] = Wire.Dec(order.OrigQuoteOrderQty),
        };
        if (order.WorkingTime is { } workingTime)
        {
            report["W"] = workingTime;
        }

        report["V"] = order.SelfTradePreventionMode;
        if (order.Status == OrderStatus.Expired)
        {
            report["eR"] = order.ExpiryReason ?? "NONE";
        }

        return report;
    }

    public static JsonObject AccountPosition(SimAccount account, IEnumerable<string> assets, long now)
    {
        var balances = new JsonArray();
        foreach (var asset in assets.Order(StringComparer.Ordinal))
        {
            var balance = account.BalanceOf(asset);
            balances.Add(new JsonObject { ["a"] = asset, ["f"] = Wire.Dec(balance.Free), ["l"] = Wire.Dec(balance.Locked) });
        }

        return new JsonObject { ["e"] = "outboundAccountPosition", ["E"] = now, ["u"] = account.UpdateTime, ["B"] = balances };
    }

    public static JsonObject BalanceUpdate(string asset, decimal delta, long now) =>
        new() { ["e"] = "balanceUpdate", ["E"] = now, ["a"] = asset, ["d"] = Wire.Dec(delta), ["T"] = now };

    public static JsonObject Trade(SymbolState symbol, long tradeId, decimal price, decimal qty, long now, bool buyerIsMaker) => new()
    {
        ["e"] = "trade",
        ["E"] = now,
        ["s"] = symbol.Options.Symbol,
        ["t"] = tradeId,
        ["p"] = Wire.Dec(price),
        ["q"] = Wire.Dec(qty),
        ["T"] = now,
        ["m"] = buyerIsMaker,
        ["M"] = true,
    };

    /// <summary>bookTicker has no <c>e</c>/<c>E</c> (Binance's web-socket-streams.md).</summary>
    public static JsonObject BookTicker(SymbolState symbol) => new()
    {
        ["u"] = symbol.BookUpdateId,
        ["s"] = symbol.Options.Symbol,
        ["b"] = Wire.Dec(symbol.Bid),
        ["B"] = Wire.Dec(symbol.BidLiquidity),
        ["a"] = Wire.Dec(symbol.Ask),
        ["A"] = Wire.Dec(symbol.AskLiquidity),
    };
}
