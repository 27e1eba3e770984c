using VeloZ.Domain.Configuration;
using V = VeloZ.Domain.Configuration.ConfigurationVariables;

namespace VeloZ.Hosting;

/// <summary>
/// Reads and validates <see cref="VenueOptions"/> on their own; which URLs an execution mode may trade on is
/// <see cref="BinanceMarketRules"/>'s.
/// </summary>
internal static class VenueSettings
{
    public static VenueOptions Read(SettingReader settings)
    {
        var defaults = new VenueOptions();
        return new VenueOptions
        {
            ExecutionMode = settings.Mode(V.ExecutionMode, defaults.ExecutionMode, WireNames.TryParseExecutionMode, WireNames.ExecutionModes),
            BinanceTradeBaseUrl = settings.Url(V.BinanceTradeBaseUrl, defaults.BinanceTradeBaseUrl, ["https", "http"]),
            BinanceWsApiUrl = settings.Url(V.BinanceWsApiUrl, defaults.BinanceWsApiUrl, ["wss", "ws"]),
            BinanceApiKey = settings.Secret(V.BinanceApiKey),
            BinanceApiSecret = settings.Secret(V.BinanceApiSecret),
        };
    }
}
