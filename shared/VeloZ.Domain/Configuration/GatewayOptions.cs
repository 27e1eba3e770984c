namespace VeloZ.Domain.Configuration;

/// <summary>
/// The effective VeloZ configuration, read once from the environment at start-up and shared by the API and the
/// worker: one record per concern, each validated on its own, then the rules that span concerns (every Binance
/// URL in use on one market). Services take the concern they need; the whole is for start-up code and for
/// what spans concerns. Invariant: every value here has been validated; secrets are <see cref="Secret"/>s and
/// never printed.
/// </summary>
public sealed record GatewayOptions
{
    /// <summary>Where the standalone API listens; <c>/api/stream</c> limits.</summary>
    public ApiOptions Api { get; init; } = new();

    /// <summary>Where prices come from.</summary>
    public MarketOptions Market { get; init; } = new();

    /// <summary>Where orders go and with which key pair.</summary>
    public VenueOptions Venue { get; init; } = new();

    /// <summary>The storage account and what lives in it.</summary>
    public StorageOptions Storage { get; init; } = new();

    /// <summary>How events reach clients.</summary>
    public PushOptions Push { get; init; } = new();

    /// <summary>Who may call the API and how often.</summary>
    public SecurityOptions Security { get; init; } = new();

    /// <summary>Where traces, metrics and logs are exported.</summary>
    public TelemetryOptions Telemetry { get; init; } = new();

    /// <summary>How the standalone API and the worker write their console log.</summary>
    public LoggingOptions Logging { get; init; } = new();
}
