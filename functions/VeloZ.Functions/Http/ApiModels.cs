using System.Text.Json.Serialization;

namespace VeloZ.Functions.Http;

/// <summary><c>GET /health</c>.</summary>
public sealed record HealthResponse(
    [property: JsonPropertyName("ok")] bool Ok,
    [property: JsonPropertyName("components")] HealthComponents Components);

/// <summary>
/// The <b>new</b> <c>components</c> of <c>/health</c>. <c>venue_weight_used_1m</c> and <c>venue_orders_10s</c> are the
/// venue's rate-limit usage as it last reported it to this API instance (<c>X-MBX-USED-WEIGHT-1M</c>,
/// <c>X-MBX-ORDER-COUNT-10S</c>); absent before this instance's first venue request.
/// </summary>
public sealed record HealthComponents(
    [property: JsonPropertyName("storage")] string Storage,
    [property: JsonPropertyName("worker")] string Worker,
    [property: JsonPropertyName("worker_heartbeat_age_ms")] long? WorkerHeartbeatAgeMs,
    [property: JsonPropertyName("market_feed")] string? MarketFeed,
    [property: JsonPropertyName("market_data_age_ms")] long? MarketDataAgeMs,
    [property: JsonPropertyName("user_stream_connected")] bool UserStreamConnected,
    [property: JsonPropertyName("trading_halted_until_ts_ns")] long? TradingHaltedUntilTsNs,
    [property: JsonPropertyName("trading_mode")] string TradingMode,
    [property: JsonPropertyName("worker_standby")] string WorkerStandby,
    [property: JsonPropertyName("venue_weight_used_1m"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? VenueWeightUsed1M = null,
    [property: JsonPropertyName("venue_orders_10s"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? VenueOrders10S = null);

/// <summary>
/// <c>GET /api/config</c>, in the original gateway's exact shape. <b>New</b>: <c>market_symbols</c>, every followed
/// symbol (the first is <c>market_symbol</c>), present only when more than one is followed, so a one-symbol
/// configuration answers exactly as before.
/// </summary>
public sealed record ConfigResponse(
    [property: JsonPropertyName("market_source")] string MarketSource,
    [property: JsonPropertyName("market_symbol")] string MarketSymbol,
    [property: JsonPropertyName("binance_base_url")] string? BinanceBaseUrl,
    [property: JsonPropertyName("execution_mode")] string ExecutionMode,
    [property: JsonPropertyName("binance_trade_enabled")] bool BinanceTradeEnabled,
    [property: JsonPropertyName("binance_trade_base_url")] string? BinanceTradeBaseUrl,
    [property: JsonPropertyName("binance_user_stream_connected")] bool BinanceUserStreamConnected,
    [property: JsonPropertyName("trading_mode")] string? TradingMode,
    [property: JsonPropertyName("market_symbols"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? MarketSymbols = null);

/// <summary><c>GET /api/market</c>; <c>price</c> and <c>ts_ns</c> are null before the first tick.</summary>
public sealed record MarketResponse(
    [property: JsonPropertyName("symbol")] string Symbol,
    [property: JsonPropertyName("price")] decimal? Price,
    [property: JsonPropertyName("ts_ns")] long? TsNs);

/// <summary>The contract's error body: <c>error</c> is the stable code; the rest helps a human.</summary>
public sealed record ErrorResponse(
    [property: JsonPropertyName("ok")] bool Ok,
    [property: JsonPropertyName("error")] string Error,
    [property: JsonPropertyName("message"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Message = null,
    [property: JsonPropertyName("field"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Field = null,
    [property: JsonPropertyName("code"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Code = null,
    [property: JsonPropertyName("filter"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Filter = null,
    [property: JsonPropertyName("order"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] OrderStateResponse? Order = null);

/// <summary><b>New</b>: <c>GET /api/symbols</c>, the exchange rules VeloZ enforces before an order leaves.</summary>
public sealed record SymbolsResponse(
    [property: JsonPropertyName("symbols")] IReadOnlyList<SymbolRulesResponse> Symbols);

/// <summary>One symbol's rules; a filter the venue does not list for the symbol is null (not applied).</summary>
public sealed record SymbolRulesResponse(
    [property: JsonPropertyName("symbol")] string Symbol,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("base_asset")] string BaseAsset,
    [property: JsonPropertyName("quote_asset")] string QuoteAsset,
    [property: JsonPropertyName("price_filter")] PriceFilterResponse? PriceFilter,
    [property: JsonPropertyName("lot_size")] LotSizeResponse? LotSize,
    [property: JsonPropertyName("notional")] NotionalResponse? Notional);

/// <summary><c>PRICE_FILTER</c>: a 0 bound or tick is not applied.</summary>
public sealed record PriceFilterResponse(
    [property: JsonPropertyName("min_price")] decimal MinPrice,
    [property: JsonPropertyName("max_price")] decimal MaxPrice,
    [property: JsonPropertyName("tick_size")] decimal TickSize);

/// <summary><c>LOT_SIZE</c>: a 0 bound or step is not applied.</summary>
public sealed record LotSizeResponse(
    [property: JsonPropertyName("min_qty")] decimal MinQty,
    [property: JsonPropertyName("max_qty")] decimal MaxQty,
    [property: JsonPropertyName("step_size")] decimal StepSize);

/// <summary><c>NOTIONAL</c> or <c>MIN_NOTIONAL</c> (named in <c>filter</c>): price × quantity bounds; a 0 bound is not applied.</summary>
public sealed record NotionalResponse(
    [property: JsonPropertyName("filter")] string Filter,
    [property: JsonPropertyName("min_notional")] decimal MinNotional,
    [property: JsonPropertyName("max_notional")] decimal MaxNotional);

/// <summary><c>POST /api/order</c> success.</summary>
public sealed record OrderPlacedResponse(
    [property: JsonPropertyName("ok")] bool Ok,
    [property: JsonPropertyName("client_order_id")] string ClientOrderId,
    [property: JsonPropertyName("venue_order_id")] string? VenueOrderId);

/// <summary><c>POST /api/cancel</c> success.</summary>
public sealed record CancelResponse(
    [property: JsonPropertyName("ok")] bool Ok,
    [property: JsonPropertyName("client_order_id")] string ClientOrderId);

/// <summary>The contract's OrderState.</summary>
public sealed record OrderStateResponse(
    [property: JsonPropertyName("client_order_id")] string ClientOrderId,
    [property: JsonPropertyName("symbol")] string Symbol,
    [property: JsonPropertyName("side")] string Side,
    [property: JsonPropertyName("order_qty")] decimal? OrderQty,
    [property: JsonPropertyName("limit_price")] decimal? LimitPrice,
    [property: JsonPropertyName("venue_order_id")] string? VenueOrderId,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("reason")] string? Reason,
    [property: JsonPropertyName("executed_qty")] decimal ExecutedQty,
    [property: JsonPropertyName("avg_price")] decimal? AvgPrice,
    [property: JsonPropertyName("last_ts_ns")] long LastTsNs)
{
    /// <summary>
    /// <b>New</b>: <c>LIMIT</c>, <c>MARKET</c> or <c>LIMIT_MAKER</c> (<c>order_type</c>: an event's <c>type</c> is the event's
    /// own). Absent, with <c>time_in_force</c>, for a LIMIT GTC order without a self-trade prevention mode: the seed's
    /// orders keep the seed's body exactly.
    /// </summary>
    [JsonPropertyName("order_type"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? OrderType { get; init; }

    /// <summary><b>New</b>: GTC, IOC or FOK for a LIMIT order; absent for the other types and with <c>order_type</c>.</summary>
    [JsonPropertyName("time_in_force"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? TimeInForce { get; init; }

    /// <summary><b>New</b>: the quote amount of a MARKET order by quote amount (its <c>order_qty</c> is null); absent otherwise.</summary>
    [JsonPropertyName("quote_order_qty"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public decimal? QuoteOrderQty { get; init; }

    /// <summary><b>New</b>: the self-trade prevention mode the order was sent with; absent when the symbol's default applied.</summary>
    [JsonPropertyName("self_trade_prevention"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? SelfTradePrevention { get; init; }
}

/// <summary><c>GET /api/orders_state</c>.</summary>
public sealed record OrdersStateResponse([property: JsonPropertyName("items")] IReadOnlyList<OrderStateResponse> Items);

/// <summary>
/// <b>New</b>: <c>GET /api/orders_state</c> with a paging or filter parameter: a page of orders newest first and the
/// cursor of the next page (null on the last).
/// </summary>
public sealed record OrdersPageResponse(
    [property: JsonPropertyName("items")] IReadOnlyList<OrderStateResponse> Items,
    [property: JsonPropertyName("next_cursor")] string? NextCursor);

/// <summary><b>New</b>: one fill of an order, with the commission the venue charged for it.</summary>
public sealed record FillResponse(
    [property: JsonPropertyName("client_order_id")] string ClientOrderId,
    [property: JsonPropertyName("venue_order_id")] string? VenueOrderId,
    [property: JsonPropertyName("symbol")] string Symbol,
    [property: JsonPropertyName("side")] string Side,
    [property: JsonPropertyName("trade_id")] long TradeId,
    [property: JsonPropertyName("qty")] decimal Qty,
    [property: JsonPropertyName("price")] decimal Price,
    [property: JsonPropertyName("commission")] decimal Commission,
    [property: JsonPropertyName("commission_asset")] string? CommissionAsset,
    [property: JsonPropertyName("ts_ns")] long TsNs);

/// <summary><b>New</b>: <c>GET /api/fills</c>: fills newest first and the cursor of the next page (null on the last).</summary>
public sealed record FillsResponse(
    [property: JsonPropertyName("items")] IReadOnlyList<FillResponse> Items,
    [property: JsonPropertyName("next_cursor")] string? NextCursor);

/// <summary><c>GET /api/execution/ping</c>.</summary>
public sealed record PingResponse(
    [property: JsonPropertyName("ok")] bool Ok,
    [property: JsonPropertyName("result"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] EmptyObject? Result,
    [property: JsonPropertyName("error"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Error);

/// <summary><c>GET /api/account</c>.</summary>
public sealed record AccountResponse(
    [property: JsonPropertyName("ts_ns")] long? TsNs,
    [property: JsonPropertyName("balances")] IReadOnlyList<BalanceResponse> Balances);

public sealed record BalanceResponse(
    [property: JsonPropertyName("asset")] string Asset,
    [property: JsonPropertyName("free")] decimal Free,
    [property: JsonPropertyName("locked")] decimal Locked);

/// <summary><c>POST /api/admin/cancel_all</c>.</summary>
public sealed record CancelAllResponse(
    [property: JsonPropertyName("ok")] bool Ok,
    [property: JsonPropertyName("requested")] int Requested,
    [property: JsonPropertyName("cancelled")] IReadOnlyList<string> Cancelled,
    [property: JsonPropertyName("not_open")] IReadOnlyList<string> NotOpen,
    [property: JsonPropertyName("failed")] IReadOnlyList<CancelAllFailure> Failed);

public sealed record CancelAllFailure(
    [property: JsonPropertyName("client_order_id")] string ClientOrderId,
    [property: JsonPropertyName("error")] string Error);

/// <summary><c>GET/POST /api/admin/trading_mode</c>.</summary>
public sealed record TradingModeResponse(
    [property: JsonPropertyName("ok")] bool Ok,
    [property: JsonPropertyName("trading_mode")] string TradingMode,
    [property: JsonPropertyName("changed_ts_ns")] long? ChangedTsNs,
    [property: JsonPropertyName("changed_by")] string? ChangedBy);

/// <summary>One API key as listed (never the key itself).</summary>
public sealed record ApiKeyView(
    [property: JsonPropertyName("key_id")] string KeyId,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("scope")] string Scope,
    [property: JsonPropertyName("created_ts_ns")] long CreatedTsNs,
    [property: JsonPropertyName("created_by")] string CreatedBy,
    [property: JsonPropertyName("revoked_ts_ns")] long? RevokedTsNs,
    [property: JsonPropertyName("revoked_by")] string? RevokedBy);

/// <summary><c>GET /api/admin/keys</c>.</summary>
public sealed record ApiKeysResponse([property: JsonPropertyName("items")] IReadOnlyList<ApiKeyView> Items);

/// <summary><c>POST /api/admin/keys</c>: the only answer that ever contains the key.</summary>
public sealed record ApiKeyCreatedResponse(
    [property: JsonPropertyName("ok")] bool Ok,
    [property: JsonPropertyName("key_id")] string KeyId,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("scope")] string Scope,
    [property: JsonPropertyName("created_ts_ns")] long CreatedTsNs,
    [property: JsonPropertyName("api_key")] string ApiKey);

/// <summary><c>POST /api/admin/keys/revoke</c>.</summary>
public sealed record ApiKeyRevokedResponse(
    [property: JsonPropertyName("ok")] bool Ok,
    [property: JsonPropertyName("key_id")] string KeyId,
    [property: JsonPropertyName("revoked_ts_ns")] long RevokedTsNs);

/// <summary>The empty object <c>{}</c>.</summary>
public sealed record EmptyObject;

public sealed record NegotiateResponse(
    [property: JsonPropertyName("url")] string Url,
    [property: JsonPropertyName("accessToken")] string AccessToken);

/// <summary><b>New</b>: <c>GET /health/live</c> and <c>GET /health/ready</c>; <c>reasons</c> says why the gateway cannot trade (empty when it can).</summary>
public sealed record ProbeResponse(
    [property: JsonPropertyName("ok")] bool Ok,
    [property: JsonPropertyName("reasons")] IReadOnlyList<string> Reasons);

/// <summary>Source-generated serialization for every API body.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(HealthResponse))]
[JsonSerializable(typeof(ProbeResponse))]
[JsonSerializable(typeof(NegotiateResponse))]
[JsonSerializable(typeof(ConfigResponse))]
[JsonSerializable(typeof(MarketResponse))]
[JsonSerializable(typeof(SymbolsResponse))]
[JsonSerializable(typeof(ErrorResponse))]
[JsonSerializable(typeof(OrderPlacedResponse))]
[JsonSerializable(typeof(CancelResponse))]
[JsonSerializable(typeof(OrderStateResponse))]
[JsonSerializable(typeof(OrdersStateResponse))]
[JsonSerializable(typeof(OrdersPageResponse))]
[JsonSerializable(typeof(FillsResponse))]
[JsonSerializable(typeof(PingResponse))]
[JsonSerializable(typeof(AccountResponse))]
[JsonSerializable(typeof(CancelAllResponse))]
[JsonSerializable(typeof(TradingModeResponse))]
[JsonSerializable(typeof(ApiKeysResponse))]
[JsonSerializable(typeof(ApiKeyCreatedResponse))]
[JsonSerializable(typeof(ApiKeyRevokedResponse))]
public sealed partial class ApiJsonContext : JsonSerializerContext;
