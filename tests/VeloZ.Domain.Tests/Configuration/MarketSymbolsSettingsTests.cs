using Microsoft.Extensions.Configuration;
using VeloZ.Domain.Configuration;
using VeloZ.Hosting;

namespace VeloZ.Domain.Tests.Configuration;

/// <summary><c>VELOZ_MARKET_SYMBOLS</c>, alone and next to <c>VELOZ_MARKET_SYMBOL</c>.</summary>
public sealed class MarketSymbolsSettingsTests
{
    private static GatewayOptions Load(string? symbol, string? symbols) =>
        GatewayOptionsLoader.Load(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                [ConfigurationVariables.MarketSymbol] = symbol,
                [ConfigurationVariables.MarketSymbols] = symbols,
            })
            .Build());

    public static TheoryData<string?, string?, string[]> Lists => new()
    {
        { null, null, ["BTCUSDT"] },
        { "ethbtc", null, ["ETHBTC"] },
        { null, "BTCUSDT,ETHUSDT,BNBUSDT", ["BTCUSDT", "ETHUSDT", "BNBUSDT"] },
        { null, " ethusdt , BtcUsdt ", ["ETHUSDT", "BTCUSDT"] },
        { null, "BTCUSDT,btcusdt,ETHUSDT,BTCUSDT", ["BTCUSDT", "ETHUSDT"] },
        { null, "ETHUSDT", ["ETHUSDT"] },
        { "ETHUSDT", "ethusdt,BNBUSDT", ["ETHUSDT", "BNBUSDT"] },
        { "  ", "BNBUSDT,ETHUSDT", ["BNBUSDT", "ETHUSDT"] },
        { null, "１２３４５６,BTCUSDT", ["１２３４５６", "BTCUSDT"] },
    };

    [Theory]
    [MemberData(nameof(Lists))]
    public void The_list_is_upper_cased_trimmed_and_deduplicated_and_its_first_symbol_is_the_default(string? symbol, string? symbols, string[] expected)
    {
        var market = Load(symbol, symbols).Market;

        Assert.Equal(expected, market.MarketSymbols);
        Assert.Equal(expected[0], market.MarketSymbol);
    }

    [Theory]
    [InlineData("BTCUSDT,BTC/USDT", "entry 2 'BTC/USDT' is not a Binance symbol")]
    [InlineData("BTCUSDT,,ETHUSDT", "entry 2 is empty")]
    [InlineData("BTCUSDT,", "entry 2 is empty")]
    [InlineData("BTC USDT", "entry 1 'BTC USDT' is not a Binance symbol")]
    [InlineData("ABCDEFGHIJKLMNOPQRSTU,BTCUSDT", "entry 1 'ABCDEFGHIJKLMNOPQRSTU' is not a Binance symbol")]
    public void A_bad_entry_stops_the_start_naming_the_variable_and_the_entry(string symbols, string message)
    {
        var error = Assert.Single(Assert.Throws<GatewayConfigurationException>(() => Load(null, symbols)).Errors);

        Assert.Equal("VELOZ_MARKET_SYMBOLS", error.Variable);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void More_symbols_than_the_weight_budget_allows_stop_the_start()
    {
        var many = string.Join(',', Enumerable.Range(0, MarketOptions.MaxSymbols + 1).Select(i => $"SYM{i}USDT"));

        var error = Assert.Single(Assert.Throws<GatewayConfigurationException>(() => Load(null, many)).Errors);

        Assert.Equal("VELOZ_MARKET_SYMBOLS", error.Variable);
        Assert.Contains($"at most {MarketOptions.MaxSymbols}", error.Message, StringComparison.Ordinal);
        Assert.Equal(MarketOptions.MaxSymbols, Load(null, string.Join(',', Enumerable.Range(0, MarketOptions.MaxSymbols).Select(i => $"SYM{i}USDT"))).Market.MarketSymbols.Count);
    }

    [Fact]
    public void Both_variables_with_different_first_symbols_are_a_configuration_error_naming_both()
    {
        var error = Assert.Single(Assert.Throws<GatewayConfigurationException>(() => Load("BTCUSDT", "ETHUSDT,BTCUSDT")).Errors);

        Assert.Equal("VELOZ_MARKET_SYMBOLS", error.Variable);
        Assert.Contains("starts with ETHUSDT but VELOZ_MARKET_SYMBOL is BTCUSDT", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_single_symbol_is_reported_once_on_its_own_variable()
    {
        var error = Assert.Single(Assert.Throws<GatewayConfigurationException>(() => Load("BTC/USDT", "ETHUSDT")).Errors);

        Assert.Equal("VELOZ_MARKET_SYMBOL", error.Variable);
    }

    [Fact]
    public void Options_built_in_code_keep_the_default_symbol_first()
    {
        Assert.Equal(["ETHUSDT"], new MarketOptions { MarketSymbol = "ETHUSDT" }.MarketSymbols);
        Assert.Equal("BNBUSDT", new MarketOptions { MarketSymbols = ["BNBUSDT", "ETHUSDT"] }.MarketSymbol);
        Assert.Equal(["ETHUSDT", "BNBUSDT"], new MarketOptions { MarketSymbol = "ETHUSDT", MarketSymbols = ["BNBUSDT", "ETHUSDT"] }.MarketSymbols);
        Assert.Equal(["BTCUSDT"], new MarketOptions().MarketSymbols);
    }

    [Fact]
    public void Options_compare_by_their_symbols_and_a_copy_with_another_default_symbol_resolves_again()
    {
        var two = new MarketOptions { MarketSymbols = ["BTCUSDT", "ETHUSDT"] };
        Assert.Equal(["BTCUSDT", "ETHUSDT"], two.MarketSymbols);

        Assert.Equal(new MarketOptions(), new MarketOptions());
        Assert.Equal(new MarketOptions { MarketSymbol = "ETHUSDT" }, new MarketOptions { MarketSymbols = ["ETHUSDT"] });
        Assert.Equal(two, new MarketOptions { MarketSymbols = ["BTCUSDT", "ETHUSDT"] });
        Assert.Equal(two.GetHashCode(), new MarketOptions { MarketSymbols = ["BTCUSDT", "ETHUSDT"] }.GetHashCode());
        Assert.NotEqual(two, new MarketOptions { MarketSymbols = ["ETHUSDT", "BTCUSDT"] });
        Assert.NotEqual(two, two with { SimSeed = 7 });
        Assert.Equal(["ETHUSDT", "BTCUSDT"], (two with { MarketSymbol = "ETHUSDT" }).MarketSymbols);
    }
}
