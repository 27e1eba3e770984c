namespace VeloZ.Domain.Configuration;

/// <summary>
/// The effective VeloZ configuration, read once from the environment at start-up by
/// <see cref="GatewayOptionsLoader"/> and shared by the API and the worker.
/// Invariant: every value here has been validated; secrets are <see cref="Secret"/>s and never printed.
/// </summary>
public sealed record GatewayOptions
{
    /// <summary><c>VELOZ_HOST</c>: address the standalone API binds to.</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary><c>VELOZ_PORT</c>: port the standalone API binds to (0 = any free port).</summary>
    public int Port { get; init; } = 8080;

    /// <summary><c>VELOZ_MARKET_SOURCE</c>.</summary>
    public MarketSource MarketSource { get; init; } = MarketSource.Sim;

    /// <summary><c>VELOZ_MARKET_SYMBOL</c>, upper case.</summary>
    public string MarketSymbol { get; init; } = "BTCUSDT";

    /// <summary>
    /// <c>VELOZ_BINANCE_BASE_URL</c>: REST base for market data (and the <c>binance_ws</c> fallback), no trailing
    /// slash. Unset: the live exchange's public market data (the contract's default) with <c>binance_rest</c>; with
    /// <c>binance_ws</c>, the REST base of the market stream's market (<see cref="BinanceWsBaseUrl"/>), so the fallback
    /// never serves another market than the stream.
    /// </summary>
    public Uri BinanceBaseUrl { get; init; } = new("https://api.binance.com");

    /// <summary><c>VELOZ_EXECUTION_MODE</c>.</summary>
    public ExecutionMode ExecutionMode { get; init; } = ExecutionMode.SimEngine;

    /// <summary>
    /// <c>VELOZ_BINANCE_TRADE_BASE_URL</c>: REST base for trading, no trailing slash. The testnet by default;
    /// <c>binance_spot</c> requires it to be set.
    /// </summary>
    public Uri BinanceTradeBaseUrl { get; init; } = new("https://testnet.binance.vision");

    /// <summary><c>VELOZ_BINANCE_API_KEY</c>.</summary>
    public Secret BinanceApiKey { get; init; } = Secret.Empty;

    /// <summary><c>VELOZ_BINANCE_API_SECRET</c>.</summary>
    public Secret BinanceApiSecret { get; init; } = Secret.Empty;

    /// <summary><c>VELOZ_BINANCE_WS_BASE_URL</c>: market stream base (today's testnet host by default).</summary>
    public Uri BinanceWsBaseUrl { get; init; } = new("wss://stream.testnet.binance.vision");

    /// <summary><c>VELOZ_BINANCE_WS_API_URL</c>: WebSocket API endpoint carrying the user data stream.</summary>
    public Uri BinanceWsApiUrl { get; init; } = new("wss://ws-api.testnet.binance.vision/ws-api/v3");

    /// <summary>
    /// <c>VELOZ_AUTH_ENABLED</c>; null = decided by where the API runs: on under the Azure Functions host
    /// and when the standalone API binds to a non-loopback address, off on loopback.
    /// </summary>
    public bool? AuthEnabled { get; init; }

    /// <summary><c>VELOZ_ADMIN_API_KEY</c>: bootstrap admin key (at least <see cref="GatewayOptionsLoader.MinAdminKeyLength"/> characters).</summary>
    public Secret AdminApiKey { get; init; } = Secret.Empty;

    /// <summary><c>VELOZ_RATE_LIMIT_PER_SECOND</c>: requests per second per API key (per client IP without a key); 0 = no limit.</summary>
    public int RateLimitPerSecond { get; init; } = 50;

    /// <summary><c>VELOZ_RATE_LIMIT_BURST</c>: how many requests a key (or IP) may send at once before the per-second rate applies.</summary>
    public int RateLimitBurst { get; init; } = 200;

    /// <summary><c>VELOZ_AUTH_FAILURES_PER_MINUTE</c>: failed authentications per client IP per minute before it gets 429; 0 = no limit.</summary>
    public int AuthFailuresPerMinute { get; init; } = 30;

