namespace VeloZ.SimVenue;

/// <summary>
/// An HMAC API key pair the simulated venue accepts. Each key is its own account with the configured
/// starting balances. <see cref="ToString"/> never shows the secret.
/// </summary>
public sealed class SimApiKey
{
    /// <summary>VeloZ's own test-only key (64 alphanumerics, like Binance keys). Never a real credential.</summary>
    public const string VeloZTestApiKey = "VeloZSimVenueTestOnlyApiKey0000000000000000000000000000000000000";

    /// <summary>The secret of <see cref="VeloZTestApiKey"/>; test-only, published in docs/sim-venue.md.</summary>
    public const string VeloZTestSecretKey = "VeloZSimVenueTestOnlySecretKey0000000000000000000000000000000000";

    /// <summary>The key pair of Binance's signing examples (public documentation, test-only), so the documented vectors verify.</summary>
    public const string BinanceDocsApiKey = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A";

    /// <summary>The secret of <see cref="BinanceDocsApiKey"/> as printed in Binance's signing examples.</summary>
    public const string BinanceDocsSecretKey = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";

    public SimApiKey(string apiKey, string secretKey, bool canTrade = true)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(apiKey);
        ArgumentException.ThrowIfNullOrWhiteSpace(secretKey);
        ApiKey = apiKey;
        SecretKey = secretKey;
        CanTrade = canTrade;
    }

    /// <summary>The key sent in <c>X-MBX-APIKEY</c> (REST) or <c>apiKey</c> (WebSocket API).</summary>
    public string ApiKey { get; }

    /// <summary>The HMAC-SHA256 secret.</summary>
    public string SecretKey { get; }

    /// <summary>When false, TRADE requests (place/cancel) answer -2015 like a key without trading permission.</summary>
    public bool CanTrade { get; }

    /// <summary>The two default keys: VeloZ's test key and the Binance documentation pair.</summary>
    public static IReadOnlyList<SimApiKey> Defaults { get; } =
    [
        new(VeloZTestApiKey, VeloZTestSecretKey),
        new(BinanceDocsApiKey, BinanceDocsSecretKey),
    ];

    public override string ToString() => $"SimApiKey({ApiKey}, secret hidden)";
}
