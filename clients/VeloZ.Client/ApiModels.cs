using System.Text.Json;
using System.Text.Json.Serialization;

namespace VeloZ.Client;

// The bodies of the OpenAPI document's schemas (components.schemas), named as there. Property names follow the
// wire's snake_case through the serializer's naming policy (VeloZClientJsonContext); numbers that are prices or
// quantities are decimal, times ts_ns nanoseconds.

/// <summary>Schema <c>Health</c>.</summary>
public sealed record Health(bool Ok, HealthComponents Components);

/// <summary>Schema <c>HealthComponents</c>.</summary>
public sealed record HealthComponents(
    string Storage, string Worker, long? WorkerHeartbeatAgeMs, string? MarketFeed, long? MarketDataAgeMs, bool UserStreamConnected,
    long? TradingHaltedUntilTsNs, string TradingMode, string WorkerStandby);

/// <summary>Schema <c>Probe</c>: <c>/health/live</c> and <c>/health/ready</c>.</summary>
public sealed record Probe(bool Ok, IReadOnlyList<string> Reasons);

/// <summary>Schema <c>Config</c>.</summary>
public sealed record Config(
    string MarketSource, string MarketSymbol, string? BinanceBaseUrl, string ExecutionMode, bool BinanceTradeEnabled, string? BinanceTradeBaseUrl,
    bool BinanceUserStreamConnected, string? TradingMode, IReadOnlyList<string>? MarketSymbols);

/// <summary>Schema <c>Market</c>.</summary>
public sealed record Market(string Symbol, decimal? Price, long? TsNs);

/// <summary>Schema <c>Error</c>: every error answer; <c>Error</c> is the stable code.</summary>
public sealed record ApiError(bool Ok, string Error, string? Message, string? Field, int? Code, string? Filter, OrderState? Order);

/// <summary>Schema <c>Symbols</c>.</summary>
public sealed record SymbolList([property: JsonPropertyName("symbols")] IReadOnlyList<SymbolRules> Symbols);

/// <summary>Schema <c>SymbolRules</c>.</summary>
public sealed record SymbolRules(string Symbol, string Status, string BaseAsset, string QuoteAsset, PriceFilter? PriceFilter, LotSize? LotSize, Notional? Notional);

/// <summary>Schema <c>PriceFilter</c>.</summary>
public sealed record PriceFilter(decimal MinPrice, decimal MaxPrice, decimal TickSize);

/// <summary>Schema <c>LotSize</c>.</summary>
public sealed record LotSize(decimal MinQty, decimal MaxQty, decimal StepSize);

/// <summary>Schema <c>Notional</c>.</summary>
public sealed record Notional(string Filter, decimal MinNotional, decimal MaxNotional);

/// <summary>Schema <c>OrderRequest</c>: a null field is not sent.</summary>
public sealed record OrderRequest(string Side, string Symbol, decimal? Qty = null, decimal? Price = null, string? ClientOrderId = null)
{
    public string? Type { get; init; }

    public decimal? QuoteQty { get; init; }

    public string? TimeInForce { get; init; }

    public string? SelfTradePrevention { get; init; }
}

/// <summary>Schema <c>OrderPlaced</c>.</summary>
public sealed record OrderPlaced(bool Ok, string ClientOrderId, string? VenueOrderId);

/// <summary>Schema <c>CancelRequest</c>.</summary>
public sealed record CancelRequest(string ClientOrderId, string? Symbol = null);

/// <summary>Schema <c>Cancel</c>.</summary>
public sealed record Cancelled(bool Ok, string ClientOrderId);

/// <summary>Schema <c>OrderState</c>.</summary>
public sealed record OrderState(
    string ClientOrderId, string Symbol, string Side, decimal? OrderQty, decimal? LimitPrice, string? VenueOrderId, string Status, string? Reason,
    decimal ExecutedQty, decimal? AvgPrice, long LastTsNs, string? OrderType, string? TimeInForce, decimal? QuoteOrderQty, string? SelfTradePrevention);

/// <summary>Schemas <c>OrdersState</c> and <c>OrdersPage</c> (<c>NextCursor</c> only on a page).</summary>
public sealed record OrdersPage(IReadOnlyList<OrderState> Items, string? NextCursor);

/// <summary>Schema <c>Fill</c>.</summary>
public sealed record Fill(string ClientOrderId, string? VenueOrderId, string Symbol, string Side, long TradeId, decimal Qty, decimal Price, decimal Commission, string? CommissionAsset, long TsNs);

/// <summary>Schema <c>Fills</c>.</summary>
public sealed record Fills(IReadOnlyList<Fill> Items, string? NextCursor);

/// <summary>Schema <c>OrderEventsResponse</c>: each item a stream event (<c>order_update</c>, <c>fill</c>, <c>error</c>) with its <c>id</c>.</summary>
public sealed record OrderEvents(IReadOnlyList<JsonElement> Items);

