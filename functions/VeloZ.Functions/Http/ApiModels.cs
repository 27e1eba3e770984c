using System.Text.Json.Serialization;

namespace VeloZ.Functions.Http;

/// <summary><c>GET /health</c>.</summary>
public sealed record HealthResponse(
    [property: JsonPropertyName("ok")] bool Ok,
    [property: JsonPropertyName("components")] HealthComponents Components);

/// <summary>The <b>new</b> <c>components</c> of <c>/health</c>.</summary>
public sealed record HealthComponents(
    [property: JsonPropertyName("storage")] string Storage,
    [property: JsonPropertyName("worker")] string Worker,
    [property: JsonPropertyName("worker_heartbeat_age_ms")] long? WorkerHeartbeatAgeMs,
    [property: JsonPropertyName("market_feed")] string? MarketFeed,
    [property: JsonPropertyName("market_data_age_ms")] long? MarketDataAgeMs,
    [property: JsonPropertyName("user_stream_connected")] bool UserStreamConnected,
    [property: JsonPropertyName("trading_halted_until_ts_ns")] long? TradingHaltedUntilTsNs);

/// <summary><c>GET /api/config</c>, in the original gateway's exact shape.</summary>
public sealed record ConfigResponse(
    [property: JsonPropertyName("market_source")] string MarketSource,
    [property: JsonPropertyName("market_symbol")] string MarketSymbol,
    [property: JsonPropertyName("binance_base_url")] string? BinanceBaseUrl,
    [property: JsonPropertyName("execution_mode")] string ExecutionMode,
    [property: JsonPropertyName("binance_trade_enabled")] bool BinanceTradeEnabled,
    [property: JsonPropertyName("binance_trade_base_url")] string? BinanceTradeBaseUrl,
    [property: JsonPropertyName("binance_user_stream_connected")] bool BinanceUserStreamConnected);

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
    [property: JsonPropertyName("code"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Code = null);

/// <summary>Source-generated serialization for every API body.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(HealthResponse))]
[JsonSerializable(typeof(ConfigResponse))]
[JsonSerializable(typeof(MarketResponse))]
[JsonSerializable(typeof(ErrorResponse))]
public sealed partial class ApiJsonContext : JsonSerializerContext;
