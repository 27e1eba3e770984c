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
        var options = new VenueOptions
        {
            ExecutionMode = settings.Mode(V.ExecutionMode, defaults.ExecutionMode, WireNames.TryParseExecutionMode, WireNames.ExecutionModes),
            BinanceTradeBaseUrl = settings.Url(V.BinanceTradeBaseUrl, defaults.BinanceTradeBaseUrl, ["https", "http"]),
            BinanceWsApiUrl = settings.Url(V.BinanceWsApiUrl, defaults.BinanceWsApiUrl, ["wss", "ws"]),
            BinanceApiKey = settings.Secret(V.BinanceApiKey),
            BinanceApiSecret = settings.Secret(V.BinanceApiSecret),
        };

        if (!options.BinanceApiSecret.IsEmpty)
        {
            try
            {
                // An Ed25519 key (a PEM) that does not parse would fail every signed request: refuse to start instead.
                _ = new Binance.Signing.BinanceSigner(options.BinanceApiSecret);
            }
            catch (ArgumentException)
            {
                settings.Fail(V.BinanceApiSecret, "is a PEM private key but not a valid Ed25519 PKCS#8 key (-----BEGIN PRIVATE KEY----- ...); use an HMAC secret or an Ed25519 private key");
            }
        }

        return options;
    }
}
