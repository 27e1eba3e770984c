using Microsoft.Extensions.Configuration;
using VeloZ.Domain.Configuration;

namespace VeloZ.Hosting;

/// <summary>
/// Binds and validates every <c>VELOZ_*</c> variable (and <c>AzureWebJobsStorage</c>) at start-up: each concern
/// reads and checks its own settings, then <see cref="BinanceMarketRules"/> checks what spans concerns.
/// A wrong value is never replaced by a default: the original gateway silently fell back to <c>sim</c>,
/// and a user who typed <c>binance_tesnet_spot</c> must not trade on a simulator believing it is the
/// exchange. All problems are collected, so one start reports all of them.
/// </summary>
public static class GatewayOptionsLoader
{
    /// <summary>Reads and validates; throws <see cref="GatewayConfigurationException"/> listing every bad value.</summary>
    public static GatewayOptions Load(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var settings = new SettingReader(configuration);
        var options = new GatewayOptions
        {
            Api = ApiSettings.Read(settings),
            Market = MarketSettings.Read(settings),
            Venue = VenueSettings.Read(settings),
            Security = SecuritySettings.Read(settings),
            Storage = StorageSettings.Read(settings),
            Push = PushSettings.Read(settings),
            Telemetry = TelemetrySettings.Read(settings),
            Logging = new LoggingOptions { Format = settings.Mode(ConfigurationVariables.LogFormat, LogFormat.Auto, WireNames.TryParseLogFormat, WireNames.LogFormats) },
        };
        options = BinanceMarketRules.Check(options, settings);
        return settings.Errors.Count > 0 ? throw new GatewayConfigurationException(settings.Errors) : options;
    }

    /// <inheritdoc cref="BinanceMarketRules.Warnings"/>
    public static IReadOnlyList<ConfigurationError> Warnings(GatewayOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return BinanceMarketRules.Warnings(options);
    }
}
