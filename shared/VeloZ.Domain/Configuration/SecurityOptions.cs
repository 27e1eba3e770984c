namespace VeloZ.Domain.Configuration;

/// <summary>
/// Who may call the API and how often: authentication, the bootstrap admin key, rate limits and browser origins.
/// Each property is named after its variable (<see cref="ConfigurationVariables"/>).
/// </summary>
public sealed record SecurityOptions
{
    /// <summary>The shortest bootstrap admin key accepted: a guessable key would open everything.</summary>
    public const int MinAdminKeyLength = 16;

    /// <summary>
    /// <c>VELOZ_AUTH_ENABLED</c>; null = decided by where the API runs: on under the Azure Functions host
    /// and when the standalone API binds to a non-loopback address, off on loopback.
    /// </summary>
    public bool? AuthEnabled { get; init; }

    /// <summary><c>VELOZ_ADMIN_API_KEY</c>: bootstrap admin key (at least <see cref="MinAdminKeyLength"/> characters).</summary>
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
}
