using VeloZ.Domain.Configuration;
using V = VeloZ.Domain.Configuration.ConfigurationVariables;

namespace VeloZ.Hosting;

/// <summary>
/// The configuration rules that span concerns: every Binance URL in use — the market's (<see cref="MarketOptions"/>)
/// and the venue's (<see cref="VenueOptions"/>) — points at one market. Orders go where the execution mode says
/// and nowhere else: <c>binance_testnet_spot</c> refuses a live host, and <c>binance_spot</c> trades only on URLs
/// named explicitly (nothing defaults to the live exchange) and prices only from live market data. Testnet trading
/// may take live prices (a warning, see <see cref="Warnings"/>), and in <c>binance_ws</c> the REST fallback serves
/// the same market as the stream (by default it is derived from the stream URL), so prices never switch markets
/// when the socket drops. Hosts VeloZ does not know (the simulated venue, a proxy) are taken as given.
/// </summary>
internal static class BinanceMarketRules
{
    /// <summary>Checks <paramref name="options"/>; returns them with the derived <c>binance_ws</c> REST fallback.</summary>
    public static GatewayOptions Check(GatewayOptions options, SettingReader settings)
    {
        string[] urls = [V.BinanceBaseUrl, V.BinanceTradeBaseUrl, V.BinanceWsBaseUrl, V.BinanceWsApiUrl];
        if (settings.Errors.Any(e => urls.Contains(e.Variable) || e.Variable is V.MarketSource or V.ExecutionMode))
        {
            return options;
        }

        var baseUrlSet = settings.Read(V.BinanceBaseUrl) is not null;
        if (!baseUrlSet && options.Market.MarketSource == MarketSource.BinanceWs && BinanceMarkets.RestBaseFor(options.Market.BinanceWsBaseUrl) is { } derived)
        {
            options = options with { Market = options.Market with { BinanceBaseUrl = derived } };
        }

        var (market, venue) = (options.Market, options.Venue);
        var source = market.MarketSource.ToWire();
        if (market.MarketSource == MarketSource.BinanceWs)
        {
            var stream = BinanceMarkets.Of(market.BinanceWsBaseUrl);
            var fallback = BinanceMarkets.Of(market.BinanceBaseUrl);
            if (!baseUrlSet && stream == BinanceMarket.Unrecognised)
            {
                settings.Fail(V.BinanceBaseUrl, $"is required with {V.MarketSource}={source} when {V.BinanceWsBaseUrl} ({SettingReader.Echo(market.BinanceWsBaseUrl.OriginalString)}) is not a Binance host: name the REST base that serves the same market as the stream");
            }
            else if (baseUrlSet && stream != BinanceMarket.Unrecognised && fallback != BinanceMarket.Unrecognised && stream != fallback)
            {
                settings.Fail(V.BinanceBaseUrl, $"{SettingReader.Echo(market.BinanceBaseUrl.OriginalString)} is {fallback.Describe()} but {V.BinanceWsBaseUrl} is {stream.Describe()}: the REST fallback must serve the same market as the stream (unset it to derive it from the stream URL)");
            }
        }

        var mode = venue.ExecutionMode;
        var tradedOn = mode switch
        {
            ExecutionMode.BinanceTestnetSpot => BinanceMarket.Testnet,
            ExecutionMode.BinanceSpot => BinanceMarket.Production,
            _ => BinanceMarket.Unrecognised,
        };
        if (tradedOn == BinanceMarket.Unrecognised)
        {
            return options;
        }

        var modeName = $"{V.ExecutionMode}={mode.ToWire()}";
        if (mode == ExecutionMode.BinanceSpot)
        {
            // Live trading is opt-in down to the URLs: a default must never send real orders anywhere.
            var missing = new[] { (V.BinanceTradeBaseUrl, "https://api.binance.com"), (V.BinanceWsApiUrl, "wss://ws-api.binance.com:443/ws-api/v3") }
                .Where(x => settings.Read(x.Item1) is null).ToList();
            foreach (var (variable, example) in missing)
            {
                settings.Fail(variable, $"is required with {modeName}: name the live URL explicitly, e.g. {example}");
            }
        }

        var inUse = new List<(string Variable, Uri Url)> { (V.BinanceTradeBaseUrl, venue.BinanceTradeBaseUrl), (V.BinanceWsApiUrl, venue.BinanceWsApiUrl) };
        if (mode == ExecutionMode.BinanceSpot)
        {
            // Real orders priced from another market's book would be priced wrong: live trading takes live prices.
            // Testnet trading may follow live prices (the integration guide's own example does), with a warning.
            // A fallback derived from the stream follows it: only the stream is named then.
            inUse.AddRange(MarketDataUrls(market).Where(u => u.Variable != V.BinanceBaseUrl || baseUrlSet || market.MarketSource != MarketSource.BinanceWs));
        }

        foreach (var (variable, url) in inUse)
        {
            if (settings.HasError(variable))
            {
                continue;
            }

            var actual = BinanceMarkets.Of(url);
            if (actual != BinanceMarket.Unrecognised && actual != tradedOn)
            {
                var shown = settings.Read(variable) is null ? $"the default {url.OriginalString}" : SettingReader.Echo(url.OriginalString);
                settings.Fail(variable, $"{shown} is {actual.Describe()} but {modeName} trades on {tradedOn.Describe()}: point every Binance URL at that market");
            }
        }

        return options;
    }

