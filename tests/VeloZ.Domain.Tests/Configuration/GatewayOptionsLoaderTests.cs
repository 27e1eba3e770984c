using Microsoft.Extensions.Configuration;
using VeloZ.Domain.Configuration;
using VeloZ.Hosting;

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

        Assert.Equal("127.0.0.1", options.Api.Host);
        Assert.Equal(8080, options.Api.Port);
        Assert.Equal(MarketSource.Sim, options.Market.MarketSource);
        Assert.Equal("BTCUSDT", options.Market.MarketSymbol);
        Assert.Equal(new Uri("https://api.binance.com"), options.Market.BinanceBaseUrl);
        Assert.Equal(ExecutionMode.SimEngine, options.Venue.ExecutionMode);
        Assert.Equal(new Uri("https://testnet.binance.vision"), options.Venue.BinanceTradeBaseUrl);
        Assert.Equal(new Uri("wss://ws-api.testnet.binance.vision/ws-api/v3"), options.Venue.BinanceWsApiUrl);
        Assert.True(options.Venue.BinanceApiKey.IsEmpty);
        Assert.Null(options.Security.AuthEnabled);
        Assert.Equal("UseDevelopmentStorage=true", options.Storage.StorageConnectionString.Reveal());
        Assert.Empty(options.Security.CorsOrigins);
    }

    [Theory]
    [InlineData("sim", MarketSource.Sim)]
    [InlineData("binance_rest", MarketSource.BinanceRest)]
    [InlineData("binance_ws", MarketSource.BinanceWs)]
    public void Every_market_source_of_the_contract_is_accepted(string text, MarketSource expected) =>
        Assert.Equal(expected, Load((ConfigurationVariables.MarketSource, text)).Market.MarketSource);

    [Theory]
    [InlineData("sim_engine", ExecutionMode.SimEngine)]
    [InlineData("binance_testnet_spot", ExecutionMode.BinanceTestnetSpot)]
    [InlineData("binance_spot", ExecutionMode.BinanceSpot)]
    public void Every_execution_mode_of_the_contract_is_accepted(string text, ExecutionMode expected) =>
        Assert.Equal(expected, Load(
            (ConfigurationVariables.ExecutionMode, text),
            // Live trading starts only on trading URLs named explicitly (a loopback stand-in here).
            (ConfigurationVariables.BinanceTradeBaseUrl, "http://127.0.0.1:9000"),
            (ConfigurationVariables.BinanceWsApiUrl, "ws://127.0.0.1:9000/ws-api/v3")).Venue.ExecutionMode);

    [Fact]
    public void A_misspelt_execution_mode_is_an_error_naming_the_variable_the_value_and_the_allowed_values()
    {
        var ex = LoadFails((ConfigurationVariables.ExecutionMode, "binance_tesnet_spot"));

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
        var error = Assert.Single(LoadFails((ConfigurationVariables.MarketSource, text)).Errors);
        Assert.Equal("VELOZ_MARKET_SOURCE", error.Variable);
        Assert.Contains("sim, binance_rest, binance_ws", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void All_bad_values_are_reported_at_once_one_line_each()
    {
        var ex = LoadFails(
            (ConfigurationVariables.MarketSource, "bogus"),
            (ConfigurationVariables.Port, "eighty"),
            (ConfigurationVariables.BinanceBaseUrl, "ftp://example.com"));

        Assert.Equal(["VELOZ_PORT", "VELOZ_MARKET_SOURCE", "VELOZ_BINANCE_BASE_URL"], ex.Errors.Select(e => e.Variable));
        Assert.Equal(3, ex.Message.Split(Environment.NewLine).Length);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("65536")]
    [InlineData("80.5")]
    [InlineData("0x50")]
    public void Port_must_be_a_whole_number_in_range(string text) =>
        Assert.Equal("VELOZ_PORT", Assert.Single(LoadFails((ConfigurationVariables.Port, text)).Errors).Variable);

    [Theory]
    [InlineData(ConfigurationVariables.BinanceBaseUrl, "wss://stream.binance.com")]
    [InlineData(ConfigurationVariables.BinanceTradeBaseUrl, "not a url")]
    [InlineData(ConfigurationVariables.BinanceWsBaseUrl, "https://stream.binance.com")]
    [InlineData(ConfigurationVariables.BinanceWsApiUrl, "ws-api.binance.com")]
    [InlineData(ConfigurationVariables.BinanceTradeBaseUrl, "https://user:pw@api.binance.com")]
    public void Urls_need_the_right_scheme_and_no_credentials(string variable, string text) =>
        Assert.Equal(variable, Assert.Single(LoadFails((variable, text)).Errors).Variable);

    [Fact]
    public void Urls_lose_a_trailing_slash()
    {
        var options = Load((ConfigurationVariables.BinanceTradeBaseUrl, "http://127.0.0.1:9000/"));
        Assert.Equal("http://127.0.0.1:9000", options.Venue.BinanceTradeBaseUrl.AbsoluteUri.TrimEnd('/'));
    }

    [Theory]
    [InlineData("btcusdt", "BTCUSDT")]
    [InlineData(" ETHBTC ", "ETHBTC")]
    [InlineData("１２３４５６", "１２３４５６")]
    public void Symbols_are_upper_cased_and_may_be_unicode(string text, string expected) =>
        Assert.Equal(expected, Load((ConfigurationVariables.MarketSymbol, text)).Market.MarketSymbol);

    [Theory]
    [InlineData("BTC USDT")]
    [InlineData("BTC/USDT")]
    [InlineData("ABCDEFGHIJKLMNOPQRSTU")]
    public void Invalid_symbols_are_rejected(string text) =>
        Assert.Equal("VELOZ_MARKET_SYMBOL", Assert.Single(LoadFails((ConfigurationVariables.MarketSymbol, text)).Errors).Variable);

    [Fact]
    public void A_bad_secret_is_reported_without_its_value()
    {
        var ex = LoadFails((ConfigurationVariables.BinanceApiSecret, "abc def-very-secret"));

        Assert.Equal("VELOZ_BINANCE_API_SECRET", Assert.Single(ex.Errors).Variable);
        Assert.DoesNotContain("very-secret", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIKTE9O3yIhwJQ7eZMKxsXUyx8DyHTwikT8S5BnDANP4C\n-----END PRIVATE KEY-----\n")]
    [InlineData("-----BEGIN PRIVATE KEY-----\\nMC4CAQAwBQYDK2VwBCIEIKTE9O3yIhwJQ7eZMKxsXUyx8DyHTwikT8S5BnDANP4C\\n-----END PRIVATE KEY-----")]
    public void An_ed25519_private_key_in_pem_is_a_valid_secret(string pem)
    {
        var options = Load((ConfigurationVariables.BinanceApiKey, "KEY-123456"), (ConfigurationVariables.BinanceApiSecret, pem));

        Assert.True(options.Venue.BinanceCredentialsPresent);
        Assert.Equal(pem.Trim(), options.Venue.BinanceApiSecret.Reveal().Trim());
    }

    [Fact]
    public void A_pem_secret_that_is_not_an_ed25519_key_stops_the_start_without_its_value()
    {
        var ex = LoadFails((ConfigurationVariables.BinanceApiSecret, "-----BEGIN PRIVATE KEY-----\nc2VjcmV0LXZhbHVlLXZlcnk=\n-----END PRIVATE KEY-----"));

        var error = Assert.Single(ex.Errors);
        Assert.Equal("VELOZ_BINANCE_API_SECRET", error.Variable);
        Assert.Contains("Ed25519", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("c2VjcmV0", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Secrets_never_print_their_value()
    {
        var options = Load((ConfigurationVariables.BinanceApiKey, "KEY-123456"), (ConfigurationVariables.BinanceApiSecret, "SECRET-abcdef"));

        Assert.True(options.Venue.BinanceCredentialsPresent);
        Assert.Equal("KEY-123456", options.Venue.BinanceApiKey.Reveal());
        Assert.DoesNotContain("KEY-123456", options.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET-abcdef", options.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET-abcdef", $"{options.Venue.BinanceApiSecret}", StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_value_is_echoed_on_one_line_even_with_control_characters()
    {
        var ex = LoadFails((ConfigurationVariables.ExecutionMode, "sim_engine\nrm -rf"));

        Assert.DoesNotContain('\n', ex.Message);
        Assert.Contains("\\u000a", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("FALSE", false)]
    [InlineData("1", true)]
    [InlineData("0", false)]
    public void Auth_enabled_is_a_boolean(string text, bool expected) =>
        Assert.Equal(expected, Load((ConfigurationVariables.AuthEnabled, text)).Security.AuthEnabled);

    [Fact]
    public void Auth_enabled_rejects_other_words() =>
        Assert.Equal("VELOZ_AUTH_ENABLED", Assert.Single(LoadFails((ConfigurationVariables.AuthEnabled, "yes please")).Errors).Variable);

    [Fact]
    public void A_short_admin_key_is_refused_without_echoing_it()
    {
        var ex = LoadFails((ConfigurationVariables.AdminApiKey, "short-KEY-123"));

        var error = Assert.Single(ex.Errors);
        Assert.Equal("VELOZ_ADMIN_API_KEY", error.Variable);
        Assert.DoesNotContain("short-KEY-123", ex.Message, StringComparison.Ordinal);
        Assert.Equal("0123456789abcdef", Load((ConfigurationVariables.AdminApiKey, "0123456789abcdef")).Security.AdminApiKey.Reveal());
    }

    [Fact]
    public void Rate_limits_have_documented_defaults_and_bounds()
    {
        var defaults = Load();
        Assert.Equal((50, 200, 30), (defaults.Security.RateLimitPerSecond, defaults.Security.RateLimitBurst, defaults.Security.AuthFailuresPerMinute));

        var custom = Load((ConfigurationVariables.RateLimitPerSecond, "0"), (ConfigurationVariables.RateLimitBurst, "5"), (ConfigurationVariables.AuthFailuresPerMinute, "0"));
        Assert.Equal((0, 5, 0), (custom.Security.RateLimitPerSecond, custom.Security.RateLimitBurst, custom.Security.AuthFailuresPerMinute));

        Assert.Equal("VELOZ_RATE_LIMIT_PER_SECOND", Assert.Single(LoadFails((ConfigurationVariables.RateLimitPerSecond, "-1")).Errors).Variable);
        Assert.Equal("VELOZ_RATE_LIMIT_BURST", Assert.Single(LoadFails((ConfigurationVariables.RateLimitBurst, "0")).Errors).Variable);
        Assert.Equal("VELOZ_AUTH_FAILURES_PER_MINUTE", Assert.Single(LoadFails((ConfigurationVariables.AuthFailuresPerMinute, "many")).Errors).Variable);
    }

    [Theory]
    [InlineData("btcusdt", "BTCUSDT")]
    [InlineData("１２３４５６", "１２３４５６")]
    public void Market_symbols_follow_binances_rule(string text, string expected) =>
        Assert.Equal(expected, Load((ConfigurationVariables.MarketSymbol, text)).Market.MarketSymbol);

    [Theory]
    [InlineData("BTC-USDT")]
    [InlineData("ABCDEFGHIJ01234567890")]
    [InlineData("BTC😀")]
    public void Market_symbols_outside_binances_rule_are_refused(string text) =>
        Assert.Equal("VELOZ_MARKET_SYMBOL", Assert.Single(LoadFails((ConfigurationVariables.MarketSymbol, text)).Errors).Variable);

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("1e5")]
    [InlineData("abc")]
    public void Sim_start_price_must_be_a_positive_plain_decimal(string text) =>
        Assert.Equal("VELOZ_SIM_START_PRICE", Assert.Single(LoadFails((ConfigurationVariables.SimStartPrice, text)).Errors).Variable);

    [Fact]
    public void Sim_start_price_is_read_as_an_exact_decimal() =>
        Assert.Equal(0.3m, Load((ConfigurationVariables.SimStartPrice, "0.3")).Market.SimStartPrice);

    [Fact]
    public void Sim_tick_defaults_to_250_ms() =>
        Assert.Equal(250, Load().Market.SimTickMs);

    [Theory]
    [InlineData("100", 100)]
    [InlineData("1", 1)]
    [InlineData("60000", 60000)]
    public void Sim_tick_is_read_in_ms(string text, int expected) =>
        Assert.Equal(expected, Load((ConfigurationVariables.SimTickMs, text)).Market.SimTickMs);

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("60001")]
    [InlineData("0.5")]
    [InlineData("fast")]
    public void Sim_tick_must_be_1_to_60000_ms(string text) =>
        Assert.Equal("VELOZ_SIM_TICK_MS", Assert.Single(LoadFails((ConfigurationVariables.SimTickMs, text)).Errors).Variable);

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
            Assert.NotEmpty(Load((ConfigurationVariables.CorsOrigins, text)).Security.CorsOrigins);
        }
        else
        {
            Assert.Equal("VELOZ_CORS_ORIGINS", Assert.Single(LoadFails((ConfigurationVariables.CorsOrigins, text)).Errors).Variable);
        }
    }

    [Theory]
    [InlineData("Veloz")]
    [InlineData("1abc")]
    [InlineData("with-dash")]
    public void Storage_prefix_must_fit_table_names(string text) =>
        Assert.Equal("VELOZ_STORAGE_PREFIX", Assert.Single(LoadFails((ConfigurationVariables.StoragePrefix, text)).Errors).Variable);

    [Theory]
    [InlineData(null, 15)]
    [InlineData("15", 15)]
    [InlineData("60", 60)]
    [InlineData(" 30 ", 30)]
    public void Worker_lease_seconds_default_to_fifteen(string? text, int expected) =>
        Assert.Equal(expected, Load((ConfigurationVariables.WorkerLeaseSeconds, text)).Storage.WorkerLeaseSeconds);

    [Theory]
    [InlineData("14")]
    [InlineData("61")]
    [InlineData("-1")]
    [InlineData("15s")]
    public void Worker_lease_seconds_stay_within_blob_storages_limits(string text)
    {
        var error = Assert.Single(LoadFails((ConfigurationVariables.WorkerLeaseSeconds, text)).Errors);
        Assert.Equal("VELOZ_WORKER_LEASE_SECONDS", error.Variable);
        Assert.Contains("from 15 to 60", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_contract_variable_is_read()
    {
        string[] contract =
        [
            "VELOZ_HOST", "VELOZ_PORT", "VELOZ_MARKET_SOURCE", "VELOZ_MARKET_SYMBOL", "VELOZ_BINANCE_BASE_URL",
            "VELOZ_EXECUTION_MODE", "VELOZ_BINANCE_TRADE_BASE_URL", "VELOZ_BINANCE_API_KEY", "VELOZ_BINANCE_API_SECRET",
            "VELOZ_BINANCE_WS_BASE_URL", "VELOZ_BINANCE_WS_API_URL", "VELOZ_AUTH_ENABLED", "VELOZ_ADMIN_API_KEY",
        ];
        Assert.All(contract, v => Assert.Contains(v, ConfigurationVariables.All));
    }

    [Fact]
    public void Identity_based_storage_is_used_only_without_a_connection_string()
    {
        var identity = Load(("AzureWebJobsStorage:accountName", "velozprod"), ("AzureWebJobsStorage:clientId", "3f1c2b4a-9d8e-4f70-8a6b-5c4d3e2f1a0b"));
        var both = Load(("AzureWebJobsStorage", "UseDevelopmentStorage=true"), ("AzureWebJobsStorage:accountName", "velozprod"));

        Assert.NotNull(identity.Storage.StorageIdentity);
        Assert.Equal("velozprod", identity.Storage.StorageIdentity.AccountName);
        Assert.Equal(new Uri("https://velozprod.table.core.windows.net"), identity.Storage.StorageIdentity.TableServiceUri);
        Assert.Equal("3f1c2b4a-9d8e-4f70-8a6b-5c4d3e2f1a0b", identity.Storage.StorageIdentity.ClientId);
        Assert.True(identity.Storage.StorageConnectionString.IsEmpty);
        Assert.Null(both.Storage.StorageIdentity);
        Assert.Equal("UseDevelopmentStorage=true", both.Storage.StorageConnectionString.Reveal());
        Assert.Null(Load().Storage.StorageIdentity);
    }

    [Theory]
    [InlineData("AzureWebJobsStorage:accountName", "Not-An-Account", "AzureWebJobsStorage__accountName")]
    [InlineData("AzureWebJobsStorage:tableServiceUri", "ftp://velozprod.table.core.windows.net", "AzureWebJobsStorage__tableServiceUri")]
    [InlineData("AzureWebJobsStorage:queueServiceUri", "https://velozprod.queue.core.windows.net", "AzureWebJobsStorage__tableServiceUri")]
    [InlineData("AzureWebJobsStorage:clientId", "3f1c2b4a-9d8e-4f70-8a6b-5c4d3e2f1a0b", "AzureWebJobsStorage__clientId")]
    public void Incomplete_or_invalid_identity_settings_stop_the_process(string key, string value, string variable) =>
        Assert.Equal(variable, Assert.Single(LoadFails((key, value)).Errors).Variable);

    [Fact]
    public void A_service_uri_with_a_sas_token_is_refused_without_echoing_it()
    {
        var error = Assert.Single(LoadFails(("AzureWebJobsStorage:tableServiceUri", "https://velozprod.table.core.windows.net/?sv=2024&sig=c2VjcmV0")).Errors);

        Assert.Equal("AzureWebJobsStorage__tableServiceUri", error.Variable);
        Assert.DoesNotContain("sig=", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("VELOZ_BINANCE_API_KEY")]
    [InlineData("VELOZ_BINANCE_API_SECRET")]
    [InlineData("VELOZ_ADMIN_API_KEY")]
    public void An_unresolved_key_vault_reference_stops_the_process(string variable)
    {
        var error = Assert.Single(LoadFails((variable, "@Microsoft.KeyVault(VaultName=kv-veloz;SecretName=binance-api-key)")).Errors);

        Assert.Equal(variable, error.Variable);
        Assert.Contains("Key Vault reference", error.Message, StringComparison.Ordinal);
    }
}
