namespace VeloZ.Domain.Configuration;

/// <summary>
/// The name of every setting VeloZ reads, grouped by the concern (options record) it configures. Shared by the
/// loader, by the one-line errors raised later at start-up (the storage clients, the API's binding) and by the
/// documentation tests, so a variable is spelt in one place only.
/// </summary>
public static class ConfigurationVariables
{
    // ApiOptions
    public const string Host = "VELOZ_HOST";
    public const string Port = "VELOZ_PORT";
    public const string StreamMaxSeconds = "VELOZ_STREAM_MAX_SECONDS";
    public const string StreamReplayMax = "VELOZ_STREAM_REPLAY_MAX";
    public const string StreamsPerKey = "VELOZ_STREAMS_PER_KEY";

    // MarketOptions
    public const string MarketSource = "VELOZ_MARKET_SOURCE";
    public const string MarketSymbol = "VELOZ_MARKET_SYMBOL";
    public const string MarketSymbols = "VELOZ_MARKET_SYMBOLS";
    public const string BinanceBaseUrl = "VELOZ_BINANCE_BASE_URL";
    public const string BinanceWsBaseUrl = "VELOZ_BINANCE_WS_BASE_URL";
    public const string SimStartPrice = "VELOZ_SIM_START_PRICE";
    public const string SimSeed = "VELOZ_SIM_SEED";
    public const string SimTickMs = "VELOZ_SIM_TICK_MS";

    // VenueOptions
    public const string ExecutionMode = "VELOZ_EXECUTION_MODE";
    public const string BinanceTradeBaseUrl = "VELOZ_BINANCE_TRADE_BASE_URL";
    public const string BinanceWsApiUrl = "VELOZ_BINANCE_WS_API_URL";
    public const string BinanceApiKey = "VELOZ_BINANCE_API_KEY";
    public const string BinanceApiSecret = "VELOZ_BINANCE_API_SECRET";

    // StorageOptions
    public const string StorageConnection = "AzureWebJobsStorage";
    public const string StorageAccountName = "AzureWebJobsStorage__accountName";
    public const string StorageTableServiceUri = "AzureWebJobsStorage__tableServiceUri";
    public const string StorageQueueServiceUri = "AzureWebJobsStorage__queueServiceUri";
    public const string StorageBlobServiceUri = "AzureWebJobsStorage__blobServiceUri";
    public const string StorageClientId = "AzureWebJobsStorage__clientId";
    public const string StoragePrefix = "VELOZ_STORAGE_PREFIX";
    public const string EventRetentionHours = "VELOZ_EVENT_RETENTION_HOURS";
    public const string WorkerLeaseSeconds = "VELOZ_WORKER_LEASE_SECONDS";

    // PushOptions
    public const string AzureSignalRConnection = "AzureSignalRConnectionString";
    public const string HubUrl = "VELOZ_HUB_URL";

    // SecurityOptions
    public const string AuthEnabled = "VELOZ_AUTH_ENABLED";
    public const string AdminApiKey = "VELOZ_ADMIN_API_KEY";
    public const string RateLimitPerSecond = "VELOZ_RATE_LIMIT_PER_SECOND";
    public const string RateLimitBurst = "VELOZ_RATE_LIMIT_BURST";
    public const string AuthFailuresPerMinute = "VELOZ_AUTH_FAILURES_PER_MINUTE";
    public const string CorsOrigins = "VELOZ_CORS_ORIGINS";

    // TelemetryOptions: the standard names Azure and OpenTelemetry use, not VELOZ_ ones.
    public const string ApplicationInsightsConnection = "APPLICATIONINSIGHTS_CONNECTION_STRING";
    public const string OtlpEndpoint = "OTEL_EXPORTER_OTLP_ENDPOINT";
    // LoggingOptions
    public const string LogFormat = "VELOZ_LOG_FORMAT";

    /// <summary>Every variable VeloZ reads, for documentation and tests.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        Host, Port, StreamMaxSeconds, StreamReplayMax, StreamsPerKey,
        MarketSource, MarketSymbol, MarketSymbols, BinanceBaseUrl, BinanceWsBaseUrl, SimStartPrice, SimSeed, SimTickMs,
        ExecutionMode, BinanceTradeBaseUrl, BinanceWsApiUrl, BinanceApiKey, BinanceApiSecret,
        StorageConnection, StorageAccountName, StorageTableServiceUri, StorageQueueServiceUri, StorageBlobServiceUri, StorageClientId,
        StoragePrefix, EventRetentionHours, WorkerLeaseSeconds,
        AzureSignalRConnection, HubUrl,
        AuthEnabled, AdminApiKey, RateLimitPerSecond, RateLimitBurst, AuthFailuresPerMinute, CorsOrigins,
        ApplicationInsightsConnection, OtlpEndpoint,
        LogFormat,
    ];
}
