using VeloZ.Domain.Configuration;
using VeloZ.Domain.Orders;
using V = VeloZ.Domain.Configuration.ConfigurationVariables;

namespace VeloZ.Hosting;

/// <summary>
/// Reads and validates <see cref="MarketOptions"/> on their own; whether the market data URLs serve the market
/// orders go to is <see cref="BinanceMarketRules"/>'s.
/// </summary>
internal static class MarketSettings
{
    public static MarketOptions Read(SettingReader settings)
    {
        var defaults = new MarketOptions();
        return new MarketOptions
        {
            MarketSource = settings.Mode(V.MarketSource, defaults.MarketSource, WireNames.TryParseMarketSource, WireNames.MarketSources),
            MarketSymbol = ReadSymbol(settings, defaults.MarketSymbol),
            BinanceBaseUrl = settings.Url(V.BinanceBaseUrl, defaults.BinanceBaseUrl, ["https", "http"]),
            BinanceWsBaseUrl = settings.Url(V.BinanceWsBaseUrl, defaults.BinanceWsBaseUrl, ["wss", "ws"]),
            SimStartPrice = settings.PositiveDecimal(V.SimStartPrice, defaults.SimStartPrice),
            SimSeed = settings.Int(V.SimSeed, defaults.SimSeed, int.MinValue, int.MaxValue),
            SimTickMs = settings.Int(V.SimTickMs, defaults.SimTickMs, 1, 60_000),
        };
    }

    private static string ReadSymbol(SettingReader settings, string fallback)
    {
        if (settings.Read(V.MarketSymbol) is not { } text)
        {
            return fallback;
        }

        if (Symbols.Normalize(text) is { } symbol)
        {
            return symbol;
        }

        settings.Fail(V.MarketSymbol, $"invalid value {SettingReader.Echo(text)}; expected a Binance symbol such as BTCUSDT (1-20 letters or digits)");
        return fallback;
    }
}