    /// <summary>
    /// <c>VELOZ_CORS_ORIGINS</c>: browser origins allowed to call the API, comma-separated; <c>*</c> = any.
    /// Empty by default: no other web page may call the API from a browser.
    /// </summary>
    public IReadOnlyList<string> CorsOrigins { get; init; } = [];

    /// <summary><c>VELOZ_SIM_START_PRICE</c>: where the simulated market starts.</summary>
    public decimal SimStartPrice { get; init; } = 42000m;

    /// <summary><c>VELOZ_SIM_SEED</c>: seed of the simulated market's random walk (same seed, same path).</summary>
    public int SimSeed { get; init; } = 42;

    /// <summary><c>VELOZ_SIM_TICK_MS</c>: how often the simulated market's price path steps (one trade, one <c>market</c> event per step).</summary>
    public int SimTickMs { get; init; } = 250;

    /// <summary>
    /// <c>AzureWebJobsStorage</c>: the storage connection string (may carry an account key). Empty when
    /// <see cref="StorageIdentity"/> is set.
    /// </summary>
    public Secret StorageConnectionString { get; init; } = new("UseDevelopmentStorage=true");

    /// <summary>
    /// Identity-based storage access (<c>AzureWebJobsStorage__accountName</c>, <c>__tableServiceUri</c>, ...),
    /// used only when <c>AzureWebJobsStorage</c> holds no connection string; null = the connection string is used.
    /// </summary>
    public StorageIdentityOptions? StorageIdentity { get; init; }

    /// <summary><c>VELOZ_STORAGE_PREFIX</c>: prefix of every table, queue and container name.</summary>
    public string StoragePrefix { get; init; } = "veloz";

    /// <summary>
    /// <c>AzureSignalRConnectionString</c>: when present, events are published through Azure SignalR Service
    /// (serverless, REST API); when absent, through the worker's own SignalR hub.
    /// </summary>
    public Secret AzureSignalRConnectionString { get; init; } = Secret.Empty;

    /// <summary><c>VELOZ_HUB_URL</c>: where the worker's own SignalR hub listens (self-hosted mode; port 0 = any free port).</summary>
    public Uri HubUrl { get; init; } = new("http://127.0.0.1:8081");

    /// <summary><c>VELOZ_EVENT_RETENTION_HOURS</c>: how long the event log keeps events for resuming clients.</summary>
    public int EventRetentionHours { get; init; } = 168;

    /// <summary><c>VELOZ_STREAM_MAX_SECONDS</c>: longest life of one <c>/api/stream</c> response (0 = unlimited; always below 230 s under the Functions host).</summary>
    public int StreamMaxSeconds { get; init; }

    /// <summary>
    /// <c>VELOZ_STREAM_REPLAY_MAX</c>: the most events one <c>/api/stream</c> response replays from the log on a
    /// resume; a client further behind gets that many, then the response ends and it resumes from the last id.
    /// </summary>
    public int StreamReplayMax { get; init; } = 10_000;

    /// <summary><c>VELOZ_STREAMS_PER_KEY</c>: how many <c>/api/stream</c> responses one key (one client address without auth) may hold open at once.</summary>
    public int StreamsPerKey { get; init; } = 10;

    /// <summary>
    /// <c>VELOZ_WORKER_LEASE_SECONDS</c>: duration of the blob lease that makes one worker the leader (15-60 s,
    /// Blob storage's limits). A killed leader is replaced after at most about this long.
    /// </summary>
    public int WorkerLeaseSeconds { get; init; } = 15;

    /// <summary>True when events go through Azure SignalR Service rather than the worker's own hub.</summary>
    public bool UsesAzureSignalR => !AzureSignalRConnectionString.IsEmpty;

    /// <summary>True when the market data comes from Binance (REST or WebSocket).</summary>
    public bool UsesBinanceMarketData => MarketSource is MarketSource.BinanceRest or MarketSource.BinanceWs;

    /// <summary>True when orders go to a real Binance environment rather than the embedded venue.</summary>
    public bool UsesBinanceExecution => ExecutionMode is ExecutionMode.BinanceTestnetSpot or ExecutionMode.BinanceSpot;

    /// <summary>Both the Binance key and secret are present.</summary>
    public bool BinanceCredentialsPresent => !BinanceApiKey.IsEmpty && !BinanceApiSecret.IsEmpty;
}
