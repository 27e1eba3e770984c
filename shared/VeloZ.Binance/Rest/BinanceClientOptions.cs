using VeloZ.Domain.Configuration;

namespace VeloZ.Binance.Rest;

/// <summary>Where and how the REST client talks to Binance.</summary>
public sealed record BinanceClientOptions
{
    /// <summary>REST base, e.g. <c>https://testnet.binance.vision</c>.</summary>
    public required Uri BaseUrl { get; init; }

    public Secret ApiKey { get; init; } = Secret.Empty;

    public Secret ApiSecret { get; init; } = Secret.Empty;

    /// <summary><c>recvWindow</c> in ms sent with signed requests (Binance default 5000, max 60000).</summary>
    public int RecvWindowMs { get; init; } = 5000;

    /// <summary>How long one request may take before its outcome is unknown (Binance's backend gives up at 10 s).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public bool HasCredentials => !ApiKey.IsEmpty && !ApiSecret.IsEmpty;
}

/// <summary>Binance's endpoint security types (Binance Spot API docs, rest-api.md: "Endpoint security type").</summary>
public enum BinanceSecurity
{
    /// <summary>Public: no key.</summary>
    None,

    /// <summary>API key header only.</summary>
    ApiKey,

    /// <summary>API key, <c>timestamp</c>, <c>recvWindow</c> and <c>signature</c> (TRADE, USER_DATA).</summary>
    Signature,
}
