using Microsoft.Extensions.Configuration;
using VeloZ.Domain.Configuration;

namespace VeloZ.Domain.Tests.Configuration;

public sealed class GatewayOptionsLoaderTests
{
    private static GatewayOptions Load(params (string Key, string? Value)[] values) =>
        GatewayOptionsLoader.Load(new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value)))
            .Build());

    private static GatewayConfigurationException LoadFails(params (string Key, string? Value)[] values) =>
        Assert.Throws<GatewayConfigurationException>(() => Load(values));

    [Fact]
    public void Defaults_match_the_contract()
    {
        var options = Load();

        Assert.Equal("127.0.0.1", options.Host);
        Assert.Equal(8080, options.Port);
        Assert.Equal(MarketSource.Sim, options.MarketSource);
        Assert.Equal("BTCUSDT", options.MarketSymbol);
        Assert.Equal(new Uri("https://api.binance.com"), options.BinanceBaseUrl);
        Assert.Equal(ExecutionMode.SimEngine, options.ExecutionMode);
        Assert.Equal(new Uri("https://testnet.binance.vision"), options.BinanceTradeBaseUrl);
        Assert.Equal(new Uri("wss://ws-api.testnet.binance.vision/ws-api/v3"), options.BinanceWsApiUrl);
        Assert.True(options.BinanceApiKey.IsEmpty);
        Assert.Null(options.AuthEnabled);
        Assert.Equal("UseDevelopmentStorage=true", options.StorageConnectionString.Reveal());
        Assert.Equal(["*"], options.CorsOrigins);
    }

    [Theory]
    [InlineData("sim", MarketSource.Sim)]
    [InlineData("binance_rest", MarketSource.BinanceRest)]
    [InlineData("binance_ws", MarketSource.BinanceWs)]
    public void Every_market_source_of_the_contract_is_accepted(string text, MarketSource expected) =>
        Assert.Equal(expected, Load((GatewayOptionsLoader.MarketSource, text)).MarketSource);

    [Theory]
    [InlineData("sim_engine", ExecutionMode.SimEngine)]
    [InlineData("binance_testnet_spot", ExecutionMode.BinanceTestnetSpot)]
    [InlineData("binance_spot", ExecutionMode.BinanceSpot)]
    public void Every_execution_mode_of_the_contract_is_accepted(string text, ExecutionMode expected) =>
        Assert.Equal(expected, Load((GatewayOptionsLoader.ExecutionMode, text)).ExecutionMode);

    [Fact]
    public void A_misspelt_execution_mode_is_an_error_naming_the_variable_the_value_and_the_allowed_values()
    {
        var ex = LoadFails((GatewayOptionsLoader.ExecutionMode, "binance_tesnet_spot"));

        var error = Assert.Single(ex.Errors);
        Assert.Equal("VELOZ_EXECUTION_MODE", error.Variable);
        Assert.Contains("'binance_tesnet_spot'", error.Message, StringComparison.Ordinal);
        Assert.Contains("sim_engine, binance_testnet_spot, binance_spot", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Theory]
    [InlineData("bogus")]
    [InlineData("SIM")]
    [InlineData("binance")]
    public void An_unknown_market_source_never_falls_back_to_sim(string text)
    {
        var error = Assert.Single(LoadFails((GatewayOptionsLoader.MarketSource, text)).Errors);
        Assert.Equal("VELOZ_MARKET_SOURCE", error.Variable);
        Assert.Contains("sim, binance_rest, binance_ws", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void All_bad_values_are_reported_at_once_one_line_each()
    {
        var ex = LoadFails(
            (GatewayOptionsLoader.MarketSource, "bogus"),
            (GatewayOptionsLoader.Port, "eighty"),
            (GatewayOptionsLoader.BinanceBaseUrl, "ftp://example.com"));

        Assert.Equal(["VELOZ_PORT", "VELOZ_MARKET_SOURCE", "VELOZ_BINANCE_BASE_URL"], ex.Errors.Select(e => e.Variable));
        Assert.Equal(3, ex.Message.Split(Environment.NewLine).Length);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("65536")]
    [InlineData("80.5")]
    [InlineData("0x50")]
    public void Port_must_be_a_whole_number_in_range(string text) =>
        Assert.Equal("VELOZ_PORT", Assert.Single(LoadFails((GatewayOptionsLoader.Port, text)).Errors).Variable);

    [Theory]
    [InlineData(GatewayOptionsLoader.BinanceBaseUrl, "wss://stream.binance.com")]
    [InlineData(GatewayOptionsLoader.BinanceTradeBaseUrl, "not a url")]
    [InlineData(GatewayOptionsLoader.BinanceWsBaseUrl, "https://stream.binance.com")]
    [InlineData(GatewayOptionsLoader.BinanceWsApiUrl, "ws-api.binance.com")]
    [InlineData(GatewayOptionsLoader.BinanceTradeBaseUrl, "https://user:pw@api.binance.com")]
    public void Urls_need_the_right_scheme_and_no_credentials(string variable, string text) =>
        Assert.Equal(variable, Assert.Single(LoadFails((variable, text)).Errors).Variable);

    [Fact]
    public void Urls_lose_a_trailing_slash()
    {
        var options = Load((GatewayOptionsLoader.BinanceTradeBaseUrl, "http://127.0.0.1:9000/"));
        Assert.Equal("http://127.0.0.1:9000", options.BinanceTradeBaseUrl.AbsoluteUri.TrimEnd('/'));
    }

    [Theory]
    [InlineData("btcusdt", "BTCUSDT")]
    [InlineData(" ETHBTC ", "ETHBTC")]
    [InlineData("１２３４５６", "１２３４５６")]
    public void Symbols_are_upper_cased_and_may_be_unicode(string text, string expected) =>
        Assert.Equal(expected, Load((GatewayOptionsLoader.MarketSymbol, text)).MarketSymbol);

    [Theory]
    [InlineData("BTC USDT")]
    [InlineData("BTC/USDT")]
    [InlineData("ABCDEFGHIJKLMNOPQRSTU")]
    public void Invalid_symbols_are_rejected(string text) =>
        Assert.Equal("VELOZ_MARKET_SYMBOL", Assert.Single(LoadFails((GatewayOptionsLoader.MarketSymbol, text)).Errors).Variable);

    [Fact]
    public void A_bad_secret_is_reported_without_its_value()
    {
        var ex = LoadFails((GatewayOptionsLoader.BinanceApiSecret, "abc def-very-secret"));

        Assert.Equal("VELOZ_BINANCE_API_SECRET", Assert.Single(ex.Errors).Variable);
        Assert.DoesNotContain("very-secret", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Secrets_never_print_their_value()
    {
        var options = Load((GatewayOptionsLoader.BinanceApiKey, "KEY-123456"), (GatewayOptionsLoader.BinanceApiSecret, "SECRET-abcdef"));

        Assert.True(options.BinanceCredentialsPresent);
        Assert.Equal("KEY-123456", options.BinanceApiKey.Reveal());
        Assert.DoesNotContain("KEY-123456", options.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET-abcdef", options.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET-abcdef", $"{options.BinanceApiSecret}", StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_value_is_echoed_on_one_line_even_with_control_characters()
    {
        var ex = LoadFails((GatewayOptionsLoader.ExecutionMode, "sim_engine\nrm -rf"));

        Assert.DoesNotContain('\n', ex.Message);
        Assert.Contains("\\u000a", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("FALSE", false)]
    [InlineData("1", true)]
    [InlineData("0", false)]
    public void Auth_enabled_is_a_boolean(string text, bool expected) =>
        Assert.Equal(expected, Load((GatewayOptionsLoader.AuthEnabled, text)).AuthEnabled);

    [Fact]
    public void Auth_enabled_rejects_other_words() =>
        Assert.Equal("VELOZ_AUTH_ENABLED", Assert.Single(LoadFails((GatewayOptionsLoader.AuthEnabled, "yes please")).Errors).Variable);

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("1e5")]
    [InlineData("abc")]
    public void Sim_start_price_must_be_a_positive_plain_decimal(string text) =>
        Assert.Equal("VELOZ_SIM_START_PRICE", Assert.Single(LoadFails((GatewayOptionsLoader.SimStartPrice, text)).Errors).Variable);

    [Fact]
    public void Sim_start_price_is_read_as_an_exact_decimal() =>
        Assert.Equal(0.3m, Load((GatewayOptionsLoader.SimStartPrice, "0.3")).SimStartPrice);

    [Fact]
    public void Sim_tick_defaults_to_250_ms() =>
        Assert.Equal(250, Load().SimTickMs);

    [Theory]
    [InlineData("100", 100)]
    [InlineData("1", 1)]
    [InlineData("60000", 60000)]
    public void Sim_tick_is_read_in_ms(string text, int expected) =>
        Assert.Equal(expected, Load((GatewayOptionsLoader.SimTickMs, text)).SimTickMs);

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("60001")]
    [InlineData("0.5")]
    [InlineData("fast")]
    public void Sim_tick_must_be_1_to_60000_ms(string text) =>
        Assert.Equal("VELOZ_SIM_TICK_MS", Assert.Single(LoadFails((GatewayOptionsLoader.SimTickMs, text)).Errors).Variable);

    [Theory]
    [InlineData("https://app.example.com", true)]
    [InlineData("https://app.example.com,http://localhost:3000", true)]
    [InlineData("*", true)]
    [InlineData("https://app.example.com/path", false)]
    [InlineData("app.example.com", false)]
    public void Cors_origins_are_origins(string text, bool valid)
    {
        if (valid)
        {
            Assert.NotEmpty(Load((GatewayOptionsLoader.CorsOrigins, text)).CorsOrigins);
        }
        else
        {
            Assert.Equal("VELOZ_CORS_ORIGINS", Assert.Single(LoadFails((GatewayOptionsLoader.CorsOrigins, text)).Errors).Variable);
        }
    }

    [Theory]
    [InlineData("Veloz")]
    [InlineData("1abc")]
    [InlineData("with-dash")]
    public void Storage_prefix_must_fit_table_names(string text) =>
        Assert.Equal("VELOZ_STORAGE_PREFIX", Assert.Single(LoadFails((GatewayOptionsLoader.StoragePrefix, text)).Errors).Variable);

    [Fact]
    public void Every_contract_variable_is_read()
    {
        string[] contract =
        [
            "VELOZ_HOST", "VELOZ_PORT", "VELOZ_MARKET_SOURCE", "VELOZ_MARKET_SYMBOL", "VELOZ_BINANCE_BASE_URL",
            "VELOZ_EXECUTION_MODE", "VELOZ_BINANCE_TRADE_BASE_URL", "VELOZ_BINANCE_API_KEY", "VELOZ_BINANCE_API_SECRET",
            "VELOZ_BINANCE_WS_BASE_URL", "VELOZ_BINANCE_WS_API_URL", "VELOZ_AUTH_ENABLED", "VELOZ_ADMIN_API_KEY",
        ];
        Assert.All(contract, v => Assert.Contains(v, GatewayOptionsLoader.Variables));
    }
}