/// <summary>Schema <c>Ping</c>.</summary>
public sealed record Ping(bool Ok, JsonElement? Result, string? Error);

/// <summary>Schema <c>Account</c>.</summary>
public sealed record Account(long? TsNs, IReadOnlyList<Balance> Balances);

/// <summary>Schema <c>Balance</c>.</summary>
public sealed record Balance(string Asset, decimal Free, decimal Locked);

/// <summary>Schema <c>Negotiate</c>.</summary>
public sealed record Negotiate(string Url, [property: JsonPropertyName("accessToken")] string AccessToken);

/// <summary>Schema <c>ApiKeyView</c>.</summary>
public sealed record ApiKeyView(string KeyId, string Name, string Scope, long CreatedTsNs, string CreatedBy, long? RevokedTsNs, string? RevokedBy);

/// <summary>Schema <c>ApiKeys</c>.</summary>
public sealed record ApiKeys(IReadOnlyList<ApiKeyView> Items);

/// <summary>Schema <c>CreateKeyRequest</c>.</summary>
public sealed record CreateKeyRequest(string Name, string Scope);

/// <summary>Schema <c>ApiKeyCreated</c>: the only answer that ever holds the key.</summary>
public sealed record ApiKeyCreated(bool Ok, string KeyId, string Name, string Scope, long CreatedTsNs, string ApiKey);

/// <summary>Schema <c>RevokeKeyRequest</c>.</summary>
public sealed record RevokeKeyRequest(string KeyId);

/// <summary>Schema <c>ApiKeyRevoked</c>.</summary>
public sealed record ApiKeyRevoked(bool Ok, string KeyId, long RevokedTsNs);

/// <summary>Schema <c>TradingModeRequest</c>.</summary>
public sealed record TradingModeRequest(string Mode);

/// <summary>Schema <c>TradingMode</c>.</summary>
public sealed record TradingMode(bool Ok, [property: JsonPropertyName("trading_mode")] string Mode, long? ChangedTsNs, string? ChangedBy);

/// <summary>Schema <c>CancelAllRequest</c>.</summary>
public sealed record CancelAllRequest(string? Symbol = null);

/// <summary>Schema <c>CancelAll</c>.</summary>
public sealed record CancelAll(bool Ok, int Requested, IReadOnlyList<string> Cancelled, IReadOnlyList<string> NotOpen, IReadOnlyList<CancelAllFailure> Failed);

/// <summary>Schema <c>CancelAllFailure</c>.</summary>
public sealed record CancelAllFailure(string ClientOrderId, string Error);

/// <summary>The page parameters of <c>/api/orders_state</c> and <c>/api/fills</c>; a null one is not sent.</summary>
public sealed record HistoryQuery(string? Symbol = null, string? Status = null, long? Since = null, int? Limit = null, string? Cursor = null);

/// <summary>One Server-Sent Event of <c>/api/stream</c>: its <c>id</c>, <c>event</c> name and <c>data</c> (a <c>StreamEvent</c>).</summary>
public sealed record StreamEvent(long Id, string Event, JsonElement Data);

/// <summary>Source-generated (de)serialization of the bodies, snake_case as on the wire.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(Health))]
[JsonSerializable(typeof(Probe))]
[JsonSerializable(typeof(Config))]
[JsonSerializable(typeof(Market))]
[JsonSerializable(typeof(ApiError))]
[JsonSerializable(typeof(SymbolList))]
[JsonSerializable(typeof(OrderRequest))]
[JsonSerializable(typeof(OrderPlaced))]
[JsonSerializable(typeof(CancelRequest))]
[JsonSerializable(typeof(Cancelled))]
[JsonSerializable(typeof(OrderState))]
[JsonSerializable(typeof(OrdersPage))]
[JsonSerializable(typeof(Fills))]
[JsonSerializable(typeof(OrderEvents))]
[JsonSerializable(typeof(Ping))]
[JsonSerializable(typeof(Account))]
[JsonSerializable(typeof(Negotiate))]
[JsonSerializable(typeof(ApiKeys))]
[JsonSerializable(typeof(CreateKeyRequest))]
[JsonSerializable(typeof(ApiKeyCreated))]
[JsonSerializable(typeof(RevokeKeyRequest))]
[JsonSerializable(typeof(ApiKeyRevoked))]
[JsonSerializable(typeof(TradingModeRequest))]
[JsonSerializable(typeof(TradingMode))]
[JsonSerializable(typeof(CancelAllRequest))]
[JsonSerializable(typeof(CancelAll))]
[JsonSerializable(typeof(JsonElement))]
internal sealed partial class VeloZClientJsonContext : JsonSerializerContext;
