using Microsoft.Extensions.Configuration;
using VeloZ.Domain.Configuration;
using VeloZ.Hosting;

namespace VeloZ.Domain.Tests.Configuration;

/// <summary>The execution mode, the trading URLs and the market data URLs all name one Binance market.</summary>
public sealed class BinanceMarketSettingsTests
{
    private const string LiveTrade = "https://api.binance.com";
    private const string LiveWsApi = "wss://ws-api.binance.com:443/ws-api/v3";
    private const string LiveStream = "wss://stream.binance.com:9443";

    private static GatewayOptions Load(params (string Key, string? Value)[] values) =>
        GatewayOptionsLoader.Load(new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value)))
            .Build());

    private static GatewayConfigurationException LoadFails(params (string Key, string? Value)[] values) =>
        Assert.Throws<GatewayConfigurationException>(() => Load(values));

    [Theory]
    [InlineData(ConfigurationVariables.BinanceTradeBaseUrl, "https://api.binance.com")]
    [InlineData(ConfigurationVariables.BinanceTradeBaseUrl, "https://api3.binance.com")]
    [InlineData(ConfigurationVariables.BinanceWsApiUrl, "wss://ws-api.binance.com:443/ws-api/v3")]
    public void Testnet_execution_refuses_a_production_host(string variable, string url)
    {
        var ex = LoadFails((ConfigurationVariables.ExecutionMode, "binance_testnet_spot"), (variable, url));

        var error = Assert.Single(ex.Errors);
        Assert.Equal(variable, error.Variable);
        Assert.Contains("production", error.Message, StringComparison.Ordinal);
        Assert.Contains("binance_testnet_spot", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Theory]
    [InlineData("binance_rest", null)]
    [InlineData("binance_rest", "https://api.binance.com")]
    [InlineData("binance_ws", "https://api.binance.com")]
    public void Testnet_trading_on_live_prices_starts_with_a_warning(string source, string? restBase)
    {
        // The integration guide's own example: live market data, orders on the testnet.
        var options = Load(
            (ConfigurationVariables.ExecutionMode, "binance_testnet_spot"),
            (ConfigurationVariables.MarketSource, source),
            (ConfigurationVariables.BinanceWsBaseUrl, source == "binance_ws" ? LiveStream : null),
            (ConfigurationVariables.BinanceBaseUrl, restBase));

        Assert.Equal(new Uri("https://api.binance.com"), options.Market.BinanceBaseUrl);
        var warnings = GatewayOptionsLoader.Warnings(options);
        Assert.NotEmpty(warnings);
        Assert.All(warnings, w => Assert.Contains("testnet", w.Message, StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.Variable == ConfigurationVariables.BinanceBaseUrl);
        Assert.Empty(GatewayOptionsLoader.Warnings(Load((ConfigurationVariables.ExecutionMode, "binance_testnet_spot"), (ConfigurationVariables.MarketSource, "binance_ws"))));
    }

    [Fact]
    public void Testnet_execution_starts_on_the_defaults_and_on_the_simulated_venue()
    {
        Assert.Equal(ExecutionMode.BinanceTestnetSpot, Load((ConfigurationVariables.ExecutionMode, "binance_testnet_spot"), (ConfigurationVariables.MarketSource, "binance_ws")).Venue.ExecutionMode);
        var local = Load(
            (ConfigurationVariables.ExecutionMode, "binance_testnet_spot"),
            (ConfigurationVariables.MarketSource, "binance_ws"),
            (ConfigurationVariables.BinanceTradeBaseUrl, "http://127.0.0.1:9000"),
            (ConfigurationVariables.BinanceBaseUrl, "http://127.0.0.1:9000"),
            (ConfigurationVariables.BinanceWsBaseUrl, "ws://127.0.0.1:9000"));
        Assert.Equal(new Uri("http://127.0.0.1:9000"), local.Venue.BinanceTradeBaseUrl);
    }

    [Fact]
    public void Live_execution_requires_the_live_trading_urls_to_be_named()
    {
        var ex = LoadFails((ConfigurationVariables.ExecutionMode, "binance_spot"));

        Assert.Equal([ConfigurationVariables.BinanceTradeBaseUrl, ConfigurationVariables.BinanceWsApiUrl], ex.Errors.Select(e => e.Variable));
        Assert.All(ex.Errors, e => Assert.Contains("binance_spot", e.Message, StringComparison.Ordinal));
        Assert.Equal(2, ex.Message.Split(Environment.NewLine).Length);
    }

    [Fact]
    public void Live_execution_starts_with_live_urls_named()
    {
        var options = Load(
            (ConfigurationVariables.ExecutionMode, "binance_spot"),
            (ConfigurationVariables.MarketSource, "binance_ws"),
            (ConfigurationVariables.BinanceTradeBaseUrl, LiveTrade),
            (ConfigurationVariables.BinanceWsApiUrl, LiveWsApi),
            (ConfigurationVariables.BinanceWsBaseUrl, LiveStream));

        Assert.Equal(new Uri(LiveTrade), options.Venue.BinanceTradeBaseUrl);
        Assert.Equal(new Uri("https://api.binance.com"), options.Market.BinanceBaseUrl);
    }

    [Theory]
    [InlineData(ConfigurationVariables.BinanceTradeBaseUrl, "https://testnet.binance.vision")]
    [InlineData(ConfigurationVariables.BinanceWsApiUrl, "wss://ws-api.testnet.binance.vision/ws-api/v3")]
    public void Live_execution_refuses_a_testnet_trading_url(string variable, string url)
    {
        var values = new Dictionary<string, string?>
        {
            [ConfigurationVariables.ExecutionMode] = "binance_spot",
            [ConfigurationVariables.BinanceTradeBaseUrl] = LiveTrade,
            [ConfigurationVariables.BinanceWsApiUrl] = LiveWsApi,
            [variable] = url,
        };

        var ex = LoadFails([.. values.Select(kv => (kv.Key, kv.Value))]);

        Assert.Equal(variable, Assert.Single(ex.Errors).Variable);
    }

    [Fact]
    public void Live_execution_refuses_testnet_market_data_by_default()
    {
        var ex = LoadFails(
            (ConfigurationVariables.ExecutionMode, "binance_spot"),
            (ConfigurationVariables.MarketSource, "binance_ws"),
            (ConfigurationVariables.BinanceTradeBaseUrl, LiveTrade),
            (ConfigurationVariables.BinanceWsApiUrl, LiveWsApi));

        var error = Assert.Single(ex.Errors);
        Assert.Equal(ConfigurationVariables.BinanceWsBaseUrl, error.Variable);
        Assert.Contains("the default wss://stream.testnet.binance.vision", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("wss://stream.testnet.binance.vision", "https://testnet.binance.vision/")]
    [InlineData("wss://stream.testnet.binance.vision:9443", "https://testnet.binance.vision/")]
    [InlineData("wss://stream.binance.com:9443", "https://api.binance.com/")]
    [InlineData("wss://data-stream.binance.vision", "https://data-api.binance.vision/")]
    public void The_stream_fallback_serves_the_market_of_the_stream(string stream, string expectedRest)
    {
        var options = Load((ConfigurationVariables.MarketSource, "binance_ws"), (ConfigurationVariables.BinanceWsBaseUrl, stream));

        Assert.Equal(expectedRest, options.Market.BinanceBaseUrl.AbsoluteUri);
    }

    [Theory]
    [InlineData("wss://stream.testnet.binance.vision", "https://api.binance.com")]
    [InlineData("wss://stream.binance.com:9443", "https://testnet.binance.vision")]
    public void A_stream_and_a_fallback_on_different_markets_are_refused(string stream, string rest)
    {
        var ex = LoadFails(
            (ConfigurationVariables.MarketSource, "binance_ws"),
            (ConfigurationVariables.BinanceWsBaseUrl, stream),
            (ConfigurationVariables.BinanceBaseUrl, rest));

        var error = Assert.Single(ex.Errors);
        Assert.Equal(ConfigurationVariables.BinanceBaseUrl, error.Variable);
        Assert.Contains(ConfigurationVariables.BinanceWsBaseUrl, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_stream_on_an_unknown_host_needs_its_fallback_named()
    {
        var ex = LoadFails((ConfigurationVariables.MarketSource, "binance_ws"), (ConfigurationVariables.BinanceWsBaseUrl, "ws://127.0.0.1:9000"));

        Assert.Equal(ConfigurationVariables.BinanceBaseUrl, Assert.Single(ex.Errors).Variable);
    }

    [Theory]
    [InlineData("https://testnet.binance.vision", BinanceMarket.Testnet)]
    [InlineData("https://api1.testnet.binance.vision", BinanceMarket.Testnet)]
    [InlineData("wss://ws-api.testnet.binance.vision/ws-api/v3", BinanceMarket.Testnet)]
    [InlineData("https://api.binance.com", BinanceMarket.Production)]
    [InlineData("https://API-GCP.binance.com", BinanceMarket.Production)]
    [InlineData("https://data-api.binance.vision", BinanceMarket.Production)]
    [InlineData("wss://demo-stream.binance.com:9443", BinanceMarket.Demo)]
    [InlineData("http://127.0.0.1:9000", BinanceMarket.Unrecognised)]
    [InlineData("https://notbinance.com", BinanceMarket.Unrecognised)]
    [InlineData("https://testnet.binance.vision.example.com", BinanceMarket.Unrecognised)]
    public void Hosts_are_sorted_into_the_markets_binance_documents(string url, BinanceMarket expected) =>
        Assert.Equal(expected, BinanceMarkets.Of(new Uri(url)));

    [Fact]
    public void The_retired_testnet_stream_url_starts_with_a_warning()
    {
        var options = Load((ConfigurationVariables.MarketSource, "binance_ws"), (ConfigurationVariables.BinanceWsBaseUrl, "wss://testnet.binance.vision/ws"));

        var warning = Assert.Single(GatewayOptionsLoader.Warnings(options));
        Assert.Equal(ConfigurationVariables.BinanceWsBaseUrl, warning.Variable);
        Assert.Contains("wss://stream.testnet.binance.vision", warning.Message, StringComparison.Ordinal);
        Assert.Empty(GatewayOptionsLoader.Warnings(Load((ConfigurationVariables.MarketSource, "binance_ws"))));
    }
}
