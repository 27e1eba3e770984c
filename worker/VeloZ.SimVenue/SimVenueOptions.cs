using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;

namespace VeloZ.SimVenue;

/// <summary>
/// Settings of one simulated venue. Every default is documented in docs/sim-venue.md; the defaults give
/// one BTCUSDT market, two test-only API keys and Binance's published limits.
/// </summary>
public sealed partial class SimVenueOptions
{
    /// <summary>Loopback port to listen on; 0 picks a free one (read the handle's URLs).</summary>
    public int Port { get; init; }

    /// <summary>Tradable symbols; default BTCUSDT.</summary>
    public IReadOnlyList<SimSymbolOptions> Symbols { get; init; } = [SimSymbolOptions.BtcUsdt()];

    /// <summary>Starting free balance of every account, per asset.</summary>
    public IReadOnlyDictionary<string, decimal> StartingBalances { get; init; } = new Dictionary<string, decimal>(StringComparer.Ordinal)
    {
        ["USDT"] = 100_000m,
        ["BTC"] = 2m,
        ["BNB"] = 100m,
        ["ETH"] = 50m,
        ["LTC"] = 100m,
    };

    /// <summary>Accepted API keys; each key is its own account. Default <see cref="SimApiKey.Defaults"/>.</summary>
    public IReadOnlyList<SimApiKey> ApiKeys { get; init; } = SimApiKey.Defaults;

    /// <summary>Seed of the deterministic price path (and generated client order ids).</summary>
    public int Seed { get; init; } = 42;

    /// <summary>How often the price path steps on its own; <see cref="TimeSpan.Zero"/> = only when driven through <see cref="SimVenueMarket"/>.</summary>
    public TimeSpan PriceTickInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Maker commission rate (0.001 = 0.1 %), charged in the asset received.</summary>
    public decimal MakerCommissionRate { get; init; } = 0.001m;

    /// <summary>Taker commission rate, charged in the asset received.</summary>
    public decimal TakerCommissionRate { get; init; } = 0.001m;

    /// <summary>REQUEST_WEIGHT limit per IP per minute.</summary>
    public int RequestWeightPerMinute { get; init; } = 6000;

    /// <summary>ORDERS limit per account per 10 seconds.</summary>
    public int OrdersPer10Seconds { get; init; } = 50;

    /// <summary>ORDERS limit per account per day.</summary>
    public int OrdersPerDay { get; init; } = 160_000;

    /// <summary>Lifetime of stream and WebSocket API connections (Binance: 24 h).</summary>
    public TimeSpan ConnectionLifetime { get; init; } = TimeSpan.FromHours(24);

    /// <summary>Interval of the server's ping frames (Binance: 20 s).</summary>
    public TimeSpan PingInterval { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>A connection that has not answered a ping for this long is dropped (Binance: 1 min).</summary>
    public TimeSpan PongTimeout { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Interval of <c>@miniTicker</c> updates (Binance: 1 s).</summary>
    public TimeSpan MiniTickerInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The venue's clock, timers and windows; inject a fake one in tests.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Logger factory for the venue's own logs; none = silent.</summary>
    public ILoggerFactory? LoggerFactory { get; init; }

    /// <summary>Serve the <c>/sim/...</c> control endpoints (faults, prices, counters) for out-of-process tests.</summary>
    public bool EnableControlEndpoints { get; init; }

    [GeneratedRegex("^[A-Za-z0-9]{64}$")]
    internal static partial Regex ApiKeyFormat();

    internal void Validate()
    {
        if (Port is < 0 or > 65535)
        {
            throw new ArgumentException("SimVenueOptions.Port must be between 0 and 65535.", nameof(Port));
        }

        if (Symbols.Count == 0)
        {
            throw new ArgumentException("SimVenueOptions.Symbols needs at least one symbol.", nameof(Symbols));
        }

        foreach (var symbol in Symbols)
        {
            symbol.Validate();
        }

        if (Symbols.Select(s => s.Symbol).Distinct(StringComparer.Ordinal).Count() != Symbols.Count)
        {
            throw new ArgumentException("SimVenueOptions.Symbols contains a symbol twice.", nameof(Symbols));
        }

        if (ApiKeys.Count == 0)
        {
            throw new ArgumentException("SimVenueOptions.ApiKeys needs at least one key.", nameof(ApiKeys));
        }

        foreach (var key in ApiKeys)
        {
            if (!ApiKeyFormat().IsMatch(key.ApiKey))
            {
                throw new ArgumentException($"SimVenueOptions.ApiKeys: '{key.ApiKey}' is not 64 letters or digits (Binance's key format).", nameof(ApiKeys));
            }
        }

        if (ApiKeys.Select(k => k.ApiKey).Distinct(StringComparer.Ordinal).Count() != ApiKeys.Count)
        {
            throw new ArgumentException("SimVenueOptions.ApiKeys contains a key twice.", nameof(ApiKeys));
        }

        if (StartingBalances.Values.Any(v => v < 0))
        {
            throw new ArgumentException("SimVenueOptions.StartingBalances may not be negative.", nameof(StartingBalances));
        }

        if (MakerCommissionRate is < 0 or >= 1 || TakerCommissionRate is < 0 or >= 1)
        {
            throw new ArgumentException("SimVenueOptions commission rates must be in [0, 1).");
        }

        if (RequestWeightPerMinute < 1 || OrdersPer10Seconds < 1 || OrdersPerDay < 1)
        {
            throw new ArgumentException("SimVenueOptions rate limits must be at least 1.");
        }

        if (PriceTickInterval < TimeSpan.Zero)
        {
            throw new ArgumentException("SimVenueOptions.PriceTickInterval may not be negative.", nameof(PriceTickInterval));
        }

        if (ConnectionLifetime <= TimeSpan.Zero || PingInterval <= TimeSpan.Zero || PongTimeout <= TimeSpan.Zero || MiniTickerInterval <= TimeSpan.Zero)
        {
            throw new ArgumentException("SimVenueOptions connection timings must be positive.");
        }

        ArgumentNullException.ThrowIfNull(TimeProvider);
    }
}
