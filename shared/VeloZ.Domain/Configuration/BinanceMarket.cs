namespace VeloZ.Domain.Configuration;

/// <summary>Which Binance environment a URL belongs to, judged by its host.</summary>
public enum BinanceMarket
{
    /// <summary>Not a Binance host VeloZ knows (the simulated venue, a proxy, a test server).</summary>
    Unrecognised,

    /// <summary>Live Binance Spot: real money.</summary>
    Production,

    /// <summary>The Binance Spot testnet (<c>*.binance.vision</c> testnet hosts).</summary>
    Testnet,

    /// <summary>Binance Demo Mode (<c>demo-*.binance.com</c>): neither live nor the testnet.</summary>
    Demo,
}

/// <summary>
/// Sorts Binance URLs into markets, from the hosts Binance documents (REST: <c>rest-api.md</c> "General API
/// Information"; streams: <c>web-socket-streams.md</c>; WebSocket API: <c>web-socket-api.md</c>; testnet:
/// <c>testnet/general-info.md</c>; Demo Mode: <c>demo-mode/general-info.md</c>). A host not listed there is
/// <see cref="BinanceMarket.Unrecognised"/> and never assumed to be one market or the other.
/// </summary>
public static class BinanceMarkets
{
    /// <summary>The testnet REST base, also the REST fallback of the testnet market streams.</summary>
    public static readonly Uri TestnetRestBase = new("https://testnet.binance.vision");

    /// <summary>The live REST base.</summary>
    public static readonly Uri ProductionRestBase = new("https://api.binance.com");

    /// <summary>The live REST base that serves market data only.</summary>
    public static readonly Uri ProductionDataRestBase = new("https://data-api.binance.vision");

    /// <summary>The Demo Mode REST base.</summary>
    public static readonly Uri DemoRestBase = new("https://demo-api.binance.com");

    /// <summary>The market of <paramref name="url"/>'s host.</summary>
    public static BinanceMarket Of(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var host = url.IdnHost.TrimEnd('.').ToLowerInvariant();
        if (host is "testnet.binance.vision" || host.EndsWith(".testnet.binance.vision", StringComparison.Ordinal))
        {
            return BinanceMarket.Testnet;
        }

        // Market-data-only hosts of the live exchange (faqs/market_data_only.md).
        if (host is "data-api.binance.vision" or "data-stream.binance.vision")
        {
            return BinanceMarket.Production;
        }

        if (host is "binance.com" || host.EndsWith(".binance.com", StringComparison.Ordinal))
        {
            return host.StartsWith("demo-", StringComparison.Ordinal) ? BinanceMarket.Demo : BinanceMarket.Production;
        }

        return BinanceMarket.Unrecognised;
    }

    /// <summary>
    /// The REST base serving the same market as the market stream <paramref name="streamUrl"/>, or null when the
    /// stream's host is not a Binance host VeloZ knows.
    /// </summary>
    public static Uri? RestBaseFor(Uri streamUrl)
    {
        ArgumentNullException.ThrowIfNull(streamUrl);
        return Of(streamUrl) switch
        {
            BinanceMarket.Testnet => TestnetRestBase,
            BinanceMarket.Demo => DemoRestBase,
            BinanceMarket.Production when streamUrl.IdnHost.Equals("data-stream.binance.vision", StringComparison.OrdinalIgnoreCase) => ProductionDataRestBase,
            BinanceMarket.Production => ProductionRestBase,
            _ => null,
        };
    }

    /// <summary>
    /// True for the testnet's WebSocket URLs on <c>testnet.binance.vision</c> itself (<c>wss://testnet.binance.vision/ws…</c>),
    /// which the testnet removed in May 2025 (testnet CHANGELOG 2025-04-01) in favour of
    /// <c>wss://stream.testnet.binance.vision</c> and <c>wss://ws-api.testnet.binance.vision/ws-api/v3</c>.
    /// </summary>
    public static bool IsRetiredTestnetWebSocket(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return url.Scheme is "ws" or "wss" && url.IdnHost.Equals("testnet.binance.vision", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The word used for a market in one-line configuration errors.</summary>
    public static string Describe(this BinanceMarket market) => market switch
    {
        BinanceMarket.Production => "the live (production) Binance market",
        BinanceMarket.Testnet => "the Binance Spot testnet",
        BinanceMarket.Demo => "Binance Demo Mode",
        _ => "an unrecognised host",
    };
}
