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
        var symbols = ReadSymbols(settings, defaults.MarketSymbol);
        return new MarketOptions
        {
            MarketSource = settings.Mode(V.MarketSource, defaults.MarketSource, WireNames.TryParseMarketSource, WireNames.MarketSources),
            MarketSymbol = symbols[0],
            MarketSymbols = symbols,
            BinanceBaseUrl = settings.Url(V.BinanceBaseUrl, defaults.BinanceBaseUrl, ["https", "http"]),
            BinanceWsBaseUrl = settings.Url(V.BinanceWsBaseUrl, defaults.BinanceWsBaseUrl, ["wss", "ws"]),
            SimStartPrice = settings.PositiveDecimal(V.SimStartPrice, defaults.SimStartPrice),
            SimSeed = settings.Int(V.SimSeed, defaults.SimSeed, int.MinValue, int.MaxValue),
            SimTickMs = settings.Int(V.SimTickMs, defaults.SimTickMs, 1, 60_000),
        };
    }

    /// <summary>
    /// <c>VELOZ_MARKET_SYMBOLS</c> (a comma list) or <c>VELOZ_MARKET_SYMBOL</c> (a list of one); both set, they must
    /// agree on the first symbol, which is the default everywhere a symbol is optional.
    /// </summary>
    private static string[] ReadSymbols(SettingReader settings, string fallback)
    {
        var single = ReadSymbol(settings, fallback);
        if (settings.Read(V.MarketSymbols) is not { } text)
        {
            return [single];
        }

        var symbols = new List<string>();
        var entries = text.Split(',', StringSplitOptions.TrimEntries);
        for (var i = 0; i < entries.Length; i++)
        {
            if (Symbols.Normalize(entries[i]) is not { } symbol)
            {
                var entry = entries[i].Length == 0 ? "is empty" : $"{SettingReader.Echo(entries[i])} is not a Binance symbol such as BTCUSDT (1-20 letters or digits)";
                settings.Fail(V.MarketSymbols, $"invalid value: entry {i + 1} {entry}; expected a comma-separated list such as BTCUSDT,ETHUSDT");
                return [single];
            }

            if (!symbols.Contains(symbol))
            {
                symbols.Add(symbol);
            }
        }

        if (symbols.Count > MarketOptions.MaxSymbols)
        {
            settings.Fail(V.MarketSymbols, $"lists {symbols.Count} symbols; at most {MarketOptions.MaxSymbols} (each costs market data request weight)");
            return [single];
        }

        if (settings.Read(V.MarketSymbol) is not null && !settings.HasError(V.MarketSymbol) && symbols[0] != single)
        {
            settings.Fail(V.MarketSymbols, $"starts with {symbols[0]} but {V.MarketSymbol} is {single}; the first symbol is the default one: set only one of the two, or make them agree");
        }

        return [.. symbols];
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
