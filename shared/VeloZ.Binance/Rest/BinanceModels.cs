using System.Text.Json.Serialization;

namespace VeloZ.Binance.Rest;

// Binance's REST payloads (Binance Spot API docs, rest-api.md). Decimals arrive as strings and are read as decimal.

public sealed record BinanceError(
    [property: JsonPropertyName("code")] int Code,
    [property: JsonPropertyName("msg")] string? Msg);

public sealed record BinanceServerTime([property: JsonPropertyName("serverTime")] long ServerTime);

public sealed record BinanceEmpty;

public sealed record BinanceTickerPrice(
    [property: JsonPropertyName("symbol")] string Symbol,
    [property: JsonPropertyName("price")] decimal Price);

public sealed record BinanceBookTicker(
    [property: JsonPropertyName("symbol")] string Symbol,
    [property: JsonPropertyName("bidPrice")] decimal BidPrice,
    [property: JsonPropertyName("bidQty")] decimal BidQty,
    [property: JsonPropertyName("askPrice")] decimal AskPrice,
    [property: JsonPropertyName("askQty")] decimal AskQty);

public sealed record BinanceRateLimit(
    [property: JsonPropertyName("rateLimitType")] string RateLimitType,
    [property: JsonPropertyName("interval")] string Interval,
    [property: JsonPropertyName("intervalNum")] int IntervalNum,
    [property: JsonPropertyName("limit")] int Limit);

public sealed record BinanceFilter(
    [property: JsonPropertyName("filterType")] string FilterType,
    [property: JsonPropertyName("minPrice")] decimal? MinPrice = null,
    [property: JsonPropertyName("maxPrice")] decimal? MaxPrice = null,
    [property: JsonPropertyName("tickSize")] decimal? TickSize = null,
    [property: JsonPropertyName("minQty")] decimal? MinQty = null,
    [property: JsonPropertyName("maxQty")] decimal? MaxQty = null,
    [property: JsonPropertyName("stepSize")] decimal? StepSize = null,
    [property: JsonPropertyName("minNotional")] decimal? MinNotional = null,
    [property: JsonPropertyName("maxNotional")] decimal? MaxNotional = null,
    [property: JsonPropertyName("maxNumOrders")] int? MaxNumOrders = null);

public sealed record BinanceSymbolInfo(
    [property: JsonPropertyName("symbol")] string Symbol,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("baseAsset")] string BaseAsset,
    [property: JsonPropertyName("quoteAsset")] string QuoteAsset,
    [property: JsonPropertyName("filters")] IReadOnlyList<BinanceFilter> Filters)
{
    /// <summary>The order types the symbol accepts (e.g. <c>LIMIT</c>, <c>MARKET</c>); null when exchangeInfo did not list them.</summary>
    [JsonPropertyName("orderTypes")]
    public IReadOnlyList<string>? OrderTypes { get; init; }

    /// <summary>Whether a MARKET order may be given by <c>quoteOrderQty</c>; null when not listed.</summary>
    [JsonPropertyName("quoteOrderQtyMarketAllowed")]
    public bool? QuoteOrderQtyMarketAllowed { get; init; }

    /// <summary>The self-trade prevention modes the symbol accepts; null when not listed.</summary>
    [JsonPropertyName("allowedSelfTradePreventionModes")]
    public IReadOnlyList<string>? AllowedSelfTradePreventionModes { get; init; }
}

public sealed record BinanceExchangeInfo(
    [property: JsonPropertyName("serverTime")] long ServerTime,
    [property: JsonPropertyName("rateLimits")] IReadOnlyList<BinanceRateLimit> RateLimits,
    [property: JsonPropertyName("symbols")] IReadOnlyList<BinanceSymbolInfo> Symbols);

public sealed record BinanceFill(
    [property: JsonPropertyName("price")] decimal Price,
    [property: JsonPropertyName("qty")] decimal Qty,
    [property: JsonPropertyName("commission")] decimal Commission,
    [property: JsonPropertyName("commissionAsset")] string? CommissionAsset,
    [property: JsonPropertyName("tradeId")] long TradeId);

/// <summary>An order as <c>POST</c>, <c>DELETE</c> and <c>GET /api/v3/order</c> and <c>openOrders</c> describe it.</summary>
public sealed record BinanceOrder(
    [property: JsonPropertyName("symbol")] string Symbol,
    [property: JsonPropertyName("orderId")] long OrderId,
    [property: JsonPropertyName("clientOrderId")] string ClientOrderId,
    [property: JsonPropertyName("origClientOrderId")] string? OrigClientOrderId = null,
    [property: JsonPropertyName("transactTime")] long? TransactTime = null,
    [property: JsonPropertyName("price")] decimal? Price = null,
    [property: JsonPropertyName("origQty")] decimal? OrigQty = null,
    [property: JsonPropertyName("executedQty")] decimal? ExecutedQty = null,
    [property: JsonPropertyName("cummulativeQuoteQty")] decimal? CummulativeQuoteQty = null,
    [property: JsonPropertyName("status")] string? Status = null,
    [property: JsonPropertyName("timeInForce")] string? TimeInForce = null,
    [property: JsonPropertyName("type")] string? Type = null,
    [property: JsonPropertyName("side")] string? Side = null,
    [property: JsonPropertyName("time")] long? Time = null,
    [property: JsonPropertyName("updateTime")] long? UpdateTime = null,
    [property: JsonPropertyName("fills")] IReadOnlyList<BinanceFill>? Fills = null);

public sealed record BinanceBalance(
    [property: JsonPropertyName("asset")] string Asset,
    [property: JsonPropertyName("free")] decimal Free,
    [property: JsonPropertyName("locked")] decimal Locked);

public sealed record BinanceAccount(
    [property: JsonPropertyName("canTrade")] bool CanTrade,
    [property: JsonPropertyName("updateTime")] long UpdateTime,
    [property: JsonPropertyName("balances")] IReadOnlyList<BinanceBalance> Balances);

public sealed record BinanceTrade(
    [property: JsonPropertyName("symbol")] string Symbol,
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("orderId")] long OrderId,
    [property: JsonPropertyName("price")] decimal Price,
    [property: JsonPropertyName("qty")] decimal Qty,
    [property: JsonPropertyName("quoteQty")] decimal QuoteQty,
    [property: JsonPropertyName("commission")] decimal Commission,
    [property: JsonPropertyName("commissionAsset")] string? CommissionAsset,
    [property: JsonPropertyName("time")] long Time,
    [property: JsonPropertyName("isBuyer")] bool IsBuyer,
    [property: JsonPropertyName("isMaker")] bool IsMaker);

[JsonSourceGenerationOptions(NumberHandling = JsonNumberHandling.AllowReadingFromString, PropertyNameCaseInsensitive = false)]
[JsonSerializable(typeof(BinanceError))]
[JsonSerializable(typeof(BinanceServerTime))]
[JsonSerializable(typeof(BinanceEmpty))]
[JsonSerializable(typeof(BinanceTickerPrice))]
[JsonSerializable(typeof(BinanceBookTicker))]
[JsonSerializable(typeof(BinanceExchangeInfo))]
[JsonSerializable(typeof(BinanceOrder))]
[JsonSerializable(typeof(IReadOnlyList<BinanceOrder>))]
[JsonSerializable(typeof(BinanceAccount))]
[JsonSerializable(typeof(IReadOnlyList<BinanceTrade>))]
public sealed partial class BinanceJsonContext : JsonSerializerContext;
