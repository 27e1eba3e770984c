namespace VeloZ.Domain.Configuration;

/// <summary>
/// Where orders go: the execution mode, Binance's trading URLs and the key pair that signs requests.
/// Each property is named after its variable (<see cref="ConfigurationVariables"/>).
/// </summary>
public sealed record VenueOptions
{
    /// <summary><c>VELOZ_EXECUTION_MODE</c>.</summary>
    public ExecutionMode ExecutionMode { get; init; } = ExecutionMode.SimEngine;

    /// <summary>
    /// <c>VELOZ_BINANCE_TRADE_BASE_URL</c>: REST base for trading, no trailing slash. The testnet by default;
    /// <c>binance_spot</c> requires it to be set.
    /// </summary>
    public Uri BinanceTradeBaseUrl { get; init; } = new("https://testnet.binance.vision");

    /// <summary><c>VELOZ_BINANCE_WS_API_URL</c>: WebSocket API endpoint carrying the user data stream.</summary>
    public Uri BinanceWsApiUrl { get; init; } = new("wss://ws-api.testnet.binance.vision/ws-api/v3");

    /// <summary><c>VELOZ_BINANCE_API_KEY</c>.</summary>
    public Secret BinanceApiKey { get; init; } = Secret.Empty;

    /// <summary><c>VELOZ_BINANCE_API_SECRET</c>.</summary>
    public Secret BinanceApiSecret { get; init; } = Secret.Empty;

    /// <summary>True when orders go to a real Binance environment rather than the embedded venue.</summary>
    public bool UsesBinanceExecution => ExecutionMode is ExecutionMode.BinanceTestnetSpot or ExecutionMode.BinanceSpot;

    /// <summary>Both the Binance key and secret are present.</summary>
    public bool BinanceCredentialsPresent => !BinanceApiKey.IsEmpty && !BinanceApiSecret.IsEmpty;
}
