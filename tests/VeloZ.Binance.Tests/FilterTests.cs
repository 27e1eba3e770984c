using VeloZ.Binance.Filters;
using VeloZ.Binance.Rest;

namespace VeloZ.Binance.Tests;

public sealed class FilterTests
{
    private static readonly SymbolRules s_btc = SymbolRules.From(new BinanceSymbolInfo("BTCUSDT", "TRADING", "BTC", "USDT",
    [
        new BinanceFilter("PRICE_FILTER", MinPrice: 0.01m, MaxPrice: 1000000m, TickSize: 0.01m),
        new BinanceFilter("LOT_SIZE", MinQty: 0.00001m, MaxQty: 9000m, StepSize: 0.00001m),
        new BinanceFilter("NOTIONAL", MinNotional: 5m, MaxNotional: 9000000m),
        new BinanceFilter("PERCENT_PRICE_BY_SIDE"),
    ]));

    [Theory]
    [InlineData(40000.00, 0.001, null)]
    [InlineData(40000.005, 0.001, "PRICE_FILTER")]
    [InlineData(0.001, 10000, "PRICE_FILTER")]
    [InlineData(2000000, 0.001, "PRICE_FILTER")]
    [InlineData(40000, 0.000001, "LOT_SIZE")]
    [InlineData(40000, 0.000015, "LOT_SIZE")]
    [InlineData(40000, 10000, "LOT_SIZE")]
    [InlineData(100, 0.01, "NOTIONAL")]
    [InlineData(999999, 9000, "NOTIONAL")]
    [InlineData(5, 1, null)]
    public void Limit_orders_are_checked_in_decimal(decimal price, decimal quantity, string? failing) =>
        Assert.Equal(failing, s_btc.Check(price, quantity)?.Filter);

    [Fact]
    public void Zero_valued_rules_are_off_and_absent_filters_are_not_applied()
    {
        var rules = SymbolRules.From(new BinanceSymbolInfo("X", "TRADING", "A", "B",
        [
            new BinanceFilter("PRICE_FILTER", MinPrice: 0m, MaxPrice: 0m, TickSize: 0.5m),
            new BinanceFilter("MIN_NOTIONAL", MinNotional: 10m),
        ]));

        Assert.Null(rules.Check(1000000.5m, 123.456789m));
        Assert.Equal("PRICE_FILTER", rules.Check(1.25m, 100m)?.Filter);
        Assert.Equal("MIN_NOTIONAL", rules.Check(1m, 9.99m)?.Filter);
    }

    [Fact]
    public void Point_one_plus_point_two_is_exactly_on_the_tick() =>
        Assert.Null(s_btc.Check(0.1m + 0.2m + 40000m, 0.001m));
}