    /// <summary>
    /// Settings that start but deserve a warning in the log: the testnet WebSocket URLs on
    /// <c>testnet.binance.vision</c>, which the testnet no longer serves, and testnet trading on live (or Demo Mode)
    /// market data.
    /// </summary>
    public static IReadOnlyList<ConfigurationError> Warnings(GatewayOptions options)
    {
        var (market, venue) = (options.Market, options.Venue);
        var warnings = new List<ConfigurationError>();
        if (market.MarketSource == MarketSource.BinanceWs && BinanceMarkets.IsRetiredTestnetWebSocket(market.BinanceWsBaseUrl))
        {
            warnings.Add(new(V.BinanceWsBaseUrl, $"{market.BinanceWsBaseUrl.OriginalString} is a retired testnet stream URL (removed by Binance in May 2025); use wss://stream.testnet.binance.vision"));
        }

        if (venue.UsesBinanceExecution && BinanceMarkets.IsRetiredTestnetWebSocket(venue.BinanceWsApiUrl))
        {
            warnings.Add(new(V.BinanceWsApiUrl, $"{venue.BinanceWsApiUrl.OriginalString} is a retired testnet WebSocket API URL (removed by Binance in May 2025); use wss://ws-api.testnet.binance.vision/ws-api/v3"));
        }

        if (venue.ExecutionMode == ExecutionMode.BinanceTestnetSpot)
        {
            foreach (var (variable, url) in MarketDataUrls(market))
            {
                if (BinanceMarkets.Of(url) is var dataMarket && dataMarket is BinanceMarket.Production or BinanceMarket.Demo)
                {
                    warnings.Add(new(variable, $"{url.OriginalString} is {dataMarket.Describe()} but orders go to {BinanceMarket.Testnet.Describe()}: prices follow a different order book than the one orders rest on"));
                }
            }
        }

        return warnings;
    }

    /// <summary>The market data URLs the market source uses: the stream and its REST fallback, or the REST base alone.</summary>
    private static IEnumerable<(string Variable, Uri Url)> MarketDataUrls(MarketOptions market)
    {
        if (market.MarketSource == MarketSource.BinanceWs)
        {
            yield return (V.BinanceWsBaseUrl, market.BinanceWsBaseUrl);
        }

        if (market.MarketSource != MarketSource.Sim)
        {
            yield return (V.BinanceBaseUrl, market.BinanceBaseUrl);
        }
    }
}
